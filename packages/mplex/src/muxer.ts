import { LimitExceededError, MuxerClosedError, StreamBufferError, TypedEventEmitter } from '@ts-libp2p/interface'
import { WriteBatch, raceSignal } from '@ts-libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_CONNECTION_HIGH_WATER_MARK, DEFAULT_MAX_EARLY_STREAMS, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_OUTBOUND_STREAMS, DEFAULT_MAX_STREAM_BUFFER_SIZE, FLUSH_THRESHOLD, MAX_CONTROL_BACKLOG, MessageType } from './constants.js'
import { ControlBacklogError, StreamBufferExceededError, StreamIdReuseError } from './errors.js'
import { MessageDecoder, encodeHeader } from './message.js'
import { MplexStream } from './stream.js'
import type { MplexInit } from './index.js'
import type { Message } from './message.js'
import type { MplexStreamHost } from './stream.js'
import type { AbortOptions, ComponentLogger, CounterGroup, CreateStreamOptions, Logger, MessageStream, Metrics, StreamMuxer, StreamMuxerEvents, StreamMuxerStatus } from '@ts-libp2p/interface'

/** What the muxer takes from the node. */
export interface MplexComponents {
  logger: ComponentLogger
  metrics?: Metrics
}

let muxers = 0

const later: (fn: () => void) => void = typeof process !== 'undefined' && typeof process.nextTick === 'function'
  ? (fn) => { process.nextTick(fn) }
  : (fn) => { setTimeout(fn, 0) }

/**
 * An mplex session over one secured connection. Stream ids are allocated
 * per initiator, so streams are kept in two maps: the ones we initiated and
 * the ones the remote did (spec line 132).
 */
export class MplexMuxer extends TypedEventEmitter<StreamMuxerEvents<MplexStream>> implements StreamMuxer<MplexStream>, MplexStreamHost {
  public readonly protocol: string
  public status: StreamMuxerStatus
  public readonly log: Logger

  readonly #maConn: MessageStream
  readonly #init: MplexInit & { maxMessageSize: number, maxStreamBufferSize: number, maxInboundStreams: number, maxOutboundStreams: number, maxEarlyStreams: number }
  readonly #initiated: Map<number, MplexStream>
  readonly #received: Map<number, MplexStream>
  readonly #decoder: MessageDecoder
  readonly #waiting: Set<MplexStream>
  readonly #metrics?: CounterGroup
  readonly #connectionHighWaterMark: number
  readonly #pending: WriteBatch
  #flushScheduled: boolean
  /** The connection's `send()` returned false: messages wait in #pending until its `drain`. */
  #connectionFull: boolean
  #nextStreamId: number
  #earlyStreams: MplexStream[]
  #closing?: Promise<void>
  #aborted: boolean

  constructor (maConn: MessageStream, init: MplexInit, components: MplexComponents, protocol: string) {
    super()
    this.protocol = protocol
    this.#maConn = maConn
    this.#init = {
      ...init,
      maxMessageSize: init.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
      maxStreamBufferSize: init.maxStreamBufferSize ?? DEFAULT_MAX_STREAM_BUFFER_SIZE,
      maxInboundStreams: init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
      maxOutboundStreams: init.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS,
      maxEarlyStreams: init.maxEarlyStreams ?? DEFAULT_MAX_EARLY_STREAMS
    }
    const connectionLimit = maConn.maxWriteBufferLength ?? Infinity
    this.#connectionHighWaterMark = Math.max(0, Math.min(init.connectionHighWaterMark ?? DEFAULT_CONNECTION_HIGH_WATER_MARK, connectionLimit - 2 * (this.#init.maxMessageSize + FLUSH_THRESHOLD)))
    this.log = components.logger.forComponent(`mplex:${muxers++}`)
    this.#metrics = components.metrics?.registerCounterGroup('libp2p_mplex_streams_total', { label: 'event', help: 'mplex streams opened and closed' })
    this.status = 'open'
    this.#initiated = new Map()
    this.#received = new Map()
    this.#decoder = new MessageDecoder(this.#init.maxMessageSize)
    this.#waiting = new Set()
    this.#pending = new WriteBatch()
    this.#flushScheduled = false
    this.#connectionFull = false
    this.#nextStreamId = 0
    this.#earlyStreams = []
    this.#aborted = false

    maConn.addEventListener('message', (evt) => { this.#onBytes(evt.data) })
    maConn.addEventListener('drain', () => { this.#onConnectionDrain() })
    maConn.addEventListener('close', (evt) => { this.#onTransportClosed(evt.error) })
  }

  /**
   * True while streams must wait: the connection is full and a whole batch
   * (`connectionHighWaterMark`) is already queued behind it. Messages are
   * batched while the connection writes the previous batch.
   */
  get connectionBlocked (): boolean {
    return this.#connectionFull && this.#pending.byteLength >= this.#connectionHighWaterMark
  }

  /** Bytes of messages queued here for the connection. */
  get queuedBytes (): number {
    return this.#pending.byteLength
  }

  /** The open streams (a copy). */
  get streams (): MplexStream[] {
    return [...this.#initiated.values(), ...this.#received.values()]
  }

  // ------------------------------------------------------------- streams

  /** Opens an outbound stream: NewStream goes out with this tick's batch. */
  async createStream (options: CreateStreamOptions = {}): Promise<MplexStream> {
    if (this.status !== 'open') {
      throw new MuxerClosedError(`The mplex muxer is ${this.status}`)
    }
    if (this.#initiated.size >= this.#init.maxOutboundStreams) {
      throw new LimitExceededError(`Too many outbound mplex streams: ${this.#initiated.size}/${this.#init.maxOutboundStreams}`)
    }
    const id = this.#nextStreamId++
    const stream = this.#newStream(id, 'outbound', options)
    // the name is for debugging only (spec line 130); we send the id
    this.sendMessage(id, MessageType.NewStream, new Uint8ArrayList(new TextEncoder().encode(`${id}`)))
    return stream
  }

  #newStream (id: number, direction: 'inbound' | 'outbound', options: CreateStreamOptions = {}): MplexStream {
    const map = direction === 'outbound' ? this.#initiated : this.#received
    const stream = new MplexStream({
      ...this.#init.streamOptions,
      ...options,
      id: `${direction === 'outbound' ? 'i' : 'r'}${id}`,
      streamId: id,
      direction,
      log: this.log.newScope(`${direction}:${id}`),
      host: this,
      maxMessageSize: this.#init.maxMessageSize,
      // checked by the muxer before a message is delivered (reset or disconnect)
      maxReadBufferLength: Infinity
    })
    map.set(id, stream)
    this.#metrics?.increment({ [`${direction}_open`]: true })
    stream.addEventListener('close', (evt) => {
      if (map.get(id) === stream) {
        map.delete(id)
      }
      this.#waiting.delete(stream)
      this.#metrics?.increment({ [`${direction}_${evt.error == null ? 'close' : 'reset'}`]: true })
    }, { once: true })
    return stream
  }

  #onRemoteStream (stream: MplexStream): void {
    if (this.listenerCount('stream') === 0) {
      if (this.#earlyStreams.length >= this.#init.maxEarlyStreams) {
        stream.abort(new LimitExceededError(`Too many inbound streams before a "stream" listener was added: ${this.#init.maxEarlyStreams}`))
        return
      }
      this.#earlyStreams.push(stream)
      return
    }
    this.safeDispatchEvent('stream', { detail: stream })
  }

  override addEventListener (...args: any[]): void {
    // @ts-expect-error forwarding the overloads
    super.addEventListener(...args)
    if (args[0] === 'stream' && this.#earlyStreams.length > 0) {
      queueMicrotask(() => {
        const early = this.#earlyStreams
        this.#earlyStreams = []
        for (const stream of early) {
          if (stream.status === 'open') {
            this.safeDispatchEvent('stream', { detail: stream })
          }
        }
      })
    }
  }

  // ------------------------------------------------------------ writing

  sendMessage (id: number, type: MessageType, data?: Uint8ArrayList): boolean {
    if (this.#aborted) {
      return false
    }
    const length = data?.byteLength ?? 0
    this.#pending.copy(encodeHeader(id, type, length))
    if (data != null && length > 0) {
      this.#pending.append(data)
    }
    if (length === 0 && this.#connectionFull && this.#pending.byteLength > this.#connectionHighWaterMark + MAX_CONTROL_BACKLOG) {
      this.#abortConnection(new ControlBacklogError(`${this.#pending.byteLength} bytes queued, control messages past the batch limit, while the peer is not reading`))
      return false
    }
    if (this.#connectionFull) {
      // goes out with the next batch, on the connection's drain
    } else if (this.#pending.byteLength >= FLUSH_THRESHOLD) {
      this.#flush()
    } else {
      this.#scheduleFlush()
    }
    return !this.connectionBlocked
  }

  waitForConnection (stream: MplexStream): void {
    this.#waiting.add(stream)
  }

  #connectionWritable (): boolean {
    const writeStatus = (this.#maConn as { writeStatus?: string }).writeStatus
    return writeStatus != null ? writeStatus === 'writable' : this.#maConn.status === 'open'
  }

  #scheduleFlush (): void {
    if (this.#flushScheduled) {
      return
    }
    this.#flushScheduled = true
    later(() => {
      this.#flushScheduled = false
      this.#flush()
    })
  }

  /** Hands the queued messages to the connection, unless it is full (or `force`, when ending). */
  #flush (force = false): void {
    if (this.#pending.byteLength === 0 || (this.#connectionFull && !force)) {
      return
    }
    const data = this.#pending.take()
    if (!this.#connectionWritable()) {
      this.log.trace('dropping %d bytes: the connection is %s', data.byteLength, this.#maConn.status)
      return
    }
    try {
      if (!this.#maConn.send(data)) {
        this.#connectionFull = true
      }
    } catch (err: any) {
      this.log.error('could not write to the connection - %e', err)
      this.abort(err)
    }
  }

  #onConnectionDrain (): void {
    this.#connectionFull = false
    this.#flush()
    const waiting = [...this.#waiting]
    this.#waiting.clear()
    for (const stream of waiting) {
      if (this.connectionBlocked) {
        this.#waiting.add(stream)
        continue
      }
      stream.onSendReady()
    }
  }

  // ----------------------------------------------------------- reading

  #onBytes (data: Uint8Array | Uint8ArrayList): void {
    if (this.#aborted) {
      return
    }
    try {
      this.#decoder.push(data)
      let message: Message | undefined
      while ((message = this.#decoder.next()) != null) {
        this.#onMessage(message)
        if (this.#aborted) {
          return
        }
      }
    } catch (err: any) {
      this.log.error('protocol error - %e', err)
      this.#abortConnection(err)
    }
  }

  #onMessage ({ id, type, data }: Message): void {
    if (type === MessageType.NewStream) {
      if (this.#received.has(id)) {
        throw new StreamIdReuseError(`NewStream for remote stream ${id}, which is open`)
      }
      if (this.status !== 'open' || this.#received.size >= this.#init.maxInboundStreams) {
        this.log('refusing inbound stream %d: %s', id, this.status !== 'open' ? `muxer ${this.status}` : `${this.#received.size} streams open`)
        this.sendMessage(id, MessageType.ResetReceiver)
        return
      }
      this.#onRemoteStream(this.#newStream(id, 'inbound'))
      return
    }
    // odd flags concern streams we initiated (the remote is the receiver), even ones streams it initiated
    const fromReceiver = type === MessageType.MessageReceiver || type === MessageType.CloseReceiver || type === MessageType.ResetReceiver
    const stream = (fromReceiver ? this.#initiated : this.#received).get(id)
    if (stream == null) {
      // a late message for a stream that has ended, or one we refused
      this.log.trace('message type %d for unknown %s stream %d', type, fromReceiver ? 'initiated' : 'received', id)
      return
    }
    switch (type) {
      case MessageType.MessageInitiator:
      case MessageType.MessageReceiver:
        this.#deliver(stream, data)
        return
      case MessageType.CloseInitiator:
      case MessageType.CloseReceiver:
        stream.onRemoteCloseWrite()
        return
      default:
        stream.onRemoteReset()
    }
  }

  /** Hands a message to its stream unless that would take its unread bytes past the limit. */
  #deliver (stream: MplexStream, data: Uint8ArrayList): void {
    if (stream.readBufferLength + data.byteLength > this.#init.maxStreamBufferSize) {
      const message = `Stream ${stream.id} has ${stream.readBufferLength} unread bytes; ${data.byteLength} more exceed the limit of ${this.#init.maxStreamBufferSize}`
      if (this.#init.disconnectOnBufferExceeded === true) {
        this.#abortConnection(new StreamBufferExceededError(message))
      } else {
        stream.abort(new StreamBufferError(message))
      }
      return
    }
    stream.onData(data)
  }

  // ------------------------------------------------------ ending

  /** Half-closes every stream (mplex has no go-away) and stops accepting new ones. */
  async close (options: AbortOptions = {}): Promise<void> {
    if (this.status === 'closed') {
      return
    }
    if (this.#closing == null) {
      this.status = 'closing'
      this.#closing = Promise.all(this.streams.filter(stream => stream.writeStatus === 'writable').map(async stream => {
        await stream.close(options).catch(err => {
          this.log('stream %s did not close cleanly - %e', stream.id, err)
          stream.abort(err)
        })
      })).then(() => {
        this.#flush()
        this.status = 'closed'
      })
    }
    await raceSignal(this.#closing, options.signal)
  }

  /** Resets every stream and stops. */
  abort (err: Error): void {
    if (this.#aborted) {
      return
    }
    this.log('abort - %e', err)
    for (const stream of this.streams) {
      stream.abort(err)
    }
    this.#flush(true)
    this.status = 'closed'
    this.#aborted = true
    this.#earlyStreams = []
  }

  /** The remote broke the protocol (or the limits): end every stream and the connection. */
  #abortConnection (err: Error): void {
    this.abort(err)
    this.#maConn.abort(err)
  }

  #onTransportClosed (err?: Error): void {
    this.log.trace('connection closed with %d streams', this.#initiated.size + this.#received.size)
    this.status = 'closed'
    this.#pending.clear()
    for (const stream of this.streams) {
      stream.onTransportClosed(err)
    }
    this.#earlyStreams = []
  }
}
