import { LimitExceededError, MuxerClosedError, StreamBufferError } from '@ts-libp2p/interface'
import { AbstractStreamMuxer } from '@ts-libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_CONNECTION_HIGH_WATER_MARK, DEFAULT_MAX_EARLY_STREAMS, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_OUTBOUND_STREAMS, DEFAULT_MAX_STREAM_BUFFER_SIZE, FLUSH_THRESHOLD, MAX_CONTROL_BACKLOG, MessageType } from './constants.js'
import { ControlBacklogError, StreamBufferExceededError, StreamIdReuseError } from './errors.js'
import { MessageDecoder, encodeHeader } from './message.js'
import { MplexStream } from './stream.js'
import type { MplexInit } from './index.js'
import type { Message } from './message.js'
import type { MplexStreamHost } from './stream.js'
import type { ComponentLogger, CounterGroup, CreateStreamOptions, MessageStream, Metrics } from '@ts-libp2p/interface'

/** What the muxer takes from the node. */
export interface MplexComponents {
  logger: ComponentLogger
  metrics?: Metrics
}

let muxers = 0

/**
 * An mplex session over one secured connection. Stream ids are allocated
 * per initiator, so streams are kept in two maps: the ones we initiated and
 * the ones the remote did (spec line 132).
 */
export class MplexMuxer extends AbstractStreamMuxer<MplexStream> implements MplexStreamHost {
  public readonly protocol: string

  readonly #init: MplexInit & { maxMessageSize: number, maxStreamBufferSize: number, maxInboundStreams: number, maxOutboundStreams: number, maxEarlyStreams: number }
  readonly #initiated: Map<number, MplexStream>
  readonly #received: Map<number, MplexStream>
  readonly #decoder: MessageDecoder
  readonly #metrics?: CounterGroup
  #nextStreamId: number
  #aborted: boolean

  constructor (maConn: MessageStream, init: MplexInit, components: MplexComponents, protocol: string) {
    const settings = {
      ...init,
      maxMessageSize: init.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
      maxStreamBufferSize: init.maxStreamBufferSize ?? DEFAULT_MAX_STREAM_BUFFER_SIZE,
      maxInboundStreams: init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
      maxOutboundStreams: init.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS,
      maxEarlyStreams: init.maxEarlyStreams ?? DEFAULT_MAX_EARLY_STREAMS
    }
    const connectionLimit = maConn.maxWriteBufferLength ?? Infinity
    super(maConn, {
      log: components.logger.forComponent(`mplex:${muxers++}`),
      connectionHighWaterMark: Math.max(0, Math.min(init.connectionHighWaterMark ?? DEFAULT_CONNECTION_HIGH_WATER_MARK, connectionLimit - 2 * (settings.maxMessageSize + FLUSH_THRESHOLD))),
      flushThreshold: FLUSH_THRESHOLD,
      maxControlBacklog: MAX_CONTROL_BACKLOG,
      maxEarlyStreams: settings.maxEarlyStreams,
      memoryScope: init.memoryScope
    })
    this.protocol = protocol
    this.#init = settings
    this.#metrics = components.metrics?.registerCounterGroup('libp2p_mplex_streams_total', { label: 'event', help: 'mplex streams opened and closed' })
    this.#initiated = new Map()
    this.#received = new Map()
    this.#decoder = new MessageDecoder(this.#init.maxMessageSize)
    this.#nextStreamId = 0
    this.#aborted = false
    this.listen()
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
    // `protocol` and `signal` are the caller's, not the stream's: mplex does not
    // negotiate protocols, so a stream starts with none and the node runs
    // multistream-select on it (a muxer that set it would skip negotiation)
    const { protocol, signal, ...rest } = options
    const stream = new MplexStream({
      ...this.#init.streamOptions,
      ...rest,
      id: `${direction === 'outbound' ? 'i' : 'r'}${id}`,
      streamId: id,
      direction,
      log: this.log.newScope(`${direction}:${id}`),
      host: this,
      maxMessageSize: this.#init.maxMessageSize,
      // checked by the muxer before a message is delivered (reset or disconnect)
      maxReadBufferLength: Infinity,
      // the write buffer (what waits for the window or the connection) counts in the peer's memory
      memoryScope: this.memoryScope
    })
    map.set(id, stream)
    this.#metrics?.increment({ [`${direction}_open`]: true })
    stream.addEventListener('close', (evt) => {
      if (map.get(id) === stream) {
        map.delete(id)
      }
      this.forgetStream(stream)
      this.#metrics?.increment({ [`${direction}_${evt.error == null ? 'close' : 'reset'}`]: true })
    }, { once: true })
    return stream
  }

  // ------------------------------------------------------------ writing

  sendMessage (id: number, type: MessageType, data?: Uint8ArrayList): boolean {
    if (this.#aborted) {
      return false
    }
    const length = data?.byteLength ?? 0
    this.batch.copy(encodeHeader(id, type, length))
    if (data != null && length > 0) {
      this.batch.append(data)
    }
    if (length === 0 && this.controlBacklogExceeded) {
      this.#abortConnection(new ControlBacklogError(`${this.batch.byteLength} bytes queued, control messages past the batch limit, while the peer is not reading`))
      return false
    }
    return this.frameQueued()
  }

  // ----------------------------------------------------------- reading

  protected onBytes (data: Uint8Array | Uint8ArrayList): void {
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
      this.onRemoteStream(this.#newStream(id, 'inbound'))
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
    this.accountBuffered(stream)
  }

  // ------------------------------------------------------ ending

  /** Resets every stream and stops. */
  abort (err: Error): void {
    if (this.#aborted) {
      return
    }
    this.log('abort - %e', err)
    for (const stream of this.streams) {
      stream.abort(err)
    }
    this.flush(true)
    this.status = 'closed'
    this.#aborted = true
    this.clearEarlyStreams()
  }

  /** The remote broke the protocol (or the limits): end every stream and the connection. */
  #abortConnection (err: Error): void {
    this.abort(err)
    this.maConn.abort(err)
  }
}
