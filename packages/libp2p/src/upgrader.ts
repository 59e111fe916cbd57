import { InvalidMultiaddrError, TimeoutError, UnexpectedPeerError, setMaxListeners } from '@ts-libp2p/interface'
import { handle, select } from '@ts-libp2p/multistream-select'
import { UpgradedConnection } from './connection.js'
import { cachedPeerIdFromString, lastPeerIdString } from './peer-id-cache.js'
import { INBOUND_UPGRADE_TIMEOUT, PROTOCOL_NEGOTIATION_TIMEOUT } from './constants.js'
import { deadlineSignal } from '@ts-libp2p/utils'
import { ConnectionDeniedError, InvalidRemotePeerError, NoneConfiguredError } from './errors.js'
import type { Metrics, HistogramGroup, CounterGroup, ClearableSignal, ComponentLogger, Connection, ConnectionEncrypter, ConnectionGater, InboundConnectionUpgradeEvents, Libp2pEvents, Logger, MessageStream, MultiaddrConnection, OutboundConnectionUpgradeEvents, PeerId, SecuredConnection, StreamMuxerFactory, TypedEventTarget, Upgrader as UpgraderInterface, UpgraderOptions, UpgraderWithoutEncryptionOptions } from '@ts-libp2p/interface'
import type { ConnectionManager, Registrar } from '@ts-libp2p/interface-internal'
import type { ResourceManager } from './resource-manager.js'

/** What the upgrader needs from the node. */
export interface UpgraderComponents {
  peerId: PeerId
  registrar: Registrar
  logger: ComponentLogger
  connectionGater?: ConnectionGater
  /** Told about inbound connections so it can refuse them (limits) and release their pending slot. */
  connectionManager?: Pick<ConnectionManager, 'acceptIncomingConnection' | 'afterUpgradeInbound'>
  /** Receives `connection:open` and `connection:close`. */
  events?: TypedEventTarget<Libp2pEvents>
  /** Counts bytes of raw connections and protocol streams, upgrade times and outcomes. */
  metrics?: Metrics
  /**
   * Counts every stream of the connections it makes (see
   * UpgradedConnectionInit.resourceManager) and, through the muxer, the
   * bytes they buffer in the remote peer's memory scope.
   */
  resourceManager?: Pick<ResourceManager, 'openStream' | 'peerMemory'>
}

/** Options of the upgrader. */
export interface UpgraderInit {
  /** Encrypters in order of preference (the dialer proposes them in this order). */
  connectionEncrypters: ConnectionEncrypter[]
  /** Muxers in order of preference. */
  streamMuxers: StreamMuxerFactory[]
  /** Time an inbound connection has to finish its upgrade. Default {@link INBOUND_UPGRADE_TIMEOUT}. */
  inboundUpgradeTimeout?: number
  /** Time allowed for each multistream-select negotiation. Default {@link PROTOCOL_NEGOTIATION_TIMEOUT}. */
  protocolNegotiationTimeout?: number
}

type AnyUpgraderOptions = UpgraderOptions<any> | UpgraderWithoutEncryptionOptions

let connectionCount = 0

/**
 * Turns a raw connection into a Connection, per `connections/README.md`:
 * multistream-select an encrypter, secure the channel (which proves the remote
 * peer id), then multistream-select a muxer unless the encrypter agreed one in
 * its handshake (noise extensions, TLS ALPN). The connection gater is asked at
 * every stage; inbound upgrades have a deadline.
 */
export class Upgrader implements UpgraderInterface {
  readonly #components: UpgraderComponents
  readonly #encrypters: Map<string, ConnectionEncrypter>
  readonly #muxers: Map<string, StreamMuxerFactory>
  readonly #inboundUpgradeTimeout: number
  readonly #negotiationTimeout: number
  readonly #log: Logger
  readonly #upgradeTime?: HistogramGroup<'inbound' | 'outbound'>
  readonly #upgrades?: CounterGroup<'inbound_success' | 'inbound_error' | 'outbound_success' | 'outbound_error'>

  constructor (components: UpgraderComponents, init: UpgraderInit) {
    this.#components = components
    this.#encrypters = new Map(init.connectionEncrypters.map(e => [e.protocol, e]))
    this.#muxers = new Map(init.streamMuxers.map(m => [m.protocol, m]))
    this.#inboundUpgradeTimeout = init.inboundUpgradeTimeout ?? INBOUND_UPGRADE_TIMEOUT
    this.#negotiationTimeout = init.protocolNegotiationTimeout ?? PROTOCOL_NEGOTIATION_TIMEOUT
    this.#log = components.logger.forComponent('upgrader')
    this.#upgradeTime = components.metrics?.registerHistogramGroup('libp2p_upgrader_upgrade_seconds', { label: 'direction', help: 'Time to secure and multiplex a raw connection' })
    this.#upgrades = components.metrics?.registerCounterGroup('libp2p_upgrader_upgrades_total', { label: 'outcome', help: 'Connection upgrades by direction and outcome' })
  }

  getStreamMuxers (): Map<string, StreamMuxerFactory> {
    return this.#muxers
  }

  getConnectionEncrypters (): Map<string, ConnectionEncrypter> {
    return this.#encrypters
  }

  createInboundAbortSignal (signal: AbortSignal): ClearableSignal {
    const combined = deadlineSignal(signal, this.#inboundUpgradeTimeout, () => new TimeoutError(`The inbound upgrade did not finish within ${this.#inboundUpgradeTimeout} ms`))
    setMaxListeners(Infinity, combined)
    return combined
  }

  async upgradeOutbound (maConn: MultiaddrConnection, opts: UpgraderOptions<OutboundConnectionUpgradeEvents>): Promise<Connection>
  async upgradeOutbound (maConn: MultiaddrConnection, opts: UpgraderWithoutEncryptionOptions): Promise<Connection>
  async upgradeOutbound (maConn: MultiaddrConnection, opts: AnyUpgraderOptions): Promise<Connection> {
    try {
      const expected = 'remotePeer' in opts ? opts.remotePeer : remotePeerOf(maConn)
      const gater = this.#components.connectionGater
      if (expected != null && await gater?.denyOutboundConnection?.(expected, maConn) === true) {
        throw new ConnectionDeniedError(`The connection gater denied the outbound connection to ${expected}`)
      }
      return await this.#upgrade(maConn, opts, expected)
    } catch (err: any) {
      maConn.abort(err)
      throw err
    }
  }

  async upgradeInbound (maConn: MultiaddrConnection, opts: UpgraderOptions<InboundConnectionUpgradeEvents>): Promise<void>
  async upgradeInbound (maConn: MultiaddrConnection, opts: UpgraderWithoutEncryptionOptions): Promise<void>
  async upgradeInbound (maConn: MultiaddrConnection, opts: AnyUpgraderOptions): Promise<void> {
    const manager = this.#components.connectionManager
    let accepted = false
    try {
      accepted = manager?.acceptIncomingConnection(maConn) ?? true
      if (!accepted) throw new ConnectionDeniedError(`The connection manager refused the inbound connection from ${maConn.remoteAddr}`)
      if (await this.#components.connectionGater?.denyInboundConnection?.(maConn) === true) {
        throw new ConnectionDeniedError(`The connection gater denied the inbound connection from ${maConn.remoteAddr}`)
      }
      await this.#upgrade(maConn, opts, undefined)
    } catch (err: any) {
      this.#log('inbound upgrade from %a failed - %e', maConn.remoteAddr, err)
      maConn.abort(err)
      throw err
    } finally {
      if (accepted) manager?.afterUpgradeInbound()
    }
  }

  async #upgrade (maConn: MultiaddrConnection, opts: AnyUpgraderOptions, expectedPeer: PeerId | undefined): Promise<Connection> {
    const inbound = maConn.direction === 'inbound'
    const stopTimer = this.#upgradeTime?.timer(maConn.direction)
    this.#components.metrics?.trackMultiaddrConnection(maConn)
    try {
      const connection = await this.#upgradeSteps(maConn, opts, expectedPeer, inbound)
      stopTimer?.()
      this.#upgrades?.increment({ [`${maConn.direction}_success`]: true })
      return connection
    } catch (err) {
      this.#upgrades?.increment({ [`${maConn.direction}_error`]: true })
      throw err
    }
  }

  async #upgradeSteps (maConn: MultiaddrConnection, opts: AnyUpgraderOptions, expectedPeer: PeerId | undefined, inbound: boolean): Promise<Connection> {
    const signal = opts.signal
    signal.throwIfAborted()
    const gater = this.#components.connectionGater
    let secured: MessageStream = maConn
    let remotePeer: PeerId
    let encryption: string | undefined
    let muxerFactory = opts.muxerFactory

    if ('skipEncryption' in opts && opts.skipEncryption) {
      remotePeer = opts.remotePeer
    } else {
      opts.onProgress?.(new CustomEvent(inbound ? 'upgrader:encrypt-inbound-connection' : 'upgrader:encrypt-outbound-connection') as any)
      const result = await this.#encrypt(maConn, inbound, expectedPeer, signal)
      secured = result.connection
      remotePeer = result.remotePeer
      encryption = result.protocol
      muxerFactory ??= result.streamMuxer
    }

    if (expectedPeer != null && !expectedPeer.equals(remotePeer)) {
      throw new UnexpectedPeerError(`Dialled ${expectedPeer} but the remote proved to be ${remotePeer}`)
    }
    if (remotePeer.equals(this.#components.peerId)) {
      throw new UnexpectedPeerError('The remote peer is ourselves')
    }
    const deniedEncrypted = inbound
      ? await gater?.denyInboundEncryptedConnection?.(remotePeer, maConn)
      : await gater?.denyOutboundEncryptedConnection?.(remotePeer, maConn)
    if (deniedEncrypted === true) throw new ConnectionDeniedError(`The connection gater denied the encrypted connection with ${remotePeer}`)

    opts.onProgress?.(new CustomEvent(inbound ? 'upgrader:multiplex-inbound-connection' : 'upgrader:multiplex-outbound-connection') as any)
    if (muxerFactory == null) {
      muxerFactory = await this.#negotiateMuxer(secured, inbound, signal)
    }
    const deniedUpgraded = inbound
      ? await gater?.denyInboundUpgradedConnection?.(remotePeer, maConn)
      : await gater?.denyOutboundUpgradedConnection?.(remotePeer, maConn)
    if (deniedUpgraded === true) throw new ConnectionDeniedError(`The connection gater denied the upgraded connection with ${remotePeer}`)

    const memoryScope = this.#components.resourceManager?.peerMemory(remotePeer)
    const muxer = memoryScope != null ? muxerFactory.createStreamMuxer(secured, { memoryScope }) : muxerFactory.createStreamMuxer(secured)
    const id = `${(connectionCount++).toString(36)}`
    const connection = new UpgradedConnection({
      id,
      maConn,
      secured,
      muxer,
      remotePeer,
      encryption,
      limits: opts.limits,
      registrar: this.#components.registrar,
      metrics: this.#components.metrics,
      resourceManager: this.#components.resourceManager,
      protocolNegotiationTimeout: this.#negotiationTimeout,
      log: this.#log.newScope(`${inbound ? 'in' : 'out'}:${id}`),
      onClose: (c) => {
        this.#components.events?.safeDispatchEvent('connection:close', { detail: c })
      }
    })
    this.#log('%s connection %s with %p upgraded (%s, %s)', maConn.direction, id, remotePeer, encryption ?? 'no encryption', muxer.protocol)
    this.#components.events?.safeDispatchEvent('connection:open', { detail: connection })
    return connection
  }

  async #encrypt (maConn: MultiaddrConnection, inbound: boolean, expectedPeer: PeerId | undefined, signal: AbortSignal): Promise<SecuredConnection & { protocol: string }> {
    if (this.#encrypters.size === 0) throw new NoneConfiguredError('No connection encrypters are configured')
    const protocols = [...this.#encrypters.keys()]
    const { protocol } = inbound
      ? await handle(maConn, protocols, { signal, timeout: this.#negotiationTimeout })
      : await select(maConn, protocols, { signal, timeout: this.#negotiationTimeout, negotiateFully: true })
    const encrypter = this.#encrypters.get(protocol)
    if (encrypter == null) throw new NoneConfiguredError(`Negotiated ${protocol} but no encrypter has that protocol`)
    const resourceManager = this.#components.resourceManager
    // the encrypter charges what it buffers to the authenticated peer (an optional field: others ignore it)
    const options = resourceManager != null
      ? { signal, remotePeer: expectedPeer, peerMemoryScope: (peer: PeerId) => resourceManager.peerMemory(peer) }
      : { signal, remotePeer: expectedPeer }
    const secured = inbound ? await encrypter.secureInbound(maConn, options) : await encrypter.secureOutbound(maConn, options)
    return { ...secured, protocol }
  }

  async #negotiateMuxer (secured: MessageStream, inbound: boolean, signal: AbortSignal): Promise<StreamMuxerFactory> {
    if (this.#muxers.size === 0) throw new NoneConfiguredError('No stream muxers are configured')
    const protocols = [...this.#muxers.keys()]
    const { protocol } = inbound
      ? await handle(secured, protocols, { signal, timeout: this.#negotiationTimeout })
      : await select(secured, protocols, { signal, timeout: this.#negotiationTimeout, negotiateFully: true })
    const factory = this.#muxers.get(protocol)
    if (factory == null) throw new NoneConfiguredError(`Negotiated ${protocol} but no muxer has that protocol`)
    return factory
  }
}

/** The peer id in a multiaddr's last `/p2p/` component, if it has one. */
export function remotePeerOf (maConn: Pick<MultiaddrConnection, 'remoteAddr'>): PeerId | undefined {
  let value: string | undefined
  try {
    value = lastPeerIdString(maConn.remoteAddr)
  } catch (err: any) {
    throw new InvalidMultiaddrError(`Cannot read the address ${String(maConn.remoteAddr)}: ${err.message}`)
  }
  if (value == null) return undefined
  try {
    return cachedPeerIdFromString(value)
  } catch (err: any) {
    throw new InvalidRemotePeerError(`The /p2p/ component ${value} is not a valid peer id: ${err.message}`)
  }
}
