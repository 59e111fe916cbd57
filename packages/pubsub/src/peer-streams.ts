/**
 * The two pubsub streams of one peer (pubsub/README.md, "Stream
 * management": one inbound stream we only read, one outbound stream we only
 * write, both long-lived), with length-prefixed RPC framing on both.
 */
import { decodeVarint, varintLength } from '@ts-libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_OUTBOUND_QUEUE_BYTES, MAX_RPC_SIZE } from './constants.js'
import { InvalidRpcError, RpcTooLargeError, SendQueueFullError } from './errors.js'
import type { Logger, PeerId, Stream } from '@ts-libp2p/interface'

/** What to do when a peer's outbound queue would pass its limit. */
export type OverflowPolicy =
  /** Drop the frame that does not fit; `write()` returns false. */
  | 'drop'
  /** Abort the outbound stream with SendQueueFullError and drop everything queued. */
  | 'close'

/** Callbacks of a {@link PeerStreams}. They must not throw, except `onFrame` (see there). */
export interface PeerStreamsHandlers {
  /**
   * One RPC frame (without its length prefix) read from the inbound stream.
   * The bytes may be a view into a chunk the stream delivered; we never
   * write to them, so keeping views (as decoded messages do) is safe.
   * Throwing aborts (resets) the inbound stream with the thrown error.
   */
  onFrame(peer: PeerStreams, frame: Uint8Array): void
  /** The inbound stream ended or failed (`err` unset when the remote closed it cleanly). */
  onInboundClose?(peer: PeerStreams, err?: Error): void
  /** The outbound stream closed or failed; frames written since wait in the queue for a new one. */
  onOutboundClose?(peer: PeerStreams, err?: Error): void
}

/** Options of a {@link PeerStreams}. */
export interface PeerStreamsInit {
  /** Largest RPC frame read or written, prefix excluded. Default {@link MAX_RPC_SIZE}. */
  maxRpcSize?: number
  /** Bytes queued while the outbound stream is missing or not writable. Default {@link MAX_OUTBOUND_QUEUE_BYTES}. */
  maxQueuedBytes?: number
  /** Default `'drop'`. */
  overflow?: OverflowPolicy
  log?: Logger
}

/**
 * One outbound long-lived stream per peer with a bounded send queue that
 * honours backpressure (frames wait for `drain`, never pile up in the
 * stream past its buffer), and an inbound reader that splits frames with a
 * size limit checked from the length prefix alone. A newer stream in either
 * direction replaces the old one.
 */
export class PeerStreams {
  readonly peerId: PeerId
  /** The stream we write RPCs to, while open. */
  outbound?: Stream
  /** The stream we read RPCs from, while open. */
  inbound?: Stream
  /** Frames dropped because the queue was full. */
  dropped = 0

  readonly #handlers: PeerStreamsHandlers
  readonly #maxRpcSize: number
  readonly #maxFrameSize: number
  readonly #maxQueuedBytes: number
  readonly #overflow: OverflowPolicy
  readonly #log?: Logger
  #queue: Uint8Array[] = []
  readonly #inbounds = new Set<Stream>()
  #queuedBytes = 0
  #closed = false

  constructor (peerId: PeerId, handlers: PeerStreamsHandlers, init: PeerStreamsInit = {}) {
    this.peerId = peerId
    this.#handlers = handlers
    this.#maxRpcSize = init.maxRpcSize ?? MAX_RPC_SIZE
    this.#maxFrameSize = this.#maxRpcSize + varintLength(this.#maxRpcSize)
    this.#maxQueuedBytes = init.maxQueuedBytes ?? MAX_OUTBOUND_QUEUE_BYTES
    this.#overflow = init.overflow ?? 'drop'
    this.#log = init.log
  }

  /** Bytes waiting for the outbound stream. */
  get queuedBytes (): number {
    return this.#queuedBytes
  }

  /** True when an outbound stream is attached and open. */
  get isWritable (): boolean {
    return this.outbound != null && this.outbound.status === 'open' && this.outbound.writeStatus === 'writable'
  }

  /** True after {@link close} or {@link abort}. */
  get closed (): boolean {
    return this.#closed
  }

  /**
   * Queues or sends one frame: an RPC with its length prefix, as built by
   * `encodeRpcFrame`. Returns false when the frame was dropped (queue full
   * or streams closed). Throws RpcTooLargeError for a frame over the size
   * limit (a bug of the caller, not of the peer).
   */
  write (frame: Uint8Array): boolean {
    if (frame.byteLength > this.#maxFrameSize) {
      throw new RpcTooLargeError(`Cannot send an RPC frame of ${frame.byteLength} bytes to ${this.peerId}, the limit is ${this.#maxRpcSize} + prefix`)
    }
    if (this.#closed) return false
    const stream = this.outbound
    if (stream != null && this.#queue.length === 0 && !stream.writableNeedsDrain && this.isWritable) {
      return this.#send(stream, frame)
    }
    if (this.#queuedBytes + frame.byteLength > this.#maxQueuedBytes) {
      this.dropped++
      if (this.#overflow === 'close' && stream != null) {
        const err = new SendQueueFullError(`${this.#queuedBytes} bytes queued for ${this.peerId}, over the limit of ${this.#maxQueuedBytes}: closing the outbound stream`)
        this.#clearQueue()
        stream.abort(err)
      } else {
        this.#log?.('queue for %p full (%d bytes), dropping a frame of %d bytes', this.peerId, this.#queuedBytes, frame.byteLength)
      }
      return false
    }
    this.#queue.push(frame)
    this.#queuedBytes += frame.byteLength
    return true
  }

  #send (stream: Stream, frame: Uint8Array): boolean {
    try {
      if (!stream.send(frame)) {
        stream.addEventListener('drain', this.#onDrain, { once: true })
      }
      return true
    } catch (err: any) {
      this.#log?.('sending to %p failed - %e', this.peerId, err)
      stream.abort(err)
      return false
    }
  }

  readonly #onDrain = (): void => {
    const stream = this.outbound
    if (stream == null || !this.isWritable) return
    while (this.#queue.length > 0) {
      const frame = this.#queue.shift()!
      this.#queuedBytes -= frame.byteLength
      let more: boolean
      try {
        more = stream.send(frame)
      } catch (err: any) {
        stream.abort(err)
        return
      }
      if (!more) {
        stream.addEventListener('drain', this.#onDrain, { once: true })
        return
      }
    }
  }

  #clearQueue (): void {
    this.#queue = []
    this.#queuedBytes = 0
  }

  /**
   * Uses `stream` as the outbound stream (closing a previous one) and sends
   * `firstFrame` (if any), then what was queued.
   */
  attachOutbound (stream: Stream, firstFrame?: Uint8Array): void {
    if (this.#closed) {
      stream.abort(new InvalidRpcError(`The pubsub streams of ${this.peerId} are closed`))
      return
    }
    const previous = this.outbound
    this.outbound = stream
    if (previous != null && previous !== stream) {
      previous.removeEventListener('drain', this.#onDrain)
      void previous.close().catch(err => { previous.abort(err) })
    }
    stream.addEventListener('close', (evt) => {
      stream.removeEventListener('drain', this.#onDrain)
      if (this.outbound !== stream) return
      this.outbound = undefined
      this.#handlers.onOutboundClose?.(this, (evt as any).error)
    }, { once: true })
    if (firstFrame != null) {
      this.#queue.unshift(firstFrame)
      this.#queuedBytes += firstFrame.byteLength
    }
    if (!stream.writableNeedsDrain) this.#onDrain()
    else stream.addEventListener('drain', this.#onDrain, { once: true })
  }

  /**
   * Reads RPC frames from `stream` until it ends. A newer inbound stream
   * becomes `inbound`; an older one is still read until the remote ends it
   * (closing it from our side could make the remote drop the peer, as the
   * official js routers do; the registrar's per-connection stream limit
   * bounds how many there can be).
   */
  attachInbound (stream: Stream): void {
    if (this.#closed) {
      stream.abort(new InvalidRpcError(`The pubsub streams of ${this.peerId} are closed`))
      return
    }
    this.inbound = stream
    this.#inbounds.add(stream)
    void this.#read(stream)
  }

  async #read (stream: Stream): Promise<void> {
    const buffer = new Uint8ArrayList()
    let frameLength = -1
    let error: Error | undefined
    try {
      for await (const chunk of stream) {
        buffer.append(chunk)
        while (true) {
          if (frameLength < 0) {
            const prefix = decodeVarint(buffer, varintLength(this.#maxRpcSize))
            if (prefix == null) break
            if (prefix.value > this.#maxRpcSize) {
              throw new RpcTooLargeError(`${this.peerId} announced an RPC of ${prefix.value} bytes, over the limit of ${this.#maxRpcSize}`)
            }
            buffer.consume(prefix.bytes)
            frameLength = prefix.value
          }
          if (buffer.byteLength < frameLength) break
          const frame = buffer.subarray(0, frameLength)
          buffer.consume(frameLength)
          frameLength = -1
          this.#handlers.onFrame(this, frame)
        }
      }
      if (frameLength >= 0 || buffer.byteLength > 0) {
        throw new InvalidRpcError(`${this.peerId} closed its pubsub stream inside an RPC frame`)
      }
      if (stream.status === 'open') await stream.close({ signal: AbortSignal.timeout(1000) }).catch(err => { stream.abort(err) })
    } catch (err: any) {
      error = err?.name === 'InvalidDataLengthLengthError' || err?.name === 'InvalidMessageLengthError'
        ? new InvalidRpcError(`${this.peerId} sent a bad RPC length prefix: ${err.message}`)
        : err
      this.#log?.('inbound pubsub stream from %p failed - %e', this.peerId, error)
      if (stream.status === 'open' || stream.status === 'closing') stream.abort(error!)
    } finally {
      this.#inbounds.delete(stream)
      if (this.inbound === stream) {
        this.inbound = undefined
        this.#handlers.onInboundClose?.(this, error)
      }
    }
  }

  /** Closes both streams gracefully (bounded by `signal`) and drops the queue. */
  async close (options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#closed = true
    this.#clearQueue()
    const streams = [this.outbound, ...this.#inbounds].filter((s): s is Stream => s != null)
    this.outbound = undefined
    this.inbound = undefined
    this.#inbounds.clear()
    await Promise.all(streams.map(async (s) => {
      try {
        await s.close({ signal: options.signal ?? AbortSignal.timeout(1000) })
      } catch (err: any) {
        s.abort(err)
      }
    }))
  }

  /** Aborts both streams with `err` and drops the queue. */
  abort (err: Error): void {
    this.#closed = true
    this.#clearQueue()
    const streams = [this.outbound, ...this.#inbounds]
    this.outbound = undefined
    this.inbound = undefined
    this.#inbounds.clear()
    for (const s of streams) s?.abort(err)
  }
}
