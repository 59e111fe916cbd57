import { LimitExceededError, MuxerClosedError } from '@ts-libp2p/interface'
import { AbstractStreamMuxer } from '@ts-libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_CONNECTION_HIGH_WATER_MARK, DEFAULT_KEEP_ALIVE_INTERVAL, DEFAULT_MAX_EARLY_STREAMS, DEFAULT_MAX_FRAME_PAYLOAD, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_OUTBOUND_STREAMS, DEFAULT_MAX_STREAM_WINDOW, FLUSH_THRESHOLD, Flag, FrameType, GoAwayCode, HEADER_LENGTH, INITIAL_STREAM_WINDOW, MAX_CONTROL_BACKLOG, MAX_WINDOW, PROTOCOL_ID, SESSION_STREAM_ID } from './constants.js'
import { ControlBacklogError, GoAwayError, InvalidStreamIdError, KeepAliveTimeoutError, ReceiveWindowExceededError, StreamIdReuseError, UnknownStreamError, isYamuxProtocolError } from './errors.js'
import { FrameDecoder, writeFrameLength, writeHeader } from './frame.js'
import { YamuxStream } from './stream.js'
import type { YamuxInit } from './index.js'
import type { FrameHeader, Frame } from './frame.js'
import type { YamuxStreamHost } from './stream.js'
import type { ComponentLogger, CounterGroup, CreateStreamOptions, MessageStream, Metrics } from '@ts-libp2p/interface'

/** What the muxer takes from the node. */
export interface YamuxComponents {
  logger: ComponentLogger
  metrics?: Metrics
}

let muxers = 0

const nextMacrotask: (fn: () => void) => void = typeof setImmediate === 'function'
  ? (fn) => { setImmediate(fn) }
  : (fn) => { setTimeout(fn, 0) }

/**
 * A yamux session over one secured connection (`maConn`). The side that
 * dialed (`maConn.direction === 'outbound'`) is the client and opens odd
 * stream ids; the other opens even ones (spec lines 89-91).
 */
export class YamuxMuxer extends AbstractStreamMuxer<YamuxStream> implements YamuxStreamHost {
  public readonly protocol = PROTOCOL_ID
  /** The last measured round-trip time in ms, 0 until a ping came back. */
  public rtt: number
  /** The go-away code we sent, if any. */
  public localGoAway?: number
  /** The go-away code the remote sent, if any. */
  public remoteGoAway?: number

  readonly #client: boolean
  readonly #streams: Map<number, YamuxStream>
  readonly #decoder: FrameDecoder
  readonly #synQueue: YamuxStream[]
  readonly #init: Required<Pick<YamuxInit, 'initialStreamWindowSize' | 'maxStreamWindowSize' | 'maxInboundStreams' | 'maxOutboundStreams' | 'maxEarlyStreams' | 'keepAliveInterval' | 'maxFramePayload'>> & YamuxInit
  readonly #metrics?: CounterGroup
  #synsScheduled: boolean
  #nextStreamId: number
  #maxRemoteStreamId: number
  #inbound: number
  #outbound: number
  #pingId: number
  #pingSentAt?: number
  #keepAlive?: ReturnType<typeof setInterval>
  /** Set by abort(): frames that arrive later are not processed. */
  #aborted: boolean
  /**
   * The last data frame queued behind a full connection, which later frames
   * of its stream may extend (see `#extendLastFrame()`): its header in the
   * batch, stream, payload length, and the batch's generation and length
   * just after it.
   */
  #lastHeader?: Uint8Array
  #lastStreamId: number
  #lastLength: number
  #lastGeneration: number
  #lastEnd: number

  constructor (maConn: MessageStream, init: YamuxInit, components: YamuxComponents) {
    const settings = {
      ...init,
      initialStreamWindowSize: init.initialStreamWindowSize ?? INITIAL_STREAM_WINDOW,
      maxStreamWindowSize: init.maxStreamWindowSize ?? DEFAULT_MAX_STREAM_WINDOW,
      maxInboundStreams: init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
      maxOutboundStreams: init.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS,
      maxEarlyStreams: init.maxEarlyStreams ?? DEFAULT_MAX_EARLY_STREAMS,
      keepAliveInterval: init.keepAliveInterval ?? DEFAULT_KEEP_ALIVE_INTERVAL,
      maxFramePayload: init.maxFramePayload ?? DEFAULT_MAX_FRAME_PAYLOAD
    }
    if (settings.initialStreamWindowSize < INITIAL_STREAM_WINDOW) {
      throw new RangeError(`initialStreamWindowSize must be at least ${INITIAL_STREAM_WINDOW} (spec line 135)`)
    }
    if (settings.maxStreamWindowSize < settings.initialStreamWindowSize || settings.maxStreamWindowSize > MAX_WINDOW) {
      throw new RangeError('maxStreamWindowSize must be between initialStreamWindowSize and 2^32-1')
    }
    // stay clear of the connection's own limit: one flush may add a frame and a batch on top
    const connectionLimit = maConn.maxWriteBufferLength ?? Infinity
    super(maConn, {
      log: components.logger.forComponent(`yamux:${muxers++}`),
      connectionHighWaterMark: Math.max(0, Math.min(init.connectionHighWaterMark ?? DEFAULT_CONNECTION_HIGH_WATER_MARK, connectionLimit - 2 * (settings.maxFramePayload + FLUSH_THRESHOLD))),
      flushThreshold: FLUSH_THRESHOLD,
      maxControlBacklog: MAX_CONTROL_BACKLOG,
      maxEarlyStreams: settings.maxEarlyStreams,
      memoryScope: init.memoryScope
    })
    this.#init = settings
    this.#metrics = components.metrics?.registerCounterGroup('libp2p_yamux_streams_total', { label: 'event', help: 'yamux streams opened and closed' })
    this.rtt = 0
    this.#client = maConn.direction === 'outbound'
    this.#streams = new Map()
    this.#synQueue = []
    this.#synsScheduled = false
    this.#nextStreamId = this.#client ? 1 : 2
    this.#maxRemoteStreamId = 0
    this.#inbound = 0
    this.#outbound = 0
    this.#pingId = 0
    this.#aborted = false
    this.#lastStreamId = 0
    this.#lastLength = 0
    this.#lastGeneration = 0
    this.#lastEnd = 0
    this.#decoder = new FrameDecoder(header => { this.#checkHeader(header) })
    this.listen()

    // the first ping measures the RTT that window auto-tuning needs
    this.#sendPing()
    if (this.#init.enableKeepAlive !== false && this.#init.keepAliveInterval > 0) {
      this.#keepAlive = setInterval(() => { this.#onKeepAlive() }, this.#init.keepAliveInterval)
      if (typeof this.#keepAlive === 'object' && typeof this.#keepAlive.unref === 'function') {
        this.#keepAlive.unref()
      }
    }
  }

  /** The open streams (a copy). */
  get streams (): YamuxStream[] {
    return [...this.#streams.values()]
  }

  // ------------------------------------------------------------- streams

  /** Opens an outbound stream. Its SYN goes out with its first frame, or at the end of this tick. */
  async createStream (options: CreateStreamOptions = {}): Promise<YamuxStream> {
    if (this.status !== 'open') {
      throw new MuxerClosedError(`The yamux muxer is ${this.status}`)
    }
    if (this.remoteGoAway != null) {
      throw new MuxerClosedError(`The remote sent go-away (code ${this.remoteGoAway}): no new streams`)
    }
    if (this.#outbound >= this.#init.maxOutboundStreams) {
      throw new LimitExceededError(`Too many outbound yamux streams: ${this.#outbound}/${this.#init.maxOutboundStreams}`)
    }
    const id = this.#nextStreamId
    if (id > MAX_WINDOW) {
      throw new LimitExceededError('Yamux stream ids are exhausted on this connection')
    }
    this.#nextStreamId += 2
    const stream = this.#newStream(id, 'outbound', options)
    this.#synQueue.push(stream)
    this.#scheduleSyns()
    return stream
  }

  #newStream (id: number, direction: 'inbound' | 'outbound', options: CreateStreamOptions = {}): YamuxStream {
    // `protocol` and `signal` are the caller's, not the stream's: yamux does not
    // negotiate protocols, so a stream starts with none and the node runs
    // multistream-select on it (a muxer that set it would skip negotiation)
    const { protocol, signal, ...rest } = options
    const streamOptions = { ...this.#init.streamOptions, ...rest }
    const stream = new YamuxStream({
      ...streamOptions,
      id: `${id}`,
      streamId: id,
      direction,
      log: this.log.newScope(`${direction}:${id}`),
      host: this,
      initialWindow: this.#init.initialStreamWindowSize,
      maxWindow: this.#init.maxStreamWindowSize,
      maxMessageSize: this.#init.maxFramePayload,
      // the write buffer (what waits for the window or the connection) counts in the peer's memory
      memoryScope: this.memoryScope
    })
    this.#streams.set(id, stream)
    if (direction === 'inbound') {
      this.#inbound++
    } else {
      this.#outbound++
    }
    this.#metrics?.increment({ [`${direction}_open`]: true })
    stream.addEventListener('close', (evt) => {
      if (this.#streams.get(id) === stream) {
        this.#streams.delete(id)
        if (direction === 'inbound') {
          this.#inbound--
        } else {
          this.#outbound--
        }
      }
      this.forgetStream(stream)
      this.#metrics?.increment({ [`${direction}_${evt.error == null ? 'close' : 'reset'}`]: true })
    }, { once: true })
    return stream
  }

  // ------------------------------------------------------------ writing

  sendFrame (type: FrameType, flags: number, streamId: number, length: number, data?: Uint8ArrayList): boolean {
    if (this.status === 'closed' && !this.connectionWritable()) {
      return false
    }
    if (type === FrameType.Data && data != null && this.connectionFull) {
      if (flags === 0 && this.#extendLastFrame(streamId, length, data)) {
        return this.frameQueued()
      }
      const header = this.batch.alloc(HEADER_LENGTH)
      writeHeader(header, type, flags, streamId, length)
      this.batch.append(data)
      this.#lastHeader = header
      this.#lastStreamId = streamId
      this.#lastLength = length
      this.#lastGeneration = this.batch.generation
      this.#lastEnd = this.batch.byteLength
      return this.frameQueued()
    }
    writeHeader(this.batch.alloc(HEADER_LENGTH), type, flags, streamId, length)
    if (data != null) {
      this.batch.append(data)
    } else if (this.controlBacklogExceeded) {
      this.abort(new ControlBacklogError(`${this.batch.byteLength} bytes queued, control frames past the batch limit, while the peer is not reading`))
      return false
    }
    return this.frameQueued()
  }

  /**
   * While the connection is full, a data frame that directly follows one of
   * the same stream in the batch is merged into it (the queued header's
   * length grows; the payload arrays are appended, not copied), up to
   * `maxFramePayload`. A writer ahead of the connection then makes a few
   * large frames per batch instead of one per write: fewer headers and, on
   * the receiving side, fewer frames to decode and reader wake-ups. Frames
   * that go out at once (the connection not full) keep the writes apart.
   */
  #extendLastFrame (streamId: number, length: number, data: Uint8ArrayList): boolean {
    const header = this.#lastHeader
    if (header == null || this.#lastStreamId !== streamId || this.#lastGeneration !== this.batch.generation ||
      this.#lastEnd !== this.batch.byteLength || this.#lastLength + length > this.#init.maxFramePayload) {
      return false
    }
    this.batch.append(data)
    this.#lastLength += length
    this.#lastEnd = this.batch.byteLength
    writeFrameLength(header, this.#lastLength)
    return true
  }

  /**
   * Bare SYNs go out on the next macrotask, so that a caller who writes right
   * after `await createStream()` has its data carry the SYN (lazy open).
   */
  #scheduleSyns (): void {
    if (this.#synsScheduled) {
      return
    }
    this.#synsScheduled = true
    nextMacrotask(() => {
      this.#synsScheduled = false
      for (const stream of this.#synQueue.splice(0)) {
        stream.sendSynIfPending()
      }
      this.flush()
    })
  }

  // ----------------------------------------------------------- reading

  protected onBytes (data: Uint8Array | Uint8ArrayList): void {
    if (this.#aborted) {
      return
    }
    try {
      this.#decoder.push(data)
      let frame: Frame | undefined
      while ((frame = this.#decoder.next()) != null) {
        this.#onFrame(frame)
        if (this.#aborted) {
          return
        }
      }
    } catch (err: any) {
      this.#onProtocolError(err)
    }
  }

  #isOurs (id: number): boolean {
    return (id % 2 === 1) === this.#client
  }

  /** Refuses a header before its payload is buffered. */
  #checkHeader (header: FrameHeader): void {
    if (header.type === FrameType.Ping || header.type === FrameType.GoAway) {
      if (header.streamId !== SESSION_STREAM_ID) {
        throw new InvalidStreamIdError(`${header.type === FrameType.Ping ? 'Ping' : 'Go away'} on stream ${header.streamId}, expected 0 (spec line 93)`)
      }
      return
    }
    if (header.streamId === SESSION_STREAM_ID) {
      throw new InvalidStreamIdError('Data or window update on stream 0, which is reserved for the session (spec line 91)')
    }
    if (header.type !== FrameType.Data) {
      return
    }
    const stream = this.#streams.get(header.streamId)
    if (stream != null && (header.flags & Flag.SYN) === 0) {
      stream.checkDataLength(header.length)
    } else if (header.length > ((header.flags & Flag.SYN) !== 0 ? this.#init.initialStreamWindowSize : this.#init.maxStreamWindowSize)) {
      throw new ReceiveWindowExceededError(`Data frame of ${header.length} bytes on stream ${header.streamId} exceeds any window we granted`)
    }
  }

  #onFrame ({ header, data }: Frame): void {
    switch (header.type) {
      case FrameType.Ping:
        this.#onPing(header)
        return
      case FrameType.GoAway:
        this.#onGoAway(header.length)
        return
      default:
        this.#onStreamFrame(header, data)
    }
  }

  #onStreamFrame (header: FrameHeader, data?: Uint8ArrayList): void {
    const { streamId: id, flags } = header
    let stream = this.#streams.get(id)
    if ((flags & Flag.SYN) !== 0) {
      if (stream != null) {
        throw new StreamIdReuseError(`SYN for stream ${id}, which is open`)
      }
      if (this.#isOurs(id)) {
        throw new InvalidStreamIdError(`SYN for stream ${id}: the ${this.#client ? 'server opens even' : 'client opens odd'} ids (spec line 89)`)
      }
      this.#maxRemoteStreamId = Math.max(this.#maxRemoteStreamId, id)
      if (this.localGoAway != null || this.status !== 'open' || this.#inbound >= this.#init.maxInboundStreams) {
        this.log('refusing inbound stream %d: %s', id, this.status !== 'open' || this.localGoAway != null ? 'going away' : `${this.#inbound} streams open`)
        this.sendFrame(FrameType.WindowUpdate, Flag.RST, id, 0)
        return
      }
      stream = this.#newStream(id, 'inbound')
      this.onRemoteStream(stream)
    } else if (stream == null) {
      if (this.#isOurs(id) ? id >= this.#nextStreamId : id > this.#maxRemoteStreamId) {
        throw new UnknownStreamError(`Frame (type ${header.type}, flags ${flags}) for stream ${id}, which was never opened`)
      }
      // a late frame for a stream that has ended
      return
    }
    if ((flags & Flag.ACK) !== 0) {
      stream.onAck()
    }
    if (header.type === FrameType.WindowUpdate) {
      stream.onWindowUpdate(header.length)
    } else if (data != null && data.byteLength > 0) {
      stream.onDataFrame(data)
      this.accountBuffered(stream)
    }
    if ((flags & Flag.FIN) !== 0) {
      stream.onRemoteCloseWrite()
    }
    if ((flags & Flag.RST) !== 0) {
      stream.onRemoteReset()
    }
  }

  #onPing (header: FrameHeader): void {
    if ((header.flags & Flag.SYN) !== 0) {
      // a peer that pings but does not read gets no answers past one batch
      if (this.batch.byteLength < this.connectionHighWaterMark) {
        this.sendFrame(FrameType.Ping, Flag.ACK, SESSION_STREAM_ID, header.length)
      }
      return
    }
    if ((header.flags & Flag.ACK) !== 0 && this.#pingSentAt != null && header.length === this.#pingId) {
      this.rtt = Math.max(1, Date.now() - this.#pingSentAt)
      this.#pingSentAt = undefined
      // not log.trace: its first use makes a second logger (about 200 bytes) that every connection would keep
      this.log('rtt %d ms', this.rtt)
    }
  }

  #sendPing (): void {
    this.#pingId = (this.#pingId + 1) >>> 0
    this.#pingSentAt = Date.now()
    this.sendFrame(FrameType.Ping, Flag.SYN, SESSION_STREAM_ID, this.#pingId)
  }

  #onKeepAlive (): void {
    if (this.status !== 'open') {
      return
    }
    if (this.#pingSentAt != null) {
      this.#endSession(new KeepAliveTimeoutError(`Keep-alive ping ${this.#pingId} unanswered after ${Date.now() - this.#pingSentAt} ms`))
      return
    }
    this.#sendPing()
  }

  #onGoAway (code: number): void {
    this.log('remote sent go-away with code %d', code)
    this.remoteGoAway = code
    if (code !== GoAwayCode.NormalTermination) {
      // the remote is gone: end every stream, say nothing back
      this.localGoAway ??= code
      this.#endSession(new GoAwayError(code))
    }
  }

  // ------------------------------------------------------ ending

  #stopTimers (): void {
    if (this.#keepAlive != null) {
      clearInterval(this.#keepAlive)
      this.#keepAlive = undefined
    }
  }

  #sendGoAway (code: number): void {
    if (this.localGoAway != null) {
      return
    }
    this.localGoAway = code
    this.sendFrame(FrameType.GoAway, 0, SESSION_STREAM_ID, code)
    this.flush(code !== GoAwayCode.NormalTermination)
  }

  /**
   * `close()` (from the base) first sends go-away (normal termination), so
   * the remote opens no more streams, then half-closes every stream.
   */
  protected override onClosing (): void {
    this.#stopTimers()
    this.#sendGoAway(GoAwayCode.NormalTermination)
  }

  protected override onConnectionEnded (): void {
    this.#stopTimers()
  }

  /** Sends go-away (internal error, or the error's code) and aborts every stream. */
  abort (err: Error): void {
    if (this.#aborted) {
      return
    }
    this.log('abort - %e', err)
    this.status = 'closed'
    this.#aborted = true
    this.#stopTimers()
    this.#sendGoAway(isYamuxProtocolError(err) ? err.goAwayCode : GoAwayCode.InternalError)
    for (const stream of this.streams) {
      stream.abort(err)
    }
    this.clearEarlyStreams()
    this.flush(true)
  }

  /** The remote broke the protocol: go-away with its code, end every stream, then the connection. */
  #onProtocolError (err: Error): void {
    this.log.error('protocol error - %e', err)
    this.#endSession(err)
  }

  /**
   * The session ended on its own (protocol error, keep-alive timeout, the
   * remote's error go-away): end every stream, then the connection beneath,
   * so the node sees the connection close and stops handing it out (a
   * connection whose muxer is gone can never open a stream again).
   */
  #endSession (err: Error): void {
    this.abort(err)
    const maConn = this.maConn
    maConn.close({ signal: AbortSignal.timeout(this.#init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT) }).catch(() => {
      maConn.abort(err)
    })
  }
}
