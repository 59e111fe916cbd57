import { transportSymbol } from './symbols.js'
import type { transportSymbol as TransportBrand } from '@libp2p/interface'
import type { AbortOptions, ClearableSignal } from './index.js'
import type { Connection, ConnectionLimits } from './connection.js'
import type { ConnectionEncrypter } from './connection-encrypter.js'
import type { MultiaddrConnection } from './multiaddr-connection.js'
import type { PeerId } from './peer-id.js'
import type { StreamMuxerFactory } from './stream-muxer.js'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { TypedEventTarget } from 'main-event'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

/** Events of a listener. */
export interface ListenerEvents {
  /** It is listening; `getAddrs()` is now meaningful. */
  listening: CustomEvent
  /** Something failed after listening started. */
  error: CustomEvent<Error>
  /** It stopped listening. */
  close: CustomEvent
}

/** Accepts inbound connections on one address and hands them to the upgrader. */
export interface Listener extends TypedEventTarget<ListenerEvents> {
  /** Starts listening. */
  listen(multiaddr: Multiaddr): Promise<void>
  /** The addresses it listens on, with wildcards expanded and port 0 resolved. */
  getAddrs(): Multiaddr[]
  /** Stops accepting and closes. */
  close(): Promise<void>
  /** Told when the node's announce addresses change. */
  updateAnnounceAddrs(addrs: Multiaddr[]): void
}

/** Keeps the addresses a transport can handle. */
export interface MultiaddrFilter {
  (multiaddrs: Multiaddr[]): Multiaddr[]
}

/** Options for creating a listener. */
export interface CreateListenerOptions {
  upgrader: Upgrader
}

/** Options for one dial. The signal is required: a dial always has a deadline. */
export interface DialTransportOptions<DialEvents extends ProgressEvent = ProgressEvent> extends Required<AbortOptions>, ProgressOptions<DialEvents> {
  upgrader: Upgrader
}

/** Opens and accepts raw connections of one kind (tcp, websockets, memory...). */
export interface Transport<DialEvents extends ProgressEvent = ProgressEvent> {
  [Symbol.toStringTag]: string
  /** The ecosystem-wide transport brand (see symbols.ts for why it is the official symbol). */
  [TransportBrand]: true
  /** Dials and upgrades a connection. */
  dial(ma: Multiaddr, options: DialTransportOptions<DialEvents>): Promise<Connection>
  /** Creates a listener that upgrades what it accepts. */
  createListener(options: CreateListenerOptions): Listener
  /** Addresses this transport can listen on. */
  listenFilter: MultiaddrFilter
  /** Addresses this transport can dial. */
  dialFilter: MultiaddrFilter
}

/** True when `other` carries the ecosystem's transport brand. */
export function isTransport (other?: any): other is Transport {
  return other != null && Boolean(other[transportSymbol])
}

/** How the node treats failure to listen on configured addresses. */
export enum FaultTolerance {
  /** Any failure to listen is fatal. */
  FATAL_ALL = 0,
  /** Keep going; log failures. */
  NO_FATAL = 1
}

/** Options for one upgrade. */
export interface UpgraderOptions<ConnectionUpgradeEvents extends ProgressEvent = ProgressEvent> extends ProgressOptions<ConnectionUpgradeEvents>, Required<AbortOptions> {
  skipProtection?: boolean
  /** Use this muxer without negotiating. */
  muxerFactory?: StreamMuxerFactory
  limits?: ConnectionLimits
  /** Override who acts as initiator in negotiation. */
  initiator?: boolean
}

/** Upgrading a connection that is already secure (e.g. WebRTC, QUIC). */
export interface UpgraderWithoutEncryptionOptions extends UpgraderOptions {
  skipEncryption: true
  remotePeer: PeerId
}

/** Progress events of an inbound upgrade. */
export type InboundConnectionUpgradeEvents =
  ProgressEvent<'upgrader:encrypt-inbound-connection'> |
  ProgressEvent<'upgrader:multiplex-inbound-connection'>

/** Progress events of an outbound upgrade. */
export type OutboundConnectionUpgradeEvents =
  ProgressEvent<'upgrader:encrypt-outbound-connection'> |
  ProgressEvent<'upgrader:multiplex-outbound-connection'>

/** Turns a raw connection into a Connection: encrypter, then muxer, each negotiated. */
export interface Upgrader {
  upgradeOutbound(maConn: MultiaddrConnection, opts: UpgraderOptions<OutboundConnectionUpgradeEvents>): Promise<Connection>
  upgradeOutbound(maConn: MultiaddrConnection, opts: UpgraderWithoutEncryptionOptions): Promise<Connection>
  upgradeInbound(maConn: MultiaddrConnection, opts: UpgraderOptions<InboundConnectionUpgradeEvents>): Promise<void>
  upgradeInbound(maConn: MultiaddrConnection, opts: UpgraderWithoutEncryptionOptions): Promise<void>
  /** A signal that fires after the inbound upgrade timeout or when `signal` fires. */
  createInboundAbortSignal(signal: AbortSignal): ClearableSignal
  getStreamMuxers(): Map<string, StreamMuxerFactory>
  getConnectionEncrypters(): Map<string, ConnectionEncrypter>
}
