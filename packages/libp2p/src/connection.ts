import { ConnectionClosedError, InvalidParametersError, StreamCloseEvent, TimeoutError, TooManyInboundProtocolStreamsError, TooManyOutboundProtocolStreamsError, TypedEventEmitter, connectionSymbol } from '@ts-libp2p/interface'
import { handle, select } from '@ts-libp2p/multistream-select'
import { CONNECTION_CLOSE_TIMEOUT, DEFAULT_MAX_OUTBOUND_STREAMS, PROTOCOL_NEGOTIATION_TIMEOUT } from './constants.js'
import { deadlineSignal, raceSignal } from '@ts-libp2p/utils'
import type { Metrics, StreamHandlerRecord, AbortOptions, Connection, ConnectionLimits, ConnectionStatus, Logger, MessageStream, MessageStreamEvents, MultiaddrConnection, MultiaddrConnectionTimeline, NewStreamOptions, PeerId, Stream, StreamMuxer } from '@ts-libp2p/interface'
import type { Registrar } from '@ts-libp2p/interface-internal'
import type { ResourceManager, StreamScope } from './resource-manager.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What a connection is made of once the upgrade finished. */
export interface UpgradedConnectionInit {
  id: string
  maConn: MultiaddrConnection
  /** The secured channel the muxer runs over (the maConn itself when not encrypted). */
  secured: MessageStream
  muxer: StreamMuxer
  remotePeer: PeerId
  encryption?: string
  /** findHandler() is used when present (our Registrar has it): no error built per outbound stream */
  registrar: Registrar & { findHandler?(protocol: string): StreamHandlerRecord | undefined }
  /** Counts the bytes of each protocol stream once negotiated. */
  metrics?: Metrics
  log: Logger
  limits?: ConnectionLimits
  /** Time allowed for multistream-select on each stream. Default {@link PROTOCOL_NEGOTIATION_TIMEOUT}. */
  protocolNegotiationTimeout?: number
  /** Time a graceful close may take before the connection is aborted. Default {@link CONNECTION_CLOSE_TIMEOUT}. */
  closeTimeout?: number
  /** Called once when the connection has closed, for whatever reason. */
  onClose?(connection: UpgradedConnection): void
  /**
   * Counts every stream of the connection (inbound and outbound, then its
   * protocol once negotiated) and refuses one past a limit with
   * ResourceLimitError. Without it, streams are not accounted.
   */
  resourceManager?: Pick<ResourceManager, 'openStream'>
}

type ConnectionEvents = Omit<MessageStreamEvents, 'drain' | 'message' | 'end'>

/**
 * A secured, multiplexed connection to a remote peer. Outbound streams
 * negotiate their protocol with multistream-select; inbound streams are
 * answered with the registrar's protocols and handed to the handler, within the
 * handler's per-connection stream limits.
 */
export class UpgradedConnection extends TypedEventEmitter<ConnectionEvents> implements Connection {
  readonly [connectionSymbol] = true
  readonly id: string
  readonly remoteAddr: Multiaddr
  readonly remotePeer: PeerId
  readonly direction: Connection['direction']
  readonly timeline: MultiaddrConnectionTimeline
  readonly multiplexer: string
  readonly encryption?: string
  readonly direct = true
  readonly limits?: ConnectionLimits
  rtt?: number
  readonly log: Logger
  #status: ConnectionStatus = 'open'

  /**
   * `closing` as soon as the muxer has ended on its own (keep-alive timeout, the
   * remote's error go-away, a protocol error) even while the layers beneath are
   * still closing: no stream can be opened on it any more, so the connection
   * manager must not hand it out (during a cut link the transport's close can
   * take its whole timeout).
   */
  get status (): ConnectionStatus {
    return this.#status === 'open' && this.#muxer.status === 'closed' ? 'closing' : this.#status
  }

  set status (status: ConnectionStatus) {
    this.#status = status
  }

  readonly #maConn: MultiaddrConnection
  readonly #secured: MessageStream
  readonly #muxer: StreamMuxer
  readonly #registrar: UpgradedConnectionInit['registrar']
  readonly #metrics?: Metrics
  readonly #negotiationTimeout: number
  readonly #onClose?: (connection: UpgradedConnection) => void
  readonly #closeTimeout: number
  readonly #resourceManager?: Pick<ResourceManager, 'openStream'>
  #finished = false

  constructor (init: UpgradedConnectionInit) {
    super()
    this.id = init.id
    this.#maConn = init.maConn
    this.#secured = init.secured
    this.#muxer = init.muxer
    this.#registrar = init.registrar
    this.#metrics = init.metrics
    this.#negotiationTimeout = init.protocolNegotiationTimeout ?? PROTOCOL_NEGOTIATION_TIMEOUT
    this.#onClose = init.onClose
    this.#closeTimeout = init.closeTimeout ?? CONNECTION_CLOSE_TIMEOUT
    this.#resourceManager = init.resourceManager
    this.remoteAddr = init.maConn.remoteAddr
    this.remotePeer = init.remotePeer
    this.direction = init.maConn.direction
    this.timeline = init.maConn.timeline
    this.timeline.upgraded = Date.now()
    this.multiplexer = init.muxer.protocol
    this.encryption = init.encryption
    this.limits = init.limits
    this.log = init.log

    this.#muxer.addEventListener('stream', (evt) => { this.#onIncomingStream(evt.detail) })
    // whichever layer ends first ends the connection; an error in one aborts the others.
    // (No `once` on these: each event comes once per layer and the handlers ignore a repeat, and a `once`
    // listener is stored with an options entry, kept as long as the connection is open.)
    const onLayerClose = (evt: StreamCloseEvent): void => { this.#finish(evt) }
    this.#maConn.addEventListener('close', onLayerClose)
    if (this.#secured !== this.#maConn) this.#secured.addEventListener('close', onLayerClose)
    // the remote finished writing the whole connection: no stream can get more
    // data, so close our side too (that is also what completes the remote's close)
    this.#secured.addEventListener('remoteCloseWrite', () => { void this.close() })
  }

  get streams (): Stream[] {
    return this.#muxer.streams
  }

  async newStream (protocols: string | string[], options: NewStreamOptions = {}): Promise<Stream> {
    const list = Array.isArray(protocols) ? protocols : [protocols]
    if (list.length === 0) throw new InvalidParametersError('newStream() needs at least one protocol')
    if (this.status !== 'open') throw new ConnectionClosedError(`Cannot open a stream: the connection to ${this.remotePeer} is ${this.status}`)
    options.signal?.throwIfAborted()

    // throws ResourceLimitError before any muxer work when the peer or the node is at its stream limit
    const scope = this.#resourceManager?.openStream(this.remotePeer, 'outbound')
    let stream: Stream
    try {
      stream = await this.#muxer.createStream({ signal: options.signal })
    } catch (err) {
      scope?.done()
      throw err
    }
    if (scope != null) releaseOnEnd(stream, scope)
    try {
      const { protocol } = await select(stream, list, {
        signal: options.signal,
        timeout: this.#negotiationTimeout,
        negotiateFully: options.negotiateFully
      })
      stream.protocol = protocol
      scope?.setProtocol(protocol)
      const limit = options.maxOutboundStreams ?? this.#handlerLimit(protocol, 'maxOutboundStreams') ?? DEFAULT_MAX_OUTBOUND_STREAMS
      // a stream we finished writing no longer counts: the remote may still be closing it
      const open = this.streams.filter(s => s.direction === 'outbound' && s.protocol === protocol && s.writeStatus !== 'closed').length
      if (open > limit) {
        throw new TooManyOutboundProtocolStreamsError(`${open - 1} outbound streams of ${protocol} are open to ${this.remotePeer} already (limit ${limit})`)
      }
      this.#metrics?.trackProtocolStream(stream)
      return stream
    } catch (err: any) {
      stream.abort(err)
      scope?.done()
      throw err
    }
  }

  /**
   * Closes gracefully: the muxer first (go-away, streams finish), then the
   * secured channel and the raw connection. When that takes longer than the
   * close timeout, or `options.signal` fires, the connection is aborted.
   */
  async close (options: AbortOptions = {}): Promise<void> {
    // #status: a muxer that ended on its own still leaves the layers beneath to close
    if (this.#status !== 'open') return
    this.status = 'closing'
    const signal = deadlineSignal(options.signal, this.#closeTimeout, () => new TimeoutError(`Closing the connection to ${this.remotePeer} took longer than ${this.#closeTimeout} ms`))
    try {
      // raced against the signal too: a layer that ignores it cannot hold the close open
      await raceSignal(this.#muxer.close({ signal }), signal)
      if (this.#secured !== this.#maConn) await raceSignal(this.#secured.close({ signal }), signal)
      await raceSignal(this.#maConn.close({ signal }), signal)
    } catch (err: any) {
      this.log('graceful close failed, aborting - %e', err)
      this.abort(err)
    } finally {
      signal.clear()
    }
  }

  abort (err: Error): void {
    if (this.#finished) return
    this.log('aborting - %e', err)
    this.#muxer.abort(err)
    if (this.#secured !== this.#maConn) this.#secured.abort(err)
    this.#maConn.abort(err)
  }

  #handlerLimit (protocol: string, key: 'maxInboundStreams' | 'maxOutboundStreams'): number | undefined {
    if (this.#registrar.findHandler != null) return this.#registrar.findHandler(protocol)?.options[key]
    try {
      return this.#registrar.getHandler(protocol).options[key]
    } catch {
      return undefined
    }
  }

  #onIncomingStream (stream: Stream): void {
    this.#answerStream(stream).catch((err: Error) => {
      this.log('inbound stream %s failed - %e', stream.id, err)
      stream.abort(err)
    })
  }

  async #answerStream (stream: Stream): Promise<void> {
    // throws ResourceLimitError: #onIncomingStream resets the stream with it before it is negotiated
    const scope = this.#resourceManager?.openStream(this.remotePeer, 'inbound')
    if (scope != null) releaseOnEnd(stream, scope)
    const { protocol } = await handle(stream, this.#registrar.getProtocols(), { timeout: this.#negotiationTimeout })
    stream.protocol = protocol
    scope?.setProtocol(protocol)
    const { handler, options } = this.#registrar.getHandler(protocol)
    const limit = options.maxInboundStreams ?? Infinity
    const open = this.streams.filter(s => s.direction === 'inbound' && s.protocol === protocol).length
    if (open > limit) {
      throw new TooManyInboundProtocolStreamsError(`${open - 1} inbound streams of ${protocol} from ${this.remotePeer} are open already (limit ${limit})`)
    }
    this.#metrics?.trackProtocolStream(stream)
    const chain = [...this.#registrar.getMiddleware(protocol)]
    const next = async (s: Stream, c: Connection): Promise<void> => {
      const middleware = chain.shift()
      if (middleware == null) {
        await handler(s, c)
        return
      }
      await middleware(s, c, (s2, c2) => { next(s2, c2).catch((err: Error) => { s2.abort(err) }) })
    }
    await next(stream, this)
  }

  #finish (evt: StreamCloseEvent): void {
    if (this.#finished) return
    this.#finished = true
    if (evt.error != null) {
      this.status = evt.local === true ? 'aborted' : 'reset'
      this.#muxer.abort(evt.error)
      if (this.#secured !== this.#maConn) this.#secured.abort(evt.error)
      this.#maConn.abort(evt.error)
    } else {
      this.status = 'closed'
      if (this.#muxer.status !== 'closed') this.#muxer.abort(new ConnectionClosedError('The underlying connection closed'))
    }
    this.timeline.close ??= Date.now()
    this.log('closed (%s)', this.status)
    this.dispatchEvent(new StreamCloseEvent(evt.local, evt.error))
    this.#onClose?.(this)
  }
}

/** Returns what `scope` holds once `stream` has ended, whichever way (close, reset, abort, its connection closing). */
function releaseOnEnd (stream: Stream, scope: StreamScope): void {
  if (stream.status === 'closed' || stream.status === 'aborted' || stream.status === 'reset') {
    scope.done()
  } else {
    stream.addEventListener('close', () => { scope.done() }) // done() ignores a repeat: no `once` entry needed
  }
}
