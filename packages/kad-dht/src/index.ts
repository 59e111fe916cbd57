/**
 * @packageDocumentation
 *
 * The libp2p Kademlia DHT, `/ipfs/kad/1.0.0`
 * ([spec](https://github.com/libp2p/specs/blob/master/kad-dht/README.md)):
 * peer routing (find a peer, the closest peers to a key), value records
 * (put/get with validators and selectors per namespace, `/pk/` and `/ipns/`
 * built in) and provider records (provide/findProviders keyed by
 * multihash).
 *
 * The service plugs into the node as content and peer routing, so
 * `node.contentRouting.put/get/provide/findProviders` and
 * `node.peerRouting.findPeer/getClosestPeers` use it. It needs identify
 * (peers enter the routing table only once identify says they serve the
 * DHT).
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { identify } from '@ts-libp2p/identify'
 * import { kadDHT } from '@ts-libp2p/kad-dht'
 *
 * const node = await createLibp2p({ ..., services: { identify: identify(), dht: kadDHT({ clientMode: false }) } })
 * await node.contentRouting.put(key, value)
 * const found = await node.contentRouting.get(key)
 * ```
 */

import { KadDHTService } from './kad-dht.js'
import type { QueryProgressEvents } from './query.js'
import type { Selector, Validator } from './records.js'
import type { QueryStats } from './operations.js'
import type { RoutingTable } from './routing-table.js'
import type { AbortOptions, ComponentLogger, ContentRouting, Libp2pEvents, MemoryScope, PeerId, PeerInfo, PeerRouting, PeerStore, Provider, RoutingOptions, TypedEventTarget, contentRoutingSymbol, peerRoutingSymbol } from '@ts-libp2p/interface'
import type { AddressManager, ConnectionManager, Registrar } from '@ts-libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'
import type { ProgressEvent } from 'progress-events'

export * from './constants.js'
export * from './errors.js'
export { MessageType, ConnectionType, encodeMessage, decodeMessage } from './message.js'
export type { DHTMessage, WirePeer, WireRecord } from './message.js'
export { RecordValidation, namespaceOf, publicKeyValidator, publicKeySelector } from './records.js'
export type { Validator, Selector } from './records.js'
export { ipnsValidator, ipnsSelector, validateIpnsRecord, MAX_IPNS_RECORD_SIZE } from './ipns.js'
export { isPublicAddress } from './addresses.js'
export type { QueryProgressEvents, QueryOutcome } from './query.js'
export type { QueryStats } from './operations.js'
export type { RoutingTable } from './routing-table.js'

/** Whether the node answers DHT requests (server) or only asks (client). */
export type DHTMode = 'client' | 'server'

/** Progress events of DHT operations (lookups, puts). */
export type KadDHTProgressEvents = QueryProgressEvents |
  ProgressEvent<'kad-dht:query:done', { hops: number, queried: number, failed: number, reason: string, ms: number }> |
  ProgressEvent<'kad-dht:put:done', { accepted: number, asked: number }>

/** Options of the DHT's routing calls. */
export interface KadDHTQueryOptions extends RoutingOptions {
  /**
   * put/provide: peers that must accept (default `putQuorum`, 1).
   * get: values to collect before stopping (default `getQuorum`, 16).
   */
  quorum?: number
  /** findProviders: stop after this many providers. Default 20 (k). */
  maxProviders?: number
  /** Overrides the lookup timeout for this call. */
  queryTimeout?: number
  /** Overrides the lookup concurrency for this call. */
  alpha?: number
}

/** Options of the DHT service. Every field is optional. */
export interface KadDHTInit {
  /** The full protocol id. Default `<protocolPrefix>/kad/1.0.0`. */
  protocol?: string
  /** Prefix of the protocol id, for a private DHT. Default `/ipfs`. */
  protocolPrefix?: string
  /**
   * `true`: client mode (never answers, not in others' routing tables).
   * `false`: server mode. Unset: automatic, server once the address manager
   * has a confirmed address that is public (or any confirmed address when
   * `allowPrivateAddresses` is set).
   */
  clientMode?: boolean
  /**
   * Accept, store and hand out private, loopback and in-process (`/memory`)
   * addresses. Default false, as go-libp2p-kad-dht on the public DHT: such
   * addresses are useless (or harmful: LAN dials) to remote peers. Set it
   * for loopback tests, LANs and private DHTs.
   */
  allowPrivateAddresses?: boolean
  /** Bucket size and replication `k`. Default 20. */
  kBucketSize?: number
  /** Lookup concurrency. Default 3. */
  alpha?: number
  /** Lookup resiliency: how many of the closest peers must answer. Default 3. */
  beta?: number
  /** One lookup, ms. Default 30 000. */
  queryTimeout?: number
  /** One request/response, ms. Default 10 000. */
  rpcTimeout?: number
  /** The largest message read, bytes. Default 4 MiB. */
  maxMessageSize?: number
  /** Record validators by namespace (`/<ns>/...` keys); `pk` and `ipns` are built in. */
  validators?: Record<string, Validator>
  /** Record selectors by namespace. */
  selectors?: Record<string, Selector>
  /** Values collected by get before it stops. Default 16. */
  getQuorum?: number
  /** Peers that must accept put/provide. Default 1. */
  putQuorum?: number
  /** How long stored value records live, ms. Default 36 h. */
  maxRecordAge?: number
  /** How long provider records live, ms. Default 48 h. */
  providerRecordTtl?: number
  /** How long provider addresses are served, ms. Default 30 min. */
  providerAddrsTtl?: number
  /** How often our provider records are republished, ms. Default 22 h; 0 disables. */
  reprovideInterval?: number
  /** How often the routing table is refreshed, ms. Default 10 min; 0 disables. */
  refreshInterval?: number
  /** One refresh lookup, ms. Default 10 000. */
  refreshQueryTimeout?: number
  /** How often expired records are swept, ms. Default 1 h; 0 disables. */
  cleanupInterval?: number
  /** Liveness check of a full bucket's oldest peer, ms. Default 10 000. */
  pingTimeout?: number
  /** Logger component name. Default `kad-dht`. */
  logPrefix?: string
}

/** What the DHT needs from the node. */
export interface KadDHTComponents {
  peerId: PeerId
  registrar: Pick<Registrar, 'handle' | 'unhandle' | 'register' | 'unregister'>
  connectionManager: Pick<ConnectionManager, 'openStream' | 'openConnection' | 'getConnections'>
  peerStore: Pick<PeerStore, 'getInfo' | 'merge' | 'all'>
  addressManager: Pick<AddressManager, 'getAddresses' | 'getAddressesWithMetadata'>
  datastore: Datastore
  events: TypedEventTarget<Pick<Libp2pEvents, 'peer:identify' | 'self:peer:update'>>
  logger: ComponentLogger
  /** When the node has one: inbound requests' bytes are reserved in its `kad-dht` service scope while they are answered. */
  resourceManager?: { serviceScope(name: string): MemoryScope }
}

/** The DHT service (`node.services.dht`). */
export interface KadDHT extends ContentRouting, PeerRouting {
  /** The protocol id, `/ipfs/kad/1.0.0` by default. */
  readonly protocol: string
  readonly [contentRoutingSymbol]: ContentRouting
  readonly [peerRoutingSymbol]: PeerRouting
  /** The routing table (read it; the service maintains it). */
  readonly routingTable: RoutingTable
  getMode(): DHTMode
  /** Forces client or server mode; `undefined` returns to automatic. */
  setMode(mode: DHTMode | undefined): Promise<void>
  /** Finds a peer's addresses (NotFoundError when nobody knows it). */
  findPeer(peerId: PeerId, options?: KadDHTQueryOptions): Promise<PeerInfo>
  /** The k peers closest to `key` that answered a lookup, closest first. */
  getClosestPeers(key: Uint8Array, options?: KadDHTQueryOptions): AsyncIterable<PeerInfo>
  /** Stores a value on the k closest peers (QuorumNotMetError below the quorum). */
  put(key: Uint8Array, value: Uint8Array, options?: KadDHTQueryOptions): Promise<void>
  /** The best valid value for `key` (NotFoundError when none). */
  get(key: Uint8Array, options?: KadDHTQueryOptions): Promise<Uint8Array>
  /** Announces this node as a provider of `cid` (republished every 22 h until cancelReprovide). */
  provide(cid: CID, options?: KadDHTQueryOptions): Promise<void>
  cancelReprovide(cid: CID, options?: AbortOptions): Promise<void>
  /** Providers of `cid`, as they are found. */
  findProviders(cid: CID, options?: KadDHTQueryOptions): AsyncIterable<Provider>
  /** Runs the bootstrap/refresh lookups now. */
  refreshRoutingTable(options?: AbortOptions & { selfOnly?: boolean }): Promise<void>
  /** Request and lookup counters (hops included). */
  getStats(): QueryStats
}

/** Creates the Kademlia DHT service for a node's `services`. */
export function kadDHT (init: KadDHTInit = {}): (components: KadDHTComponents) => KadDHT {
  return (components) => new KadDHTService(components, init)
}
