import type { AbortOptions } from './index.js'
import type { PublicKey } from './keys.js'
import type { PeerId } from './peer-id.js'
import type { PeerInfo } from './peer-info.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A tag name that asks the connection manager to keep a connection to the peer open. */
export const KEEP_ALIVE = 'keep-alive'

/** A peer's address, and whether it came from a signed peer record. */
export interface Address {
  multiaddr: Multiaddr
  /** True when it came from a signed peer record (RFC 0003). */
  isCertified: boolean
}

/** What the peer store knows of a peer. */
export interface Peer {
  id: PeerId
  addresses: Address[]
  protocols: string[]
  metadata: Map<string, Uint8Array>
  tags: Map<string, Tag>
  /** The signed envelope of the peer's latest peer record. */
  peerRecordEnvelope?: Uint8Array
}

/** Data to save, patch or merge into a peer's entry. */
export interface PeerData {
  addresses?: Address[]
  multiaddrs?: Multiaddr[]
  protocols?: string[]
  /** An undefined value deletes the key. */
  metadata?: Map<string, Uint8Array | undefined> | Record<string, Uint8Array | undefined>
  /** An undefined value deletes the tag. */
  tags?: Map<string, TagOptions | undefined> | Record<string, TagOptions | undefined>
  publicKey?: PublicKey
  peerRecordEnvelope?: Uint8Array
}

/** A tag's value and lifetime. */
export interface TagOptions {
  /** 0 to 100; higher keeps connections longer when pruning. */
  value?: number
  /** Milliseconds until the tag expires. */
  ttl?: number
}

/** A tag on a peer. */
export interface Tag {
  value: number
}

/** Keeps matching peers in a query. */
export interface PeerQueryFilter {
  (peer: Peer): boolean
}

/** Orders peers in a query. */
export interface PeerQueryOrder {
  (a: Peer, b: Peer): -1 | 0 | 1
}

/** A query over the peer store. */
export interface PeerQuery extends AbortOptions {
  filters?: PeerQueryFilter[]
  orders?: PeerQueryOrder[]
  limit?: number
  offset?: number
}

/** Options for consuming a signed peer record. */
export interface ConsumePeerRecordOptions extends AbortOptions {
  /** Refuse a record signed by another peer. */
  expectedPeer?: PeerId
}

/** What the node knows about other peers. */
export interface PeerStore {
  forEach(fn: (peer: Peer) => void, query?: PeerQuery): Promise<void>
  all(query?: PeerQuery): Promise<Peer[]>
  delete(peerId: PeerId, options?: AbortOptions): Promise<void>
  has(peerId: PeerId, options?: AbortOptions): Promise<boolean>
  /** Throws NotFoundError for an unknown peer. */
  get(peerId: PeerId, options?: AbortOptions): Promise<Peer>
  getInfo(peerId: PeerId, options?: AbortOptions): Promise<PeerInfo>
  /** Replaces everything known about the peer. */
  save(id: PeerId, data: PeerData, options?: AbortOptions): Promise<Peer>
  /** Replaces the fields given, keeps the others. */
  patch(id: PeerId, data: PeerData, options?: AbortOptions): Promise<Peer>
  /** Adds the fields given to what is known. */
  merge(id: PeerId, data: PeerData, options?: AbortOptions): Promise<Peer>
  /** Verifies and stores a signed peer record; false when it is stale or invalid. */
  consumePeerRecord(buf: Uint8Array, options?: ConsumePeerRecordOptions): Promise<boolean>
}
