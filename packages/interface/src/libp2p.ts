import type { Connection, NewStreamOptions, NewStreamProgressEvents } from './connection.js'
import type { ContentRouting } from './content-routing.js'
import type { Ed25519PublicKey, PublicKey, RSAPublicKey, Secp256k1PublicKey } from './keys.js'
import type { Metrics } from './metrics.js'
import type { Ed25519PeerId, PeerId, RSAPeerId, Secp256k1PeerId, URLPeerId } from './peer-id.js'
import type { PeerInfo } from './peer-info.js'
import type { PeerRouting } from './peer-routing.js'
import type { Address, Peer, PeerStore } from './peer-store.js'
import type { Startable } from './startable.js'
import type { StreamHandler, StreamHandlerOptions, StreamMiddleware } from './stream-handler.js'
import type { Stream } from './stream.js'
import type { Topology } from './topology.js'
import type { Listener, OutboundConnectionUpgradeEvents } from './transport.js'
import type { DNS } from '@multiformats/dns'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { TypedEventTarget } from 'main-event'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

/** Options with an optional abort signal. Every async operation takes one. */
export interface AbortOptions {
  signal?: AbortSignal
}

/**
 * A `debug`-style logger: call it to log, `.error` and `.trace` for other
 * levels, `newScope` for a child namespace (per connection, per stream).
 */
export interface Logger {
  (formatter: any, ...args: any[]): void
  error(formatter: any, ...args: any[]): void
  trace(formatter: any, ...args: any[]): void
  enabled: boolean
  newScope(name: string): Logger
}

/** Makes loggers for components (`ts-libp2p:tcp`). */
export interface ComponentLogger {
  forComponent(name: string): Logger
}

/** Options carrying a logger. */
export interface LoggerOptions {
  log: Logger
}

/** Options carrying a trace context. */
export interface TraceOptions {
  trace?: any
}

/** An AbortSignal whose timers and listeners can be released early. */
export interface ClearableSignal extends AbortSignal {
  clear(): void
}

/** Options for content and peer routing calls. */
export interface RoutingOptions extends AbortOptions, ProgressOptions, TraceOptions {
  /** Query the network (default true). */
  useNetwork?: boolean
  /** Use cached answers (default true). */
  useCache?: boolean
}

/** Orders addresses before dialling. */
export interface AddressSorter {
  (a: Address, b: Address): -1 | 0 | 1
}

/** A change to a peer store entry. */
export interface PeerUpdate {
  peer: Peer
  previous?: Peer
}

/** The payload of a signed peer record (RFC 0003). */
export interface SignedPeerRecord {
  addresses: Multiaddr[]
  seq: bigint
}

/** What can be dialled. */
export type DialTarget = PeerId | Multiaddr | Multiaddr[]

/** A TLS certificate provisioned for the node. */
export interface TLSCertificate {
  key: string
  cert: string
}

/** What identify learnt about a peer. */
export interface IdentifyResult {
  peerId: PeerId
  listenAddrs: Multiaddr[]
  protocols: string[]
  protocolVersion?: string
  agentVersion?: string
  publicKey?: Uint8Array
  observedAddr?: Multiaddr
  signedPeerRecord?: SignedPeerRecord
  connection: Connection
}

/** Options for resolving a multiaddr (e.g. dnsaddr). */
export interface MultiaddrResolveOptions extends AbortOptions, LoggerOptions {
  dns?: DNS
}

/** Resolves multiaddrs of a kind into dialable ones. */
export interface MultiaddrResolver {
  canResolve(address: Multiaddr): boolean
  resolve(address: Multiaddr, options: MultiaddrResolveOptions): Promise<Multiaddr[]>
}

/** The services of a node, by name. */
export type ServiceMap = Record<string, unknown>

/** The events of a node. */
export interface Libp2pEvents<T extends ServiceMap = ServiceMap> {
  'peer:discovery': CustomEvent<PeerInfo>
  'peer:connect': CustomEvent<PeerId>
  'peer:disconnect': CustomEvent<PeerId>
  'peer:reconnect-failure': CustomEvent<PeerId>
  'peer:identify': CustomEvent<IdentifyResult>
  'peer:update': CustomEvent<PeerUpdate>
  'self:peer:update': CustomEvent<PeerUpdate>
  'transport:listening': CustomEvent<Listener>
  'transport:close': CustomEvent<Listener>
  'connection:prune': CustomEvent<Connection[]>
  'connection:open': CustomEvent<Connection>
  'connection:close': CustomEvent<Connection>
  'certificate:provision': CustomEvent<TLSCertificate>
  'certificate:renew': CustomEvent<TLSCertificate>
  start: CustomEvent<Libp2p<T>>
  stop: CustomEvent<Libp2p<T>>
}

/** The state of a dial in the dial queue. */
export type PendingDialStatus = 'queued' | 'active' | 'error' | 'success'

/** A dial in the dial queue. */
export interface PendingDial {
  id: string
  status: PendingDialStatus
  peerId?: PeerId
  multiaddrs: Multiaddr[]
}

/** The state of a node. */
export type Libp2pStatus = 'starting' | 'started' | 'stopping' | 'stopped'

/** Options for `isDialable`. */
export interface IsDialableOptions extends AbortOptions {
  runOnLimitedConnection?: boolean
}

/** Progress of the transport manager during a dial. */
export type TransportManagerDialProgressEvents = ProgressEvent<'transport-manager:selected-transport', string>

/** Progress of opening a connection. */
export type OpenConnectionProgressEvents =
  ProgressEvent<'connection:open', DialTarget> |
  ProgressEvent<'connection:opened', Connection> |
  TransportManagerDialProgressEvents |
  ProgressEvent<'dial-queue:already-connected'> |
  ProgressEvent<'dial-queue:already-in-dial-queue'> |
  ProgressEvent<'dial-queue:add-to-dial-queue'> |
  ProgressEvent<'dial-queue:start-dial'> |
  ProgressEvent<'dial-queue:calculated-addresses', Address[]> |
  OutboundConnectionUpgradeEvents

/** Options for a dial. */
export interface DialOptions extends AbortOptions, ProgressOptions<OpenConnectionProgressEvents> {
  /** Open a new connection even if one exists. */
  force?: boolean
}

/** Options for dialling and opening a protocol stream. */
export interface DialProtocolOptions extends Omit<DialOptions, 'onProgress'>, Omit<NewStreamOptions, 'onProgress'>, ProgressOptions<OpenConnectionProgressEvents | NewStreamProgressEvents> {}

/** A libp2p node. */
export interface Libp2p<T extends ServiceMap = ServiceMap> extends Startable, TypedEventTarget<Libp2pEvents<T>> {
  peerId: PeerId
  peerStore: PeerStore
  peerRouting: PeerRouting
  contentRouting: ContentRouting
  metrics?: Metrics
  logger: ComponentLogger
  status: Libp2pStatus
  getMultiaddrs(): Multiaddr[]
  getProtocols(): string[]
  getConnections(peerId?: PeerId): Connection[]
  getDialQueue(): PendingDial[]
  getPeers(): PeerId[]
  dial(peer: DialTarget, options?: DialOptions): Promise<Connection>
  dialProtocol(peer: DialTarget, protocols: string | string[], options?: DialProtocolOptions): Promise<Stream>
  hangUp(peer: PeerId | Multiaddr, options?: AbortOptions): Promise<void>
  handle(protocol: string | string[], handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
  unhandle(protocols: string[] | string, options?: AbortOptions): Promise<void>
  register(protocol: string, topology: Topology, options?: AbortOptions): Promise<string>
  unregister(id: string): void
  use(protocol: string, middleware: StreamMiddleware | StreamMiddleware[]): void
  unuse(protocol: string): void
  getPublicKey(peer: Ed25519PeerId, options?: AbortOptions): Promise<Ed25519PublicKey>
  getPublicKey(peer: Secp256k1PeerId, options?: AbortOptions): Promise<Secp256k1PublicKey>
  getPublicKey(peer: RSAPeerId, options?: AbortOptions): Promise<RSAPublicKey>
  getPublicKey(peer: URLPeerId, options?: AbortOptions): Promise<never>
  getPublicKey(peer: PeerId, options?: AbortOptions): Promise<PublicKey>
  isDialable(multiaddr: Multiaddr | Multiaddr[], options?: IsDialableOptions): Promise<boolean>
  services: T
}

/** Name and version of the running node, for identify's agentVersion. */
export interface NodeInfo {
  name: string
  version: string
  userAgent: string
}
