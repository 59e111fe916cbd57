/**
 * @packageDocumentation
 *
 * The ts-libp2p node: `createLibp2p(options)` assembles a node from the
 * transports, connection encrypters, stream muxers, services and peer
 * discovery modules the user passes in (ours or the official js-libp2p ones:
 * the roles are the same). Inside: the upgrader (raw connection -> secured,
 * multiplexed Connection per `connections/README.md`), the transport manager,
 * the dialer and connection manager, the registrar, the address manager and
 * the peer store.
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { memory } from '@ts-libp2p/memory'
 * import { noise } from '@ts-libp2p/noise'
 * import { yamux } from '@ts-libp2p/yamux'
 *
 * const node = await createLibp2p({
 *   addresses: { listen: ['/memory/a'] },
 *   transports: [memory()],
 *   connectionEncrypters: [noise()],
 *   streamMuxers: [yamux()]
 * })
 * console.info(node.peerId.toString(), node.getMultiaddrs().map(String))
 * await node.stop()
 * ```
 */

import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { defaultLogger } from '@ts-libp2p/utils'
import { Libp2pNode, createComponents } from './node.js'
import type { AddressManagerInit } from './address-manager.js'
import type { Components } from './components.js'
import type { ConnectionManagerInit } from './connection-manager.js'
import type { PersistentPeerStoreInit } from './peer-store/index.js'
import type { ResourceManagerInit } from './resource-manager.js'
import type { TransportManagerInit } from './transport-manager.js'
import type { ComponentLogger, ConnectionEncrypter, ConnectionGater, Libp2p, Metrics, NodeInfo, PeerDiscovery, PrivateKey, ServiceMap, StreamMuxerFactory, Transport } from '@ts-libp2p/interface'
import type { Datastore } from 'interface-datastore'

/** A module factory: receives the node's components, returns the module. */
export type ModuleFactory<T> = (components: Components) => T

/** A map of service names to service factories. */
export type ServiceFactoryMap<T extends ServiceMap = ServiceMap> = { [K in keyof T]: ModuleFactory<T[K]> }

/** Options of {@link createLibp2p}. */
export interface Libp2pInit<T extends ServiceMap = ServiceMap> {
  /** The node's identity; an Ed25519 key is generated when absent. */
  privateKey?: PrivateKey
  /** listen / announce / noAnnounce / appendAnnounce addresses. */
  addresses?: AddressManagerInit
  transports?: Array<ModuleFactory<Transport>>
  connectionEncrypters?: Array<ModuleFactory<ConnectionEncrypter>>
  streamMuxers?: Array<ModuleFactory<StreamMuxerFactory>>
  /** Services by name; each is available as `node.services.<name>`. */
  services?: ServiceFactoryMap<T>
  peerDiscovery?: Array<ModuleFactory<PeerDiscovery | object>>
  connectionManager?: ConnectionManagerInit
  /** Connection, stream and memory limits per scope (defaults scale with the machine's memory). */
  resourceManager?: ResourceManagerInit
  connectionGater?: ConnectionGater
  transportManager?: TransportManagerInit
  peerStore?: PersistentPeerStoreInit
  /** Where the peer store persists; in memory when absent. */
  datastore?: Datastore
  /** Name and version for identify's agentVersion. */
  nodeInfo?: Partial<NodeInfo>
  /** Loggers; `debug`-style `ts-libp2p:*` namespaces by default. */
  logger?: ComponentLogger
  metrics?: ModuleFactory<Metrics>
  /** Start the node before returning it (default true). */
  start?: boolean
}

/**
 * Creates a libp2p node from the modules in `init`, and starts it unless
 * `start: false`. Fails at once (not on first use) when a service's declared
 * dependencies are missing.
 */
export async function createLibp2p <T extends ServiceMap = ServiceMap> (init: Libp2pInit<T> = {}): Promise<Libp2p<T> & Libp2pNode<T>> {
  const privateKey = init.privateKey ?? await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(privateKey)
  const logger = init.logger ?? defaultLogger()
  const components = createComponents({ ...init, privateKey }, peerId, logger)
  const node = new Libp2pNode<T>(components, init)
  if (init.start !== false) await node.start()
  return node
}

export { Libp2pNode } from './node.js'
export type { Components } from './components.js'
export { checkServiceDependencies } from './components.js'
export { CompoundContentRouting, CompoundPeerRouting, NoContentRoutersError, NoPeerRoutersError } from './routing.js'
export { persistentPeerStore, PersistentPeerStore, peerKey, peerIdFromKey, InvalidStoredPeerError } from './peer-store/index.js'
export type { PersistentPeerStoreComponents, PersistentPeerStoreInit } from './peer-store/index.js'
export { MAX_PEERS, MAX_ADDRESSES_PER_PEER, MAX_PROTOCOLS_PER_PEER, MAX_METADATA_ENTRIES, MAX_METADATA_VALUE_SIZE, MAX_TAGS_PER_PEER } from './peer-store/index.js'
export { Upgrader, remotePeerOf } from './upgrader.js'
export type { UpgraderComponents, UpgraderInit } from './upgrader.js'
export { UpgradedConnection } from './connection.js'
export type { UpgradedConnectionInit } from './connection.js'
export { TransportManager } from './transport-manager.js'
export type { TransportManagerComponents, TransportManagerInit } from './transport-manager.js'
export { ConnectionManager } from './connection-manager.js'
export type { ConnectionManagerComponents, ConnectionManagerInit } from './connection-manager.js'
export { Dialer } from './dialer.js'
export { KeepAlive, isKeepAlive } from './keep-alive.js'
export type { KeepAliveInit, KeepAliveComponents } from './keep-alive.js'
export type { DialerComponents, DialerInit, DialerDialOptions } from './dialer.js'
export { sortAddresses } from './address-sort.js'
export { PeerMap } from './peer-map.js'
export { AddressManager } from './address-manager.js'
export type { AddressManagerComponents, AddressManagerInit } from './address-manager.js'
export { Registrar } from './registrar.js'
export { ResourceManager, ResourceScope, ConnectionScope, StreamScope, defaultResourceLimits } from './resource-manager.js'
export type { Resource, ResourceLimits, ResourceManagerComponents, ResourceManagerInit, ResourceStat, ScopeKind, ScopeLimits, ScopeUsage } from './resource-manager.js'
export type { RegistrarInit } from './registrar.js'
export * from './errors.js'
export * from './constants.js'
