import { LimitExceededError, TypedEventEmitter } from '@ts-libp2p/interface'
import { MUXER_MEMORY_CHUNK } from './constants.js'
import { AbstractMessageStream } from './message-stream.js'
import { MemoryReservation } from './memory-reservation.js'
import { raceSignal } from './race-signal.js'
import { WriteBatch } from './write-batch.js'
import type { AbstractStream } from './stream.js'
import type { AbortOptions, CreateStreamOptions, Logger, MemoryScope, MessageStream, StreamMuxer, StreamMuxerEvents, StreamMuxerStatus } from '@ts-libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Options of {@link AbstractStreamMuxer}. */
export interface StreamMuxerInit {
  log: Logger
  /**
   * While the connection is full, frames keep queueing up to this many bytes
   * (the next batch); past it `connectionBlocked` is true and streams wait.
   */
  connectionHighWaterMark: number
  /** Queued bytes at which the batch is handed over at once rather than at the end of the tick. */
  flushThreshold: number
  /** How far past `connectionHighWaterMark` control frames may queue while the peer does not read. */
  maxControlBacklog: number
  /** Inbound streams held while there is no `stream` listener; later ones are aborted. */
  maxEarlyStreams: number
  /**
   * Charged for the unread bytes the streams buffer (see
   * `accountBuffered()`; a refused reservation resets the stream), for the
   * frames batched while the connection is full (a refusal blocks the
   * streams until its `drain`) and, through `memoryScope`, for what the
   * streams' writers queue (see MessageStreamInit).
   */
  memoryScope?: MemoryScope
}

/** Runs `fn` once the current tick's promise callbacks have run, so their writes share one flush. */
const later: (fn: () => void) => void = typeof process !== 'undefined' && typeof process.nextTick === 'function'
  ? (fn) => { process.nextTick(fn) }
  : (fn) => { setTimeout(fn, 0) }

/**
 * What every frame-based stream muxer (yamux, mplex) does the same way,
 * around its own framing:
 *
 * - writing: frames are queued in one {@link WriteBatch} (the subclass
 *   writes a header with `batch.alloc()` and a payload with
 *   `batch.append()`, then calls `frameQueued()`); the batch goes to the
 *   connection at the end of the tick, at once past `flushThreshold`, or at
 *   the connection's `drain` when it said it was full. Streams that find
 *   `connectionBlocked` register with `waitForConnection()` and get
 *   `onSendReady()` when the batch has room again.
 * - inbound streams that arrive before anyone listens for `stream` are held
 *   (up to `maxEarlyStreams`) and delivered when a listener is added.
 * - `close()` half-closes every writable stream and resolves when each has
 *   flushed and sent its close; the connection ending (`close` event)
 *   ends every stream.
 *
 * The subclass decodes the connection's bytes (`onBytes()`), keeps its
 * streams, opens them, and implements `abort()`. It calls `listen()` at the
 * end of its constructor.
 */
export abstract class AbstractStreamMuxer<S extends AbstractStream> extends TypedEventEmitter<StreamMuxerEvents<S>> implements StreamMuxer<S> {
  public abstract readonly protocol: string
  public status: StreamMuxerStatus
  public readonly log: Logger

  /** The secured connection the streams are multiplexed over. */
  protected readonly maConn: MessageStream
  /** Frames waiting for the connection. */
  protected readonly batch: WriteBatch
  protected readonly connectionHighWaterMark: number
  readonly #flushThreshold: number
  readonly #maxControlBacklog: number
  readonly #maxEarlyStreams: number
  readonly #memoryScope?: MemoryScope
  /** The batch's bytes while the connection is full. */
  readonly #batchMemory?: MemoryReservation
  /** The scope refused the batch more: streams wait for the connection's drain. */
  #batchRefused = false
  /** Bytes reserved in `#memoryScope` per stream (made on first reservation). */
  #reserved?: Map<S, number>
  /** Streams waiting for room (made on first use: most connections never fill). */
  #waiting?: Set<S>
  #earlyStreams: S[]
  #flushScheduled: boolean
  /** The connection's `send()` returned false: frames wait in the batch until its `drain`. */
  #connectionFull: boolean
  #closing?: Promise<void>

  constructor (maConn: MessageStream, init: StreamMuxerInit) {
    super()
    this.status = 'open'
    this.log = init.log
    this.maConn = maConn
    this.batch = new WriteBatch()
    this.connectionHighWaterMark = init.connectionHighWaterMark
    this.#flushThreshold = init.flushThreshold
    this.#maxControlBacklog = init.maxControlBacklog
    this.#maxEarlyStreams = init.maxEarlyStreams
    this.#memoryScope = init.memoryScope
    this.#batchMemory = init.memoryScope != null ? new MemoryReservation(init.memoryScope) : undefined
    this.#earlyStreams = []
    this.#flushScheduled = false
    this.#connectionFull = false
  }

  /** The open streams (a copy). */
  abstract get streams (): S[]

  /** Opens an outbound stream. */
  abstract createStream (options?: CreateStreamOptions): Promise<S>

  /** Resets every stream and stops. */
  abstract abort (err: Error): void

  /** Bytes received from the connection. */
  protected abstract onBytes (data: Uint8Array | Uint8ArrayList): void

  /** Called when `close()` starts, before the streams are closed (e.g. to send a go-away). */
  protected onClosing (): void {}

  /** Called when the connection has ended, before the streams are told. */
  protected onConnectionEnded (): void {}

  /** The scope a subclass passes to its streams (`memoryScope` in their init) to charge their write buffers. */
  protected get memoryScope (): MemoryScope | undefined {
    return this.#memoryScope
  }

  /** Bytes reserved for frames batched behind a full connection (0 without a memory scope). */
  get queuedMemory (): number {
    return this.#batchMemory?.reserved ?? 0
  }

  /**
   * Brings what `stream` has reserved in the memory scope in line with the
   * unread bytes it buffers, in {@link MUXER_MEMORY_CHUNK} steps: the
   * subclass calls it after handing a stream data. More is reserved when the
   * buffer grows past the reservation, and returned when it is two steps
   * below it (so a buffer drained by its reader is returned at the next frame,
   * or when the stream ends). A refused reservation resets the stream with
   * the scope's error. Everything left is returned when the stream ends,
   * whichever way. Without a memory scope it does nothing.
   */
  protected accountBuffered (stream: S): void {
    const scope = this.#memoryScope
    if (scope == null) return
    const buffered = stream.readBufferLength
    if (buffered === 0 && this.#reserved == null) return
    const reserved = this.#reserved?.get(stream) ?? 0
    if (buffered <= reserved && reserved - buffered < 2 * MUXER_MEMORY_CHUNK) return
    const target = Math.ceil(buffered / MUXER_MEMORY_CHUNK) * MUXER_MEMORY_CHUNK
    if (target > reserved) {
      try {
        scope.reserveMemory(target - reserved)
      } catch (err: any) {
        this.log('stream %s buffers %d unread bytes: reservation refused - %e', stream.id, buffered, err)
        stream.abort(err)
        return
      }
      if (stream.status === 'closed' || stream.status === 'aborted' || stream.status === 'reset') {
        scope.releaseMemory(target - reserved)
        return
      }
      this.#reserved ??= new Map()
      // one listener per stream: the entry stays (at 0) until the stream ends
      if (!this.#reserved.has(stream)) stream.addEventListener('close', () => { this.#releaseAll(stream) }, { once: true })
    } else {
      scope.releaseMemory(reserved - target)
    }
    this.#reserved?.set(stream, target)
  }

  #releaseAll (stream: S): void {
    const reserved = this.#reserved?.get(stream) ?? 0
    this.#reserved?.delete(stream)
    if (reserved > 0) this.#memoryScope?.releaseMemory(reserved)
  }

  /** Starts reading the connection; call it at the end of the subclass constructor. */
  protected listen (): void {
    if (this.maConn instanceof AbstractMessageStream) {
      // a connection on our stream base: a plain callback, no event per chunk
      this.maConn.setMessageHandler((data) => {
        this.onBytes(data)
      })
    } else {
      this.maConn.addEventListener('message', (evt) => {
        this.onBytes(evt.data)
      })
    }
    this.maConn.addEventListener('drain', () => {
      this.#onConnectionDrain()
    })
    this.maConn.addEventListener('close', (evt) => {
      this.#onTransportClosed(evt.error)
    })
  }

  /**
   * True while streams must wait: the connection is full and a whole batch
   * (`connectionHighWaterMark`) is already queued behind it. Frames are
   * batched while the connection writes the previous batch, so it never runs
   * dry waiting for us.
   */
  get connectionBlocked (): boolean {
    return this.#connectionFull && (this.batch.byteLength >= this.connectionHighWaterMark || this.#batchRefused)
  }

  /** The connection said it was full: frames queued now go out with the next batch, at its `drain`. */
  protected get connectionFull (): boolean {
    return this.#connectionFull
  }

  /** Bytes of frames queued here for the connection (bounded by `connectionHighWaterMark` plus the control backlog). */
  get queuedBytes (): number {
    return this.batch.byteLength
  }

  /** True when a control frame just queued went past the backlog a peer that does not read may cause. */
  protected get controlBacklogExceeded (): boolean {
    return this.#connectionFull && this.batch.byteLength > this.connectionHighWaterMark + this.#maxControlBacklog
  }

  /**
   * The subclass queued a frame in `batch`: hand it over now, at the end of
   * the tick, or at the next `drain`. Returns false when the stream must
   * wait (`connectionBlocked`).
   */
  protected frameQueued (): boolean {
    if (this.#connectionFull) {
      // goes out with the next batch, on the connection's drain
      if (this.#batchMemory != null && !this.#batchRefused) {
        const refused = this.#batchMemory.update(this.batch.byteLength)
        if (refused != null) {
          this.log('%d bytes batched behind the full connection: reservation refused, streams wait for drain - %e', this.batch.byteLength, refused)
          this.#batchRefused = true
        }
      }
    } else if (this.batch.byteLength >= this.#flushThreshold) {
      this.flush()
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true
      later(() => {
        this.#flushScheduled = false
        this.flush()
      })
    }
    return !this.connectionBlocked
  }

  /** The stream gets `onSendReady()` once the connection takes frames again. */
  waitForConnection (stream: S): void {
    this.#waiting ??= new Set()
    this.#waiting.add(stream)
  }

  /** Forgets a stream that ended while waiting. */
  protected forgetStream (stream: S): void {
    this.#waiting?.delete(stream)
  }

  /** Connections built on a message stream base expose `writeStatus`; the role only has `status`. */
  protected connectionWritable (): boolean {
    const writeStatus = (this.maConn as { writeStatus?: string }).writeStatus
    return writeStatus != null ? writeStatus === 'writable' : this.maConn.status === 'open'
  }

  /** Hands the queued frames to the connection, unless it is full (or `force`, when ending). */
  protected flush (force = false): void {
    if (this.batch.byteLength === 0 || (this.#connectionFull && !force)) {
      return
    }
    const data = this.batch.take()
    if (this.#batchMemory != null && this.#batchMemory.reserved > 0) {
      this.#batchMemory.releaseAll()
    }
    if (!this.connectionWritable()) {
      this.log.trace('dropping %d bytes: the connection is %s', data.byteLength, this.maConn.status)
      return
    }
    try {
      if (!this.maConn.send(data)) {
        this.#connectionFull = true
      }
    } catch (err: any) {
      this.log.error('could not write to the connection - %e', err)
      this.abort(err)
    }
  }

  #onConnectionDrain (): void {
    this.#connectionFull = false
    this.#batchRefused = false
    this.flush()
    if (this.#waiting == null || this.#waiting.size === 0) {
      return
    }
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

  // ------------------------------------------------------ inbound streams

  /** Delivers a new inbound stream to `stream` listeners, or holds it until one is added. */
  protected onRemoteStream (stream: S): void {
    if (this.listenerCount('stream') === 0) {
      if (this.#earlyStreams.length >= this.#maxEarlyStreams) {
        stream.abort(new LimitExceededError(`Too many inbound streams before a "stream" listener was added: ${this.#maxEarlyStreams}`))
        return
      }
      this.#earlyStreams.push(stream)
      return
    }
    this.safeDispatchEvent('stream', { detail: stream })
  }

  /** Drops the held inbound streams (the muxer is ending). */
  protected clearEarlyStreams (): void {
    this.#earlyStreams = []
  }

  override addEventListener (...args: any[]): void {
    // @ts-expect-error forwarding the overloads
    super.addEventListener(...args)
    if (args[0] === 'stream' && this.#earlyStreams.length > 0) {
      // listeners are often added in constructors: deliver on the next microtask
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

  // ------------------------------------------------------------- ending

  /**
   * Half-closes every writable stream and resolves when each has flushed and
   * sent its close; streams stay readable until the remote closes them too.
   * A stream already closing is waited for by whoever closed it (as the
   * official muxers do).
   */
  async close (options: AbortOptions = {}): Promise<void> {
    if (this.status === 'closed') {
      return
    }
    if (this.#closing == null) {
      this.status = 'closing'
      this.onClosing()
      this.#closing = Promise.all(this.streams.filter(stream => stream.writeStatus === 'writable').map(async stream => {
        await stream.close(options).catch(err => {
          this.log('stream %s did not close cleanly - %e', stream.id, err)
          stream.abort(err)
        })
      })).then(() => {
        this.flush()
        this.status = 'closed'
      })
    }
    await raceSignal(this.#closing, options.signal)
  }

  #onTransportClosed (err?: Error): void {
    this.log.trace('connection closed with %d streams', this.streams.length)
    this.status = 'closed'
    this.onConnectionEnded()
    this.batch.clear()
    this.#batchMemory?.releaseAll()
    for (const stream of this.streams) {
      stream.onTransportClosed(err)
    }
    this.#earlyStreams = []
  }
}
