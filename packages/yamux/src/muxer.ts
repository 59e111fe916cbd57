import { LimitExceededError, MuxerClosedError, TypedEventEmitter } from '@ts-libp2p/interface'
import { WriteBatch, raceSignal } from '@ts-libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_CONNECTION_HIGH_WATER_MARK, DEFAULT_KEEP_ALIVE_INTERVAL, DEFAULT_MAX_EARLY_STREAMS, DEFAULT_MAX_FRAME_PAYLOAD, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_OUTBOUND_STREAMS, DEFAULT_MAX_STREAM_WINDOW, FLUSH_THRESHOLD, Flag, FrameType, GoAwayCode, HEADER_LENGTH, INITIAL_STREAM_WINDOW, MAX_CONTROL_BACKLOG, MAX_WINDOW, PROTOCOL_ID, SESSION_STREAM_ID } from './constants.js'
import { ControlBacklogError, GoAwayError, InvalidStreamIdError, KeepAliveTimeoutError, ReceiveWindowExceededError, StreamIdReuseError, UnknownStreamError, isYamuxProtocolError } from './errors.js'
import { FrameDecoder, writeHeader } from './frame.js'
import { YamuxStream } from './stream.js'
import type { YamuxInit } from './index.js'
import type { FrameHeader, Frame } from './frame.js'
import type { YamuxStreamHost } from './stream.js'
import type { AbortOptions, ComponentLogger, CounterGroup, CreateStreamOptions, Logger, MessageStream, Metrics, StreamMuxer, StreamMuxerEvents, StreamMuxerStatus } from '@ts-libp2p/interface'

/** What the muxer takes from the node. */
export interface YamuxComponents {
  logger: ComponentLogger
  metrics?: Metrics
}

let muxers = 0

/** Runs `fn` once the current tick's promise callbacks have run, so their writes share one flush. */
const later: (fn: () => void) => void = typeof process !== 'undefined' && typeof process.nextTick === 'function'
  ? (fn) => { process.nextTick(fn) }
  : (fn) => { setTimeout(fn, 0) }

const nextMacrotask: (fn: () => void) => void = typeof setImmediate === 'function'
  ? (fn) => { setImmediate(fn) }
  : (fn) => { setTimeout(fn, 0) }

/**
 * A yamux session over one secured connection (`maConn`). The side that
 * dialed (`maConn.direction === 'outbound'`) is the client and opens odd
 * stream ids; the other opens even ones (spec lines 89-91).
 */
export class YamuxMuxer extends TypedEventEmitter<StreamMuxerEvents<YamuxStream>> implements StreamMuxer<YamuxStream>, YamuxStreamHost {
  public readonly protocol = PROTOCOL_ID
  public status: StreamMuxerStatus
  /** The last measured round-trip time in ms, 0 until a ping came back. */
  public rtt: number
  /** The go-away code we sent, if any. */
  public localGoAway?: number
  /** The go-away code the remote sent, if any. */
  public remoteGoAway?: number
  public readonly log: Logger

  readonly #maConn: MessageStream
  readonly #client: boolean
  readonly #streams: Map<number, YamuxStream>
  readonly #decoder: FrameDecoder
  readonly #waiting: Set<YamuxStream>
  readonly #synQueue: YamuxStream[]
  readonly #init: Required<Pick<YamuxInit, 'initialStreamWindowSize' | 'maxStreamWindowSize' | 'maxInboundStreams' | 'maxOutboundStreams' | 'maxEarlyStreams' | 'keepAliveInterval' | 'maxFramePayload'>> & YamuxInit
  readonly #metrics?: CounterGroup
  readonly #connectionHighWaterMark: number
  readonly #pending: WriteBatch
  #flushScheduled: boolean
  #synsScheduled: boolean
  /** The connection's `send()` returned false: frames wait in #pending until its `drain`. */
  #connectionFull: boolean
  #nextStreamId: number
  #maxRemoteStreamId: number
  #inbound: number
  #outbound: number
  #earlyStreams: YamuxStream[]
  #pingId: number
  #pingSentAt?: number
  #keepAlive?: ReturnType<typeof setInterval>
  #closing?: Promise<void>
  /** Set by abort(): frames that arrive later are not processed. */
  #aborted: boolean

  constructor (maConn: MessageStream, init: YamuxInit, components: YamuxComponents) {
    super()
    this.#maConn = maConn
    this.#init = {
      ...init,
      initialStreamWindowSize: init.initialStreamWindowSize ?? INITIAL_STREAM_WINDOW,
      maxStreamWindowSize: init.maxStreamWindowSize ?? DEFAULT_MAX_STREAM_WINDOW,
      maxInboundStreams: init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
      maxOutboundStreams: init.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS,
      maxEarlyStreams: init.maxEarlyStreams ?? DEFAULT_MAX_EARLY_STREAMS,
      keepAliveInterval: init.keepAliveInterval ?? DEFAULT_KEEP_ALIVE_INTERVAL,
      maxFramePayload: init.maxFramePayload ?? DEFAULT_MAX_FRAME_PAYLOAD
    }
    if (this.#init.initialStreamWindowSize < INITIAL_STREAM_WINDOW) {
      throw new RangeError(`initialStreamWindowSize must be at least ${INITIAL_STREAM_WINDOW} (spec line 135)`)
    }
    if (this.#init.maxStreamWindowSize < this.#init.initialStreamWindowSize || this.#init.maxStreamWindowSize > MAX_WINDOW) {
      throw new RangeError('maxStreamWindowSize must be between initialStreamWindowSize and 2^32-1')
    }
    // stay clear of the connection's own limit: one flush may add a frame and a batch on top
    const connectionLimit = maConn.maxWriteBufferLength ?? Infinity
    this.#connectionHighWaterMark = Math.max(0, Math.min(init.connectionHighWaterMark ?? DEFAULT_CONNECTION_HIGH_WATER_MARK, connectionLimit - 2 * (this.#init.maxFramePayload + FLUSH_THRESHOLD)))
    this.log = components.logger.forComponent(`yamux:${muxers++}`)
    this.#metrics = components.metrics?.registerCounterGroup('libp2p_yamux_streams_total', { label: 'event', help: 'yamux streams opened and closed' })
    this.status = 'open'
    this.rtt = 0
    this.#client = maConn.direction === 'outbound'
    this.#streams = new Map()
    this.#waiting = new Set()
    this.#synQueue = []
    this.#pending = new WriteBatch()
    this.#flushScheduled = false
    this.#synsScheduled = false
    this.#connectionFull = false
    this.#nextStreamId = this.#client ? 1 : 2
    this.#maxRemoteStreamId = 0
    this.#inbound = 0
    this.#outbound = 0
    this.#earlyStreams = []
    this.#pingId = 0
    this.#aborted = false
    this.#decoder = new FrameDecoder(header => { this.#checkHeader(header) })

    maConn.addEventListener('message', (evt) => {
      this.#onBytes(evt.data)
    })
    maConn.addEventListener('drain', () => {
      this.#onConnectionDrain()
    })
    maConn.addEventListener('close', (evt) => {
      this.#onTransportClosed(evt.error)
    })

    // the first ping measures the RTT that window auto-tuning needs
    this.#sendPing()
    if (this.#init.enableKeepAlive !== false && this.#init.keepAliveInterval > 0) {
      this.#keepAlive = setInterval(() => { this.#onKeepAlive() }, this.#init.keepAliveInterval)
      if (typeof this.#keepAlive === 'object' && typeof this.#keepAlive.unref === 'function') {
        this.#keepAlive.unref()
      }
    }
  }

  /**
   * True while streams must wait: the connection is full and a whole batch
   * (`connectionHighWaterMark`) is already queued behind it. Frames are
   * batched while the connection writes the previous batch, so it never runs
   * dry waiting for us.
   */
  get connectionBlocked (): boolean {
    return this.#connectionFull && this.#pending.byteLength >= this.#connectionHighWaterMark
  }

  /** Bytes of frames queued here for the connection (bounded by `connectionHighWaterMark` plus the control backlog). */
  get queuedBytes (): number {
    return this.#pending.byteLength
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
    const streamOptions = { ...this.#init.streamOptions, ...options }
    const stream = new YamuxStream({
      ...streamOptions,
      id: `${id}`,
      streamId: id,
      direction,
      log: this.log.newScope(`${direction}:${id}`),
      host: this,
      initialWindow: this.#init.initialStreamWindowSize,
      maxWindow: this.#init.maxStreamWindowSize,
      maxMessageSize: this.#init.maxFramePayload
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
      this.#waiting.delete(stream)
      this.#metrics?.increment({ [`${direction}_${evt.error == null ? 'close' : 'reset'}`]: true })
    }, { once: true })
    return stream
  }

  #onRemoteStream (stream: YamuxStream): void {
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

  // ------------------------------------------------------------ writing

  sendFrame (type: FrameType, flags: number, streamId: number, length: number, data?: Uint8ArrayList): boolean {
    if (this.status === 'closed' && !this.#connectionWritable()) {
      return false
    }
    writeHeader(this.#pending.alloc(HEADER_LENGTH), type, flags, streamId, length)
    if (data != null) {
      this.#pending.append(data)
    } else if (this.#connectionFull && this.#pending.byteLength > this.#connectionHighWaterMark + MAX_CONTROL_BACKLOG) {
      this.abort(new ControlBacklogError(`${this.#pending.byteLength} bytes queued, control frames past the batch limit, while the peer is not reading`))
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

  /** Connections built on a message stream base expose `writeStatus`; the role only has `status`. */
  #connectionWritable (): boolean {
    const writeStatus = (this.#maConn as { writeStatus?: string }).writeStatus
    return writeStatus != null ? writeStatus === 'writable' : this.#maConn.status === 'open'
  }

  waitForConnection (stream: YamuxStream): void {
    this.#waiting.add(stream)
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
      this.#flush()
    })
  }

  /** Hands the queued frames to the connection, unless it is full (or `force`, when ending). */
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
      this.#onRemoteStream(stream)
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
      if (this.#pending.byteLength < this.#connectionHighWaterMark) {
        this.sendFrame(FrameType.Ping, Flag.ACK, SESSION_STREAM_ID, header.length)
      }
      return
    }
    if ((header.flags & Flag.ACK) !== 0 && this.#pingSentAt != null && header.length === this.#pingId) {
      this.rtt = Math.max(1, Date.now() - this.#pingSentAt)
      this.#pingSentAt = undefined
      this.log.trace('rtt %d ms', this.rtt)
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
      this.abort(new KeepAliveTimeoutError(`Keep-alive ping ${this.#pingId} unanswered after ${Date.now() - this.#pingSentAt} ms`))
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
      this.abort(new GoAwayError(code))
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
    this.#flush(code !== GoAwayCode.NormalTermination)
  }

  /**
   * Sends go-away (normal termination), so the remote opens no more streams,
   * and half-closes every stream; resolves when each has flushed and sent
   * its FIN. Streams stay readable until the remote closes them too.
   */
  async close (options: AbortOptions = {}): Promise<void> {
    if (this.status === 'closed') {
      return
    }
    if (this.#closing == null) {
      this.status = 'closing'
      this.#stopTimers()
      this.#sendGoAway(GoAwayCode.NormalTermination)
      // a stream already closing is waited for by whoever closed it (as the official muxers do)
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
    this.#earlyStreams = []
    this.#flush(true)
  }

  /** The remote broke the protocol: go-away with its code, end every stream, then the connection. */
  #onProtocolError (err: Error): void {
    this.log.error('protocol error - %e', err)
    this.abort(err)
    const maConn = this.#maConn
    maConn.close({ signal: AbortSignal.timeout(this.#init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT) }).catch(() => {
      maConn.abort(err)
    })
  }

  #onTransportClosed (err?: Error): void {
    this.log.trace('connection closed with %d streams', this.#streams.size)
    this.status = 'closed'
    this.#stopTimers()
    this.#pending.clear()
    for (const stream of this.streams) {
      stream.onTransportClosed(err)
    }
    this.#earlyStreams = []
  }
}
