import { StreamAbortEvent, StreamBufferError, StreamCloseEvent, StreamMessageEvent, StreamResetError, StreamResetEvent, StreamStateError, TimeoutError, TypedEventEmitter } from '@ts-libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_INACTIVITY_TIMEOUT, DEFAULT_MAX_READ_BUFFER_LENGTH, DEFAULT_MAX_WRITE_BUFFER_LENGTH, DEFAULT_READ_HIGH_WATER_MARK, DEFAULT_WRITE_HIGH_WATER_MARK } from './constants.js'
import { pDefer } from './defer.js'
import { InactivityTimer } from './inactivity-timer.js'
import { arraysOf } from './list-arrays.js'
import { createReader } from './message-reader.js'
import { MemoryReservation } from './memory-reservation.js'
import { raceSignal } from './race-signal.js'
import { SendQueue } from './send-queue.js'
import type { DeferredPromise } from './defer.js'
import type { SendResult } from './send-queue.js'
import type { AbortOptions, Logger, MemoryScope, MessageStream, MessageStreamDirection, MessageStreamEvents, MessageStreamReadStatus, MessageStreamStatus, MessageStreamTimeline, MessageStreamWriteStatus } from '@ts-libp2p/interface'
import type { EventHandler } from 'main-event'

/** Options every message stream takes. */
export interface MessageStreamInit {
  /** Where this stream logs (scope it per connection/stream). */
  log: Logger
  /** Who opened it. Default 'outbound'. */
  direction?: MessageStreamDirection
  /** Abort after this many ms without traffic (0, the default, disables it). */
  inactivityTimeout?: number
  /** Unread bytes held before the stream aborts with StreamBufferError. Default 4 MiB. */
  maxReadBufferLength?: number
  /** Unsent bytes held before `send()` throws StreamBufferError. Default 4 MiB. */
  maxWriteBufferLength?: number
  /** Unread bytes above which the source is told to pause (`sendPause()`). Default 256 KiB. */
  readHighWaterMark?: number
  /** Unsent bytes above which `send()` returns false even if the resource is not full. Default 0. */
  writeHighWaterMark?: number
  /** The most bytes handed to `sendData()` in one call (e.g. a muxer's frame size). Default: no limit. */
  maxMessageSize?: number
  /**
   * Charged, in BUFFER_MEMORY_STEP steps, for the bytes this stream holds:
   * its write buffer, what the subclass reports as `heldBytes`, and the
   * read buffer if `chargeReadBuffer`. A refused reservation is backpressure
   * for a writer not yet told to wait (`send()` returns false) and aborts
   * the stream with the scope's error otherwise. All is returned when the
   * stream ends.
   */
  memoryScope?: MemoryScope
  /** Charge the read buffer too (an encrypter; a muxer charges its streams' unread bytes itself). Default false. */
  chargeReadBuffer?: boolean
}

export type { SendResult } from './send-queue.js'

function isFinal (status: MessageStreamStatus): boolean {
  return status === 'closed' || status === 'aborted' || status === 'reset'
}

/**
 * The base of every byte stream in ts-libp2p: raw connections, encrypted
 * channels and muxed streams. It implements the `MessageStream` role; a
 * subclass only moves bytes and control signals to and from its resource.
 *
 * Reading. Bytes the subclass receives go through `onData()`. They are
 * delivered to the one async iterator reading the stream, or, when nobody
 * iterates, dispatched as `message` events to listeners; with neither, they
 * wait in the read buffer. An iterator yields the deliveries as they arrived
 * (what one `onData()` call passed: an array or a list of arrays, never
 * copied; a muxer frame is one delivery however many socket reads it
 * spanned), ends when the remote has closed its write side and the buffer is
 * empty, and
 * throws the stream's error after an abort or reset. Above
 * `readHighWaterMark` unread bytes (or after `pause()`) the subclass is told
 * `sendPause()` so it can stop its source; `sendResume()` once the buffer
 * drains. Past `maxReadBufferLength` the stream aborts with a
 * StreamBufferError: a source that ignores the pause cannot grow memory.
 *
 * Writing. `send()` appends to the write buffer and hands as much as the
 * subclass takes to `sendData()` as a Uint8ArrayList of the caller's own
 * arrays (no copy). When the subclass reports it is full, `send()` returns
 * false and the caller waits for `drain` (or `onDrain()`), which follows the
 * subclass's `onSendReady()` once the buffer has gone out.
 *
 * Closing. `close()` flushes the write buffer, calls `sendCloseWrite()`, and
 * waits until the remote has closed its side too (or the resource closes):
 * then the stream is 'closed' and dispatches `close`. `abort(err)` ends it at
 * once, discards both buffers and calls `sendReset(err)`. The subclass
 * reports the remote's actions with `onRemoteCloseWrite()`,
 * `onRemoteCloseRead()`, `onRemoteReset()` and `onTransportClosed()`.
 *
 * Muxed streams extend {@link AbstractStream} instead, whose `close()` only
 * half-closes.
 */
export abstract class AbstractMessageStream<Timeline extends MessageStreamTimeline = MessageStreamTimeline> extends TypedEventEmitter<MessageStreamEvents> implements MessageStream<Timeline> {
  public status: MessageStreamStatus
  public timeline: Timeline
  public log: Logger
  public direction: MessageStreamDirection
  public maxReadBufferLength: number
  public maxWriteBufferLength?: number
  public readHighWaterMark: number
  public writeHighWaterMark: number
  /** The most bytes passed to `sendData()` at once; may be changed at run time. */
  public maxMessageSize?: number
  public writableNeedsDrain: boolean
  /** Our read side. */
  public readStatus: MessageStreamReadStatus
  /** Our write side. */
  public writeStatus: MessageStreamWriteStatus
  /** The remote's read side, as far as we know. */
  public remoteReadStatus: MessageStreamReadStatus
  /** The remote's write side, as far as we know. */
  public remoteWriteStatus: MessageStreamWriteStatus
  /** Bytes received from the subclass (`onData()`), including discarded ones. */
  public bytesReceived: number

  /** Received bytes not yet delivered, in arrival order. */
  protected readBuffer: Uint8ArrayList
  /** The byte length of each delivery in `readBuffer`, from `#deliveriesHead` on. */
  #deliveries: number[]
  #deliveriesHead: number
  readonly #sendQueue: SendQueue

  #error?: Error
  #readableEnded: boolean
  #sourcePaused: boolean
  #reading: boolean
  #wakeReader?: () => void
  #flushScheduled: boolean
  #dispatching: boolean
  #messageHandler?: (data: Uint8Array | Uint8ArrayList) => void
  #drain?: DeferredPromise<void>
  #finished?: DeferredPromise<void>
  #closeWrite?: Promise<void>
  #closedWriteFirst: boolean
  readonly #inactivity: InactivityTimer
  readonly #memoryScope?: MemoryScope
  /** Made on the first bytes held (most streams never queue any). */
  #memory?: MemoryReservation
  readonly #chargeReads: boolean

  constructor (init: MessageStreamInit) {
    super()
    this.status = 'open'
    // @ts-expect-error a subclass timeline may add optional fields only
    this.timeline = { open: Date.now() }
    this.log = init.log
    this.direction = init.direction ?? 'outbound'
    this.maxReadBufferLength = init.maxReadBufferLength ?? DEFAULT_MAX_READ_BUFFER_LENGTH
    this.maxWriteBufferLength = init.maxWriteBufferLength ?? DEFAULT_MAX_WRITE_BUFFER_LENGTH
    this.readHighWaterMark = init.readHighWaterMark ?? DEFAULT_READ_HIGH_WATER_MARK
    this.writeHighWaterMark = init.writeHighWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK
    this.maxMessageSize = init.maxMessageSize
    this.writableNeedsDrain = false
    this.readStatus = 'readable'
    this.writeStatus = 'writable'
    this.remoteReadStatus = 'readable'
    this.remoteWriteStatus = 'writable'
    this.bytesReceived = 0
    this.readBuffer = new Uint8ArrayList()
    this.#deliveries = []
    this.#deliveriesHead = 0
    this.#sendQueue = new SendQueue({
      sendData: (data) => this.sendData(data),
      maxMessageSize: () => this.maxMessageSize
    })
    this.#readableEnded = false
    this.#sourcePaused = false
    this.#reading = false
    this.#flushScheduled = false
    this.#dispatching = false
    this.#closedWriteFirst = false
    this.#inactivity = new InactivityTimer((idleFor) => { this.#onIdle(idleFor) })
    this.inactivityTimeout = init.inactivityTimeout ?? DEFAULT_INACTIVITY_TIMEOUT
    this.#memoryScope = init.memoryScope
    this.#chargeReads = init.memoryScope != null && init.chargeReadBuffer === true
  }

  // ---------------------------------------------------------------- subclass

  /**
   * Hands bytes to the resource. Return how many it took (from the front)
   * and whether it can take more now; when it cannot, call `onSendReady()`
   * later. The list holds the caller's arrays, not copies: the subclass may
   * keep it, and this class does not touch it after the call.
   */
  protected abstract sendData (data: Uint8ArrayList): SendResult

  /** Tells the remote the stream was aborted (e.g. a yamux RST, a socket destroy). */
  protected abstract sendReset (err: Error): void

  /** Tells the remote we will send no more (a FIN, a socket end). Called after the write buffer is flushed. */
  protected abstract sendCloseWrite (options?: AbortOptions): void | Promise<void>

  /** Asks the source to stop delivering (stop reading the socket, withhold window credit). */
  protected abstract sendPause (): void

  /** Asks the source to deliver again after `sendPause()`. */
  protected abstract sendResume (): void

  // ------------------------------------------------------------ state views

  get readBufferLength (): number {
    return this.readBuffer.byteLength
  }

  get writeBufferLength (): number {
    return this.#sendQueue.byteLength
  }

  /** Bytes accepted by `send()` that the subclass has not taken yet (do not modify). */
  protected get writeBuffer (): Uint8ArrayList {
    return this.#sendQueue.buffer
  }

  /** True while `sendData()` is running (re-entrant sends just append). */
  protected get sendingData (): boolean {
    return this.#sendQueue.sending
  }

  /** Bytes the subclass accepted through `sendData()`. */
  get bytesSent (): number {
    return this.#sendQueue.sentBytes
  }

  /** Bytes the subclass holds beyond the read and write buffers (e.g. a partial frame), charged with them. */
  protected get heldBytes (): number {
    return 0
  }

  /** Bytes reserved in the `memoryScope` now (0 without one). */
  get reservedMemory (): number {
    return this.#memory?.reserved ?? 0
  }

  /**
   * Brings the memory reserved in `memoryScope` in line with what the
   * stream holds (see MemoryReservation for the steps). Returns the scope's
   * error if it refused more, for the caller to act on; without a scope it
   * does nothing.
   */
  protected accountMemory (): Error | undefined {
    const scope = this.#memoryScope
    if (scope == null) {
      return undefined
    }
    let memory = this.#memory
    if (isFinal(this.status)) {
      memory?.releaseAll()
      return undefined
    }
    const held = this.#sendQueue.byteLength + (this.#chargeReads ? this.readBuffer.byteLength : 0) + this.heldBytes
    if (memory == null) {
      if (held === 0) {
        return undefined
      }
      memory = this.#memory = new MemoryReservation(scope)
    }
    return memory.update(held)
  }

  get readableEnded (): boolean {
    return this.#readableEnded
  }

  /** The error that ended the stream (after an abort, a reset or a transport failure). */
  get error (): Error | undefined {
    return this.#error
  }

  get inactivityTimeout (): number {
    return this.#inactivity.timeout
  }

  /** Setting it restarts the inactivity clock; 0 disables it. */
  set inactivityTimeout (ms: number) {
    this.#inactivity.timeout = isFinal(this.status) ? 0 : ms
  }

  // ------------------------------------------------------------------ write

  send (data: Uint8Array | Uint8ArrayList): boolean {
    if (this.writeStatus !== 'writable') {
      throw new StreamStateError(`Cannot write to a stream whose write side is ${this.writeStatus} (status ${this.status})`)
    }
    if (data.byteLength === 0) {
      return !this.writableNeedsDrain
    }
    const buffered = this.#sendQueue.byteLength
    if (this.maxWriteBufferLength != null && buffered > 0 && buffered + data.byteLength > this.maxWriteBufferLength) {
      throw new StreamBufferError(`Write buffer of ${buffered} bytes cannot take ${data.byteLength} more, limit ${this.maxWriteBufferLength}: wait for "drain" when send() returns false`)
    }
    const toldToWait = this.writableNeedsDrain
    this.#sendQueue.append(data)
    this.#inactivity.touch()
    this.#flushWrites()
    if (this.status === 'aborted' && this.#error != null) {
      // sendData() threw and the stream aborted itself
      throw this.#error
    }
    if (this.#memoryScope != null && this.#sendQueue.byteLength + (this.#memory?.reserved ?? 0) > 0) {
      const refused = this.accountMemory()
      if (refused != null) {
        if (toldToWait) {
          // the writer ignored an earlier false: its bytes cannot grow past the scope
          this.abort(refused)
          throw refused
        }
        // the bytes stay queued (one write over the scope at most): the writer waits for drain
        this.log('write buffer of %d bytes not reserved - %e', this.#sendQueue.byteLength, refused)
        this.writableNeedsDrain = true
        return false
      }
    }
    if (this.#sendQueue.blocked || this.#sendQueue.byteLength > this.writeHighWaterMark) {
      this.writableNeedsDrain = true
      return false
    }
    return true
  }

  async onDrain (options?: AbortOptions): Promise<void> {
    if (isFinal(this.status) || this.writeStatus === 'closed') {
      throw this.#error ?? new StreamStateError(`Cannot wait for drain on a stream whose write side is ${this.writeStatus}`)
    }
    if (!this.writableNeedsDrain) {
      return
    }
    this.#drain ??= pDefer()
    await raceSignal(this.#drain.promise, options?.signal)
  }

  /**
   * The subclass calls this when its resource can take data again after
   * `sendData()` reported it full. Sends what is buffered and dispatches
   * `drain` when the writer may continue.
   */
  onSendReady (): void {
    if (isFinal(this.status) && this.#sendQueue.byteLength === 0) {
      return
    }
    this.#sendQueue.unblock()
    this.#flushWrites()
    if (this.#memory != null && this.#memory.reserved > 0) {
      this.accountMemory()
    }
  }

  #flushWrites (): void {
    if (this.writeStatus === 'closed') {
      return
    }
    try {
      this.#sendQueue.flush()
    } catch (err: any) {
      this.log.error('sendData failed - %e', err)
      this.abort(err instanceof Error ? err : new Error(String(err)))
      return
    }
    if (this.writableNeedsDrain && !this.#sendQueue.blocked && this.#sendQueue.byteLength <= this.writeHighWaterMark) {
      this.writableNeedsDrain = false
      const drain = this.#drain
      this.#drain = undefined
      drain?.resolve()
      // once per write that filled the resource: skip building an event nobody hears
      if (this.listenerCount('drain') > 0) {
        this.safeDispatchEvent('drain')
      }
    }
  }

  /**
   * Flushes the write buffer, then calls `sendCloseWrite()` and marks the
   * write side closed. Concurrent calls share one attempt; each caller's
   * signal only bounds its own wait. If a signal fires the write side stays
   * 'closing': abort the stream to end it.
   */
  protected async closeWrite (options?: AbortOptions): Promise<void> {
    if (this.writeStatus === 'closed') {
      return
    }
    if (this.#closeWrite == null) {
      this.writeStatus = 'closing'
      this.#closeWrite = (async () => {
        await this.#sendQueue.flushed()
        if (this.writeStatus !== 'closing') {
          return
        }
        await this.sendCloseWrite(options)
        if (this.writeStatus !== 'closing') {
          return
        }
        this.writeStatus = 'closed'
        this.#closedWriteFirst = this.remoteWriteStatus !== 'closed'
        this.log.trace('closed write side')
        this.#rejectDrain(() => new StreamStateError('The write side closed'))
        this.#maybeFinish()
      })()
      // every caller awaits through raceSignal below; keep a late failure quiet
      this.#closeWrite.catch(() => {})
    }
    await raceSignal(this.#closeWrite, options?.signal)
  }

  /**
   * Flushes what is queued, closes the write side and waits until the remote
   * has closed too (or the resource closed). Resolves at once on a stream
   * that is already finished, and rejects with the stream's error if it is
   * aborted or reset meanwhile, or with the signal's reason.
   */
  async close (options?: AbortOptions): Promise<void> {
    if (isFinal(this.status)) {
      return
    }
    this.status = 'closing'
    await this.closeWrite(options)
    // the await may have changed it
    const status = this.status as MessageStreamStatus
    if (isFinal(status)) {
      if (status !== 'closed' && this.#error != null) {
        throw this.#error
      }
      return
    }
    this.#finished ??= pDefer()
    await raceSignal(this.#finished.promise, options?.signal)
  }

  // ------------------------------------------------------------------- read

  pause (): void {
    if (this.readStatus !== 'readable') {
      return
    }
    this.readStatus = 'paused'
    this.#updateSourcePause()
  }

  resume (): void {
    if (this.readStatus !== 'paused') {
      return
    }
    this.readStatus = 'readable'
    this.#updateSourcePause()
    this.#wakeReader?.()
    this.#scheduleDispatch()
  }

  push (data: Uint8Array | Uint8ArrayList): void {
    this.#insert(data, false)
  }

  unshift (data: Uint8Array | Uint8ArrayList): void {
    this.#insert(data, true)
  }

  #insert (data: Uint8Array | Uint8ArrayList, front: boolean): void {
    if (this.readStatus === 'closing' || this.readStatus === 'closed') {
      throw new StreamStateError(`Cannot add data to a stream whose read side is ${this.readStatus}`)
    }
    if (data.byteLength === 0) {
      return
    }
    if (front) {
      this.readBuffer.prepend(data)
      if (this.#deliveriesHead > 0) {
        this.#deliveries[--this.#deliveriesHead] = data.byteLength
      } else {
        this.#deliveries.unshift(data.byteLength)
      }
    } else {
      this.readBuffer.append(data)
      this.#deliveries.push(data.byteLength)
    }
    if (this.#checkReadBuffer()) {
      this.#updateSourcePause()
      this.#wakeReader?.()
      this.#scheduleDispatch()
    }
  }

  /**
   * The subclass calls this with bytes received from the remote. They are
   * delivered synchronously to `message` listeners when nothing is queued
   * ahead of them, otherwise buffered for the reader.
   */
  onData (data: Uint8Array | Uint8ArrayList): void {
    const length = data.byteLength
    if (length === 0) {
      return
    }
    this.bytesReceived += length
    if (this.readStatus === 'closing' || this.readStatus === 'closed' || isFinal(this.status)) {
      this.log.trace('dropping %d bytes received while the read side is %s', length, this.readStatus)
      return
    }
    this.#inactivity.touch()
    if (!this.#reading && !this.#dispatching && this.readStatus === 'readable' && this.readBuffer.byteLength === 0 && this.#hasMessageReceiver()) {
      this.#dispatchMessage(data)
      return
    }
    this.readBuffer.append(data)
    this.#deliveries.push(length)
    if (!this.#checkReadBuffer()) {
      return
    }
    if (this.#chargeReads) {
      const refused = this.accountMemory()
      if (refused != null) {
        this.abort(refused)
        return
      }
    }
    this.#updateSourcePause()
    if (this.#reading) {
      this.#wakeReader?.()
    } else {
      this.#dispatchBuffered()
    }
  }

  /** One reader at a time (see `createReader`); `return()` (a `break`) hands what is left to `message` listeners. */
  [Symbol.asyncIterator] (): AsyncGenerator<Uint8Array | Uint8ArrayList> {
    return createReader({
      start: () => {
        if (this.#reading) {
          return false
        }
        this.#reading = true
        return true
      },
      step: () => {
        if (this.#error != null && (this.status === 'aborted' || this.status === 'reset')) {
          throw this.#error
        }
        if (this.readStatus !== 'paused' && this.readBuffer.byteLength > 0) {
          return { done: false, value: this.#takeDelivery() }
        }
        if (this.readBuffer.byteLength === 0 && (this.remoteWriteStatus === 'closed' || this.readStatus === 'closed' || this.readStatus === 'closing' || this.status === 'closed')) {
          this.#maybeEnd()
          return { done: true, value: undefined }
        }
        return undefined
      },
      setWake: (wake) => {
        this.#wakeReader = wake
      },
      isWake: (wake) => this.#wakeReader === wake,
      end: () => {
        this.#reading = false
        this.#wakeReader = undefined
        // what the reader left behind goes to `message` listeners, if any
        this.#scheduleDispatch()
      }
    })
  }

  override addEventListener<K extends keyof MessageStreamEvents>(type: K, listener: EventHandler<MessageStreamEvents[K]> | null, options?: boolean | AddEventListenerOptions): void
  override addEventListener (type: string, listener: EventHandler<Event> | null, options?: boolean | AddEventListenerOptions): void
  override addEventListener (...args: any[]): void {
    // @ts-expect-error forwarding the overloads
    super.addEventListener(...args)
    if (args[0] === 'message' && this.readBuffer.byteLength > 0) {
      // listeners are often added in constructors before their fields exist,
      // so deliver what is buffered on the next microtask
      this.#scheduleDispatch()
    }
  }

  /**
   * Removes the oldest delivery from the read buffer, as it was delivered:
   * one array, or a list of the arrays (no copy). One iterator step or
   * event per delivery, not per array, is what lets a reader keep up with a
   * fast source (a yamux frame usually spans two socket reads).
   */
  #takeDelivery (): Uint8Array | Uint8ArrayList {
    const buffer = this.readBuffer
    let length = this.#nextDeliveryLength()
    if (length <= 0 || length > buffer.byteLength) {
      // out of step (a subclass changed the buffer itself): take it all
      length = buffer.byteLength
      this.#clearDeliveries()
    }
    const first = arraysOf(buffer)[0]
    let out: Uint8Array | Uint8ArrayList
    if (first.byteLength === length) {
      buffer.consume(length)
      out = first
    } else if (length === buffer.byteLength) {
      this.readBuffer = new Uint8ArrayList()
      out = buffer
    } else {
      out = buffer.sublist(0, length)
      buffer.consume(length)
    }
    this.#afterRead()
    return out
  }

  #nextDeliveryLength (): number {
    const deliveries = this.#deliveries
    if (this.#deliveriesHead >= deliveries.length) {
      return 0
    }
    const length = deliveries[this.#deliveriesHead++]
    if (this.#deliveriesHead === deliveries.length) {
      this.#clearDeliveries()
    } else if (this.#deliveriesHead >= 1024 && this.#deliveriesHead * 2 >= deliveries.length) {
      this.#deliveries = deliveries.slice(this.#deliveriesHead)
      this.#deliveriesHead = 0
    }
    return length
  }

  #clearDeliveries (): void {
    if (this.#deliveries.length > 0) {
      this.#deliveries = []
    }
    this.#deliveriesHead = 0
  }

  /**
   * Drops every unread byte (a subclass closing its read side, an abort).
   */
  protected discardReadBuffer (): void {
    if (this.readBuffer.byteLength > 0) {
      this.readBuffer = new Uint8ArrayList()
    }
    this.#clearDeliveries()
    if (this.#chargeReads) {
      this.accountMemory()
    }
  }

  #afterRead (): void {
    if (this.#chargeReads) {
      this.accountMemory()
    }
    this.#updateSourcePause()
    if (this.readBuffer.byteLength === 0) {
      this.#maybeEnd()
      if (this.status === 'closed' && this.readStatus !== 'closed') {
        this.readStatus = 'closed'
      }
    }
  }

  /**
   * Hands every delivery to `handler`, a plain callback, before any `message`
   * listeners (which then get their event only if there are any). For the
   * one consumer that takes every delivery, like a muxer reading its
   * connection: no event object and no dispatch per chunk. The handler
   * counts as a `message` listener: buffered bytes are delivered to it on
   * the next microtask. `undefined` removes it.
   */
  setMessageHandler (handler: ((data: Uint8Array | Uint8ArrayList) => void) | undefined): void {
    this.#messageHandler = handler
    if (handler != null && this.readBuffer.byteLength > 0) {
      this.#scheduleDispatch()
    }
  }

  #hasMessageReceiver (): boolean {
    return this.#messageHandler != null || this.listenerCount('message') > 0
  }

  #dispatchMessage (data: Uint8Array | Uint8ArrayList): void {
    this.#dispatching = true
    try {
      if (this.#messageHandler != null) {
        try {
          this.#messageHandler(data)
        } catch (err) {
          // as an event listener's error would be
          queueMicrotask(() => { throw err })
        }
        if (this.listenerCount('message') === 0) {
          return
        }
      }
      this.dispatchEvent(new StreamMessageEvent(data))
    } finally {
      this.#dispatching = false
    }
  }

  #scheduleDispatch (): void {
    if (this.#flushScheduled) {
      return
    }
    this.#flushScheduled = true
    queueMicrotask(() => {
      this.#flushScheduled = false
      if (this.#reading) {
        this.#wakeReader?.()
      } else {
        this.#dispatchBuffered()
      }
    })
  }

  /** Delivers buffered bytes to `message` listeners, one event per delivery. */
  #dispatchBuffered (): void {
    if (this.#dispatching) {
      // a listener caused this (it sent, and the reply came back synchronously):
      // deliver once it has returned
      this.#scheduleDispatch()
      return
    }
    while (!this.#reading && this.readStatus === 'readable' && this.readBuffer.byteLength > 0 && this.#hasMessageReceiver()) {
      this.#dispatchMessage(this.#takeDelivery())
    }
    if (this.readBuffer.byteLength === 0) {
      this.#afterRead()
    }
  }

  /** Aborts when the read buffer is over its limit; false if it did. */
  #checkReadBuffer (): boolean {
    if (this.readBuffer.byteLength > this.maxReadBufferLength) {
      this.abort(new StreamBufferError(`Read buffer of ${this.readBuffer.byteLength} bytes is over its limit of ${this.maxReadBufferLength} (read side ${this.readStatus}): the reader is not keeping up`))
      return false
    }
    return true
  }

  #updateSourcePause (): void {
    if (isFinal(this.status) || this.readStatus === 'closed' || this.readStatus === 'closing') {
      return
    }
    const shouldPause = this.readStatus === 'paused' || this.readBuffer.byteLength >= this.readHighWaterMark
    if (shouldPause === this.#sourcePaused) {
      return
    }
    this.#sourcePaused = shouldPause
    try {
      if (shouldPause) {
        this.sendPause()
      } else {
        this.sendResume()
      }
    } catch (err) {
      this.log.error('could not %s the source - %e', shouldPause ? 'pause' : 'resume', err)
    }
  }

  /**
   * A subclass calls this after setting `readStatus` to 'closing' or 'closed'
   * itself (as `closeRead()` does): the reader ends, `end` is dispatched, and a
   * paused source is released (what it sends now is dropped, rather than
   * leaving the remote blocked on a window that never reopens).
   */
  protected onReadClosed (): void {
    if (this.#sourcePaused && !isFinal(this.status)) {
      this.#sourcePaused = false
      try {
        this.sendResume()
      } catch (err) {
        this.log.error('could not resume the source - %e', err)
      }
    }
    this.#wakeReader?.()
    this.#maybeEnd()
  }

  /** Dispatches `end` once: no more data will be delivered. */
  #maybeEnd (): void {
    if (this.#readableEnded || this.readBuffer.byteLength > 0) {
      return
    }
    if (this.remoteWriteStatus !== 'closed' && this.readStatus !== 'closed' && this.readStatus !== 'closing' && this.status !== 'closed') {
      return
    }
    this.#readableEnded = true
    this.safeDispatchEvent('end')
  }

  // ---------------------------------------------------- remote and transport

  /** The subclass calls this when the remote closed its write side (a FIN). */
  onRemoteCloseWrite (): void {
    if (this.remoteWriteStatus === 'closed' || isFinal(this.status)) {
      return
    }
    this.log.trace('remote closed its write side')
    this.remoteWriteStatus = 'closed'
    this.safeDispatchEvent('remoteCloseWrite')
    this.#wakeReader?.()
    this.#maybeEnd()
    this.#maybeFinish()
  }

  /** The subclass calls this when the remote will read no more: unsent bytes are dropped. */
  onRemoteCloseRead (): void {
    if (this.remoteReadStatus === 'closed' || isFinal(this.status)) {
      return
    }
    this.log.trace('remote closed its read side, dropping %d unsent bytes', this.#sendQueue.byteLength)
    this.remoteReadStatus = 'closed'
    this.#sendQueue.clear()
    this.accountMemory()
  }

  /** The subclass calls this when the remote reset the stream. */
  onRemoteReset (err?: Error): void {
    if (isFinal(this.status)) {
      return
    }
    const error = err ?? new StreamResetError(`The remote reset the ${this.direction} stream`)
    this.log('remote reset - %s', error.message)
    this.status = 'reset'
    this.#terminate(error)
    this.#onFinal()
    this.dispatchEvent(new StreamResetEvent(error))
  }

  /**
   * The subclass calls this when its resource is gone (socket closed, muxer
   * ended). Without an error it is a clean end: unread bytes stay readable,
   * unsent bytes are lost. With one, the stream ends as if reset.
   */
  onTransportClosed (err?: Error): void {
    if (isFinal(this.status)) {
      return
    }
    if (err != null) {
      this.log('transport closed with error - %e', err)
      this.status = 'reset'
      this.#terminate(err)
      this.#onFinal()
      this.dispatchEvent(new StreamResetEvent(err))
      return
    }
    this.log.trace('transport closed')
    const remoteWasWritable = this.remoteWriteStatus !== 'closed'
    this.remoteWriteStatus = 'closed'
    this.remoteReadStatus = 'closed'
    if (this.writeStatus !== 'closed') {
      this.writeStatus = 'closed'
      this.#closedWriteFirst = false
    }
    const dropped = this.#sendQueue.clear()
    if (dropped > 0) {
      this.log('transport closed with %d bytes unsent', dropped)
    }
    this.accountMemory()
    if (remoteWasWritable) {
      this.safeDispatchEvent('remoteCloseWrite')
    }
    this.#wakeReader?.()
    this.#maybeFinish()
  }

  /** Both write sides are closed: the stream is done. */
  #maybeFinish (): void {
    if (isFinal(this.status) || this.writeStatus !== 'closed' || this.remoteWriteStatus !== 'closed') {
      return
    }
    this.status = 'closed'
    this.timeline.close = Date.now()
    this.#inactivity.clear()
    if (this.readBuffer.byteLength === 0) {
      this.readStatus = 'closed'
    }
    this.#maybeEnd()
    this.#rejectDrain(() => new StreamStateError('The stream closed'))
    const finished = this.#finished
    this.#finished = undefined
    finished?.resolve()
    this.#wakeReader?.()
    this.log.trace('closed')
    this.#onFinal()
    this.dispatchEvent(new StreamCloseEvent(this.#closedWriteFirst))
  }

  // -------------------------------------------------------------------- abort

  abort (err: Error): void {
    if (isFinal(this.status)) {
      return
    }
    this.log('abort - %e', err)
    this.status = 'aborted'
    this.#terminate(err)
    try {
      this.sendReset(err)
    } catch (sendErr) {
      this.log.error('could not send reset - %e', sendErr)
    }
    this.#onFinal()
    this.dispatchEvent(new StreamAbortEvent(err))
  }

  #onFinal (): void {
    this.#memory?.releaseAll()
    try {
      this.onFinished()
    } catch (err) {
      this.log.error('onFinished failed - %e', err)
    }
  }

  /**
   * Called once when the stream reaches a final status ('closed', 'aborted'
   * or 'reset'), just before `close` is dispatched: a subclass releases its
   * resource here instead of listening to its own `close` event (a listener
   * costs a few hundred bytes per stream).
   */
  protected onFinished (): void {}

  /** Shared by abort, reset and transport failure: drop everything and wake every waiter. */
  #terminate (err: Error): void {
    this.#error = err
    this.timeline.close = Date.now()
    this.#inactivity.clear()
    this.discardReadBuffer()
    this.readStatus = 'closed'
    this.writeStatus = 'closed'
    this.remoteReadStatus = 'closed'
    this.remoteWriteStatus = 'closed'
    this.#maybeEnd()
    this.#rejectDrain(err)
    this.#sendQueue.clear(err)
    const finished = this.#finished
    this.#finished = undefined
    finished?.reject(err)
    this.#wakeReader?.()
  }

  /** Rejects a pending `onDrain()`; the error is only built when someone waits (errors capture a stack). */
  #rejectDrain (err: Error | (() => Error)): void {
    const drain = this.#drain
    this.#drain = undefined
    if (drain != null) {
      drain.promise.catch(() => {})
      drain.reject(typeof err === 'function' ? err() : err)
    }
  }

  // --------------------------------------------------------------- inactivity

  #onIdle (idleFor: number): void {
    if (isFinal(this.status)) {
      return
    }
    this.log('no traffic for %d ms', idleFor)
    this.safeDispatchEvent('idle')
    // an `idle` listener may have closed or aborted the stream itself
    if (!isFinal(this.status) && this.status !== 'closing') {
      this.abort(new TimeoutError(`No data sent or received for ${this.#inactivity.timeout} ms`))
    }
  }
}
