import type { AbortOptions, PendingDial, Connection, MultiaddrConnection, PeerId, IsDialableOptions, OpenConnectionProgressEvents, Stream, NewStreamOptions, DialTarget } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ProgressOptions } from 'progress-events'

/** A map keyed by peer id (compared by its string form). */
export interface PeerMap<T> extends Iterable<[PeerId, T]> {
  clear(): void
  delete(peer: PeerId): boolean
  entries(): IterableIterator<[PeerId, T]>
  forEach(fn: (value: T, key: PeerId, map: PeerMap<T>) => void): void
  get(peer: PeerId): T | undefined
  has(peer: PeerId): boolean
  set(peer: PeerId, value: T): void
  keys(): IterableIterator<PeerId>
  values(): IterableIterator<T>
  readonly size: number
}

/** Options for opening a connection through the connection manager. */
export interface OpenConnectionOptions extends AbortOptions, ProgressOptions<OpenConnectionProgressEvents> {
  /** Higher dials first when the dial queue is full. */
  priority?: number
  /** Open a new connection even if one exists. */
  force?: boolean
  initiator?: boolean
}

/** Opens, tracks, limits and prunes the node's connections. */
export interface ConnectionManager {
  getConnections(peerId?: PeerId): Connection[]
  getConnectionsMap(): PeerMap<Connection[]>
  getMaxConnections(): number
  setMaxConnections(maxConnections: number): void
  /** Dials through the dial queue (deduplicated per peer). */
  openConnection(peer: DialTarget, options?: OpenConnectionOptions): Promise<Connection>
  openStream(peer: DialTarget, protocol: string | string[], options?: OpenConnectionOptions & NewStreamOptions): Promise<Stream>
  closeConnections(peer: PeerId, options?: AbortOptions): Promise<void>
  /** Called by listeners: false refuses the inbound connection (limits, deny list, rate limit). */
  acceptIncomingConnection(maConn: MultiaddrConnection): boolean
  /** Called when an inbound upgrade finished, to release its pending slot. */
  afterUpgradeInbound(): void
  getDialQueue(): PendingDial[]
  isDialable(multiaddr: Multiaddr | Multiaddr[], options?: IsDialableOptions): Promise<boolean>
}
