import { InvalidParametersError, NotFoundError, NotStartedError, TypedEventEmitter, isPeerId, peerDiscoverySymbol, setMaxListeners, start, stop } from '@ts-libp2p/interface'
import { multiaddr as toMultiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { AddressManager } from './address-manager.js'
import { checkServiceDependencies } from './components.js'
import { ConnectionManager } from './connection-manager.js'
import { persistentPeerStore } from './peer-store/index.js'
import { Registrar } from './registrar.js'
import { ResourceManager, openAccountedStream } from './resource-manager.js'
import { CompoundContentRouting, CompoundPeerRouting, routersOf } from './routing.js'
import { TransportManager } from './transport-manager.js'
import { Upgrader } from './upgrader.js'
import type { Components } from './components.js'
import type { Libp2pInit } from './index.js'
import type { AbortOptions, ComponentLogger, Connection, ContentRouting, DialOptions, DialProtocolOptions, DialTarget, IsDialableOptions, Libp2p, Libp2pEvents, Libp2pStatus, Logger, PeerDiscovery, PeerId, PeerInfo, PeerRouting, PeerStore, PendingDial, PublicKey, Ed25519PeerId, Ed25519PublicKey, Secp256k1PeerId, Secp256k1PublicKey, RSAPeerId, RSAPublicKey, URLPeerId, ServiceMap, Stream, StreamHandler, StreamHandlerOptions, StreamMiddleware, Topology } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * A libp2p node assembled from the modules the user passes in. See
 * {@link createLibp2p}.
 */
export class Libp2pNode<T extends ServiceMap = ServiceMap> extends TypedEventEmitter<Libp2pEvents<T>> implements Libp2p<T> {
  readonly peerId: PeerId
  readonly peerStore: PeerStore
  readonly contentRouting: ContentRouting
  readonly peerRouting: PeerRouting
  readonly logger: ComponentLogger
  readonly services: T
  readonly components: Components
  status: Libp2pStatus = 'stopped'

  readonly #log: Logger
  readonly #discovery: PeerDiscovery[] = []
  readonly #topologyPeers = new Map<string, Set<string>>()

  constructor (components: Components, init: Libp2pInit<T>) {
    super()
    setMaxListeners(Infinity, this)
    this.components = components
    this.peerId = components.peerId
    this.peerStore = components.peerStore
    this.logger = components.logger
    this.#log = components.logger.forComponent('node')

    // the node re-emits what its components emit, so users listen in one place
    const events = components.events
    const forward = <K extends keyof Libp2pEvents> (type: K): void => {
      events.addEventListener(type, (evt: any) => { this.safeDispatchEvent(type, { detail: evt.detail }) })
    }
    for (const type of ['peer:connect', 'peer:disconnect', 'peer:reconnect-failure', 'peer:identify', 'peer:update', 'self:peer:update', 'transport:listening', 'transport:close', 'connection:prune', 'connection:open', 'connection:close', 'peer:discovery'] as const) forward(type)

    for (const factory of init.transports ?? []) components.transportManager.add(factory(components))

    const services: Record<string, unknown> = {}
    for (const [name, factory] of Object.entries(init.services ?? {})) {
      if (typeof factory !== 'function') throw new InvalidParametersError(`Service "${name}" is not a factory function`)
      services[name] = (factory as (c: Components) => unknown)(components)
      components[name] = services[name]
    }
    checkServiceDependencies(services)
    this.services = services as T

    for (const factory of init.peerDiscovery ?? []) {
      const made = factory(components) as any
      this.#discovery.push(made?.[peerDiscoverySymbol] ?? made)
    }
    for (const service of Object.values(services)) {
      const discovery = (service as any)?.[peerDiscoverySymbol]
      if (discovery != null) this.#discovery.push(discovery)
    }
    for (const discovery of this.#discovery) {
      discovery.addEventListener('peer', (evt) => { this.#onDiscovered(evt.detail) })
    }

    const routers = (): ReturnType<typeof routersOf> => routersOf(this.services)
    this.contentRouting = new CompoundContentRouting(() => routers().content)
    this.peerRouting = new CompoundPeerRouting(this.peerId, () => routers().peer)

    events.addEventListener('peer:update', (evt) => { this.#notifyTopologies(evt.detail.peer.id, evt.detail.peer.protocols) })
    // our own addresses: recorded in the peer store, which emits self:peer:update when they changed
    components.onAddressesChanged = () => { this.#recordSelfAddresses() }
    events.addEventListener('transport:listening', () => { this.#recordSelfAddresses() })
    events.addEventListener('transport:close', () => { this.#recordSelfAddresses() })
    events.addEventListener('peer:disconnect', (evt) => { this.#onPeerDisconnect(evt.detail) })
  }

  get metrics (): Libp2p['metrics'] {
    return this.components.metrics
  }

  async start (): Promise<void> {
    if (this.status !== 'stopped') return
    this.status = 'starting'
    this.#log('starting %p', this.peerId)
    try {
      const c = this.components
      await start(c.transportManager, c.connectionManager, ...Object.values(this.services), ...this.#discovery)
      await c.transportManager.listen(c.addressManager.getListenAddrs())
      await c.peerStore.patch(this.peerId, { multiaddrs: c.addressManager.getAddresses(), protocols: c.registrar.getProtocols() })
      this.status = 'started'
      this.safeDispatchEvent('start', { detail: this })
      this.#log('started, listening on %s', this.getMultiaddrs().map(String).join(', '))
    } catch (err: any) {
      this.#log.error('start failed - %e', err)
      await this.stop()
      throw err
    }
  }

  async stop (): Promise<void> {
    if (this.status === 'stopped' || this.status === 'stopping') return
    this.status = 'stopping'
    const c = this.components
    await stop(...this.#discovery, ...Object.values(this.services), c.connectionManager, c.transportManager)
    this.status = 'stopped'
    this.safeDispatchEvent('stop', { detail: this })
    this.#log('stopped')
  }

  getMultiaddrs (): Multiaddr[] {
    return this.components.addressManager.getAddresses().map(ma => ma.getComponents().some(c => c.name === 'p2p') ? ma : ma.encapsulate(`/p2p/${this.peerId}`))
  }

  getProtocols (): string[] {
    return this.components.registrar.getProtocols()
  }

  getConnections (peerId?: PeerId): Connection[] {
    return this.components.connectionManager.getConnections(peerId)
  }

  getDialQueue (): PendingDial[] {
    return this.components.connectionManager.getDialQueue()
  }

  getPeers (): PeerId[] {
    return [...this.components.connectionManager.getConnectionsMap().keys()]
  }

  async dial (peer: DialTarget, options: DialOptions = {}): Promise<Connection> {
    this.#assertStarted()
    return await this.components.connectionManager.openConnection(toTarget(peer), options)
  }

  async dialProtocol (peer: DialTarget, protocols: string | string[], options: DialProtocolOptions = {}): Promise<Stream> {
    const list = Array.isArray(protocols) ? protocols : [protocols]
    if (list.length === 0 || list.some(p => typeof p !== 'string' || p === '')) throw new InvalidParametersError('dialProtocol() needs at least one protocol')
    const connection = await this.dial(peer, options)
    return await openAccountedStream(connection, list, options)
  }

  async hangUp (peer: PeerId | Multiaddr, options: AbortOptions = {}): Promise<void> {
    const peerId = isPeerId(peer) ? peer : this.#peerIdOf(peer)
    await this.components.connectionManager.closeConnections(peerId, options)
  }

  async handle (protocols: string | string[], handler: StreamHandler, options?: StreamHandlerOptions): Promise<void> {
    for (const protocol of Array.isArray(protocols) ? protocols : [protocols]) {
      await this.components.registrar.handle(protocol, handler, options)
    }
    await this.#updateSelfProtocols()
  }

  async unhandle (protocols: string | string[], options?: AbortOptions): Promise<void> {
    for (const protocol of Array.isArray(protocols) ? protocols : [protocols]) {
      await this.components.registrar.unhandle(protocol, options)
    }
    await this.#updateSelfProtocols()
  }

  async register (protocol: string, topology: Topology, options?: AbortOptions): Promise<string> {
    const id = await this.components.registrar.register(protocol, topology, options)
    // peers already connected and known to speak the protocol
    for (const peerId of this.getPeers()) {
      const peer = await this.peerStore.get(peerId).catch(() => undefined)
      if (peer?.protocols.includes(protocol) === true) this.#connectTopology(topology, peerId)
    }
    return id
  }

  unregister (id: string): void {
    this.components.registrar.unregister(id)
  }

  use (protocol: string, middleware: StreamMiddleware | StreamMiddleware[]): void {
    this.components.registrar.use(protocol, Array.isArray(middleware) ? middleware : [middleware])
  }

  unuse (protocol: string): void {
    this.components.registrar.unuse(protocol)
  }

  async getPublicKey (peer: Ed25519PeerId, options?: AbortOptions): Promise<Ed25519PublicKey>
  async getPublicKey (peer: Secp256k1PeerId, options?: AbortOptions): Promise<Secp256k1PublicKey>
  async getPublicKey (peer: RSAPeerId, options?: AbortOptions): Promise<RSAPublicKey>
  async getPublicKey (peer: URLPeerId, options?: AbortOptions): Promise<never>
  async getPublicKey (peer: PeerId, options?: AbortOptions): Promise<PublicKey>
  async getPublicKey (peer: PeerId, options?: AbortOptions): Promise<PublicKey> {
    if (peer.publicKey != null) return peer.publicKey
    const stored = await this.peerStore.get(peer, options).catch(() => undefined)
    const key: PublicKey | undefined = stored?.id.publicKey
    if (key == null) throw new NotFoundError(`The public key of ${peer} is not known (it is learnt in the security handshake)`)
    return key
  }

  async isDialable (multiaddr: Multiaddr | Multiaddr[], options?: IsDialableOptions): Promise<boolean> {
    return await this.components.connectionManager.isDialable(multiaddr, options)
  }

  #assertStarted (): void {
    if (this.status !== 'started') throw new NotStartedError(`The node is ${this.status}: start() it first`)
  }

  #peerIdOf (ma: Multiaddr): PeerId {
    const value = ma.getComponents().filter(c => c.name === 'p2p').at(-1)?.value
    const connection = this.getConnections().find(c => value == null ? c.remoteAddr.equals(ma) : c.remotePeer.toString() === value)
    if (connection == null) throw new NotFoundError(`No connection to ${ma.toString()}`)
    return connection.remotePeer
  }

  #recordSelfAddresses (): void {
    if (this.status !== 'started' && this.status !== 'starting') return
    this.peerStore.patch(this.peerId, { multiaddrs: this.components.addressManager.getAddresses() }).catch((err: Error) => {
      this.#log.error('could not record our addresses - %e', err)
    })
  }

  async #updateSelfProtocols (): Promise<void> {
    await this.peerStore.patch(this.peerId, { protocols: this.components.registrar.getProtocols() }).catch((err: Error) => {
      this.#log.error('could not record our protocols - %e', err)
    })
  }

  #onDiscovered (info: PeerInfo): void {
    if (info.id.equals(this.peerId)) return
    this.peerStore.merge(info.id, { multiaddrs: info.multiaddrs }).then(() => {
      this.safeDispatchEvent('peer:discovery', { detail: info })
    }, (err: Error) => { this.#log('ignoring discovered peer %p - %e', info.id, err) })
  }

  /** Tells topologies about a connected peer that (now) speaks their protocol. */
  #notifyTopologies (peerId: PeerId, protocols: string[]): void {
    if (peerId.equals(this.peerId) || this.getConnections(peerId).length === 0) return
    for (const protocol of protocols) {
      for (const topology of this.components.registrar.getTopologies(protocol)) this.#connectTopology(topology, peerId)
    }
  }

  #connectTopology (topology: Topology, peerId: PeerId): void {
    const connection = this.getConnections(peerId).find(c => c.status === 'open' && (c.limits == null || topology.notifyOnLimitedConnection === true))
    if (connection == null) return
    if (topology.filter != null) {
      if (topology.filter.has(peerId)) return
      topology.filter.add(peerId)
    } else {
      const key = topologyKey(topology)
      const seen = this.#topologyPeers.get(key) ?? new Set<string>()
      if (seen.has(peerId.toString())) return
      seen.add(peerId.toString())
      this.#topologyPeers.set(key, seen)
    }
    Promise.resolve(topology.onConnect?.(peerId, connection)).catch((err: Error) => { this.#log.error('topology onConnect failed - %e', err) })
  }

  #onPeerDisconnect (peerId: PeerId): void {
    for (const protocol of this.getProtocolsOfTopologies()) {
      for (const topology of this.components.registrar.getTopologies(protocol)) {
        const known = topology.filter != null ? topology.filter.has(peerId) : this.#topologyPeers.get(topologyKey(topology))?.has(peerId.toString()) === true
        if (!known) continue
        topology.filter?.remove(peerId)
        this.#topologyPeers.get(topologyKey(topology))?.delete(peerId.toString())
        Promise.resolve(topology.onDisconnect?.(peerId)).catch((err: Error) => { this.#log.error('topology onDisconnect failed - %e', err) })
      }
    }
  }

  getProtocolsOfTopologies (): string[] {
    return this.components.registrar.getTopologyProtocols()
  }
}

const topologyKeys = new WeakMap<Topology, string>()
let nextTopologyKey = 0
function topologyKey (topology: Topology): string {
  let key = topologyKeys.get(topology)
  if (key == null) {
    key = `${nextTopologyKey++}`
    topologyKeys.set(topology, key)
  }
  return key
}

function toTarget (peer: DialTarget | string): DialTarget {
  if (typeof peer === 'string') return toMultiaddr(peer)
  return peer
}

/** Builds the node's shared components from the init. */
export function createComponents (init: Libp2pInit<any>, peerId: PeerId, logger: ComponentLogger): Components {
  if (init.privateKey == null) throw new InvalidParametersError('a private key is needed')
  const components = {
    peerId,
    privateKey: init.privateKey,
    nodeInfo: { name: 'ts-libp2p', version: '0.1.0', userAgent: `ts-libp2p/0.1.0 node/${process.versions.node}`, ...init.nodeInfo },
    logger,
    events: new TypedEventEmitter<Libp2pEvents>(),
    datastore: init.datastore ?? new MemoryDatastore(),
    connectionGater: init.connectionGater ?? {}
  } as unknown as Components
  setMaxListeners(Infinity, components.events)
  // first: the components below register their metrics when they are made
  if (init.metrics != null) components.metrics = init.metrics(components)
  components.resourceManager = new ResourceManager(components, init.resourceManager)
  components.registrar = new Registrar()
  components.peerStore = persistentPeerStore(components, init.peerStore)
  components.transportManager = new TransportManager(components, init.transportManager)
  components.connectionManager = new ConnectionManager(components, init.connectionManager)
  components.addressManager = new AddressManager(components, init.addresses)
  components.upgrader = new Upgrader(components, {
    connectionEncrypters: (init.connectionEncrypters ?? []).map(f => f(components)),
    streamMuxers: (init.streamMuxers ?? []).map(f => f(components)),
    inboundUpgradeTimeout: init.connectionManager?.inboundUpgradeTimeout
  })
  return components
}
