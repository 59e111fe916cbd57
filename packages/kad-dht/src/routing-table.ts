import { TypedEventEmitter } from 'main-event'
import { K, KEY_BITS, PING_CONCURRENCY, REPLACEMENT_CACHE_SIZE } from './constants.js'
import { commonPrefixLength, compareCloser, kadKey } from './distance.js'
import type { Logger, PeerId } from '@ts-libp2p/interface'

/** A peer in the routing table. */
export interface RoutingTableEntry {
  peerId: PeerId
  /** sha256 of the peer id's multihash bytes. */
  kadId: Uint8Array
  /** When we last heard from it (ms since the epoch). */
  lastSeen: number
}

/** Options of a {@link RoutingTable}. */
export interface RoutingTableInit {
  /** Peers per bucket. Default {@link K}. */
  k?: number
  /** Replacement candidates kept per full bucket. Default {@link REPLACEMENT_CACHE_SIZE}. */
  replacementCacheSize?: number
  /**
   * Called with the least-recently-seen peer of a full bucket when a new
   * peer wants in: true keeps it (the newcomer waits in the replacement
   * cache), false evicts it for the newest replacement. Without it, a full
   * bucket simply keeps its peers (Kademlia's preference for old peers).
   */
  isAlive?(peerId: PeerId): Promise<boolean>
  /** Liveness checks running at once. Default {@link PING_CONCURRENCY}. */
  pingConcurrency?: number
  log?: Logger
  now?(): number
}

/** Events of the routing table. */
export interface RoutingTableEvents {
  'peer:add': CustomEvent<PeerId>
  'peer:remove': CustomEvent<PeerId>
}

interface Bucket {
  /** Least recently seen first. */
  peers: RoutingTableEntry[]
  /** Newest last. */
  replacements: RoutingTableEntry[]
  checking: boolean
}

/** What {@link RoutingTable.add} did. */
export type AddResult = 'added' | 'updated' | 'pending' | 'self'

/**
 * The Kademlia routing table: one k-bucket per common prefix length with our
 * own key, 0 to 255 (spec, "Kademlia routing table": "maintain `k` peers with
 * shared key prefix of length `L`, for every `L` in `[0..255]`"). A full
 * bucket keeps its peers while they are alive: newcomers wait in a bounded
 * replacement cache, and the least-recently-seen peer is checked; if it is
 * gone, the newest replacement takes its place.
 */
export class RoutingTable extends TypedEventEmitter<RoutingTableEvents> {
  readonly selfKey: Uint8Array
  readonly #self: PeerId
  readonly #k: number
  readonly #replacementCacheSize: number
  readonly #isAlive?: (peerId: PeerId) => Promise<boolean>
  readonly #pingConcurrency: number
  readonly #log?: Logger
  readonly #now: () => number
  readonly #buckets: Bucket[] = []
  /** Peer id string to bucket index, for peers in a bucket. */
  readonly #index = new Map<string, number>()
  #checks = 0
  #stopped = false

  constructor (self: PeerId, init: RoutingTableInit = {}) {
    super()
    this.#self = self
    this.selfKey = kadKey(self.toMultihash().bytes)
    this.#k = init.k ?? K
    this.#replacementCacheSize = init.replacementCacheSize ?? REPLACEMENT_CACHE_SIZE
    this.#isAlive = init.isAlive
    this.#pingConcurrency = init.pingConcurrency ?? PING_CONCURRENCY
    this.#log = init.log
    this.#now = init.now ?? Date.now
    for (let i = 0; i < KEY_BITS; i++) this.#buckets.push({ peers: [], replacements: [], checking: false })
  }

  /** Peers in the table. */
  get size (): number {
    return this.#index.size
  }

  /** The bucket size. */
  get k (): number {
    return this.#k
  }

  /** Stops starting liveness checks (those running finish without effect). */
  stop (): void {
    this.#stopped = true
  }

  has (peerId: PeerId): boolean {
    return this.#index.has(peerId.toString())
  }

  /** The bucket index of a peer: the common prefix length of its key with ours. */
  bucketIndexOf (kadId: Uint8Array): number {
    return Math.min(commonPrefixLength(kadId, this.selfKey), KEY_BITS - 1)
  }

  /**
   * Adds a peer (or marks it seen). In a full bucket the peer waits in the
   * replacement cache and a liveness check of the least-recently-seen peer
   * starts (at most `pingConcurrency` at once across the table).
   */
  add (peerId: PeerId): AddResult {
    if (peerId.equals(this.#self)) return 'self'
    const id = peerId.toString()
    const existing = this.#index.get(id)
    if (existing != null) {
      const bucket = this.#buckets[existing]
      const i = bucket.peers.findIndex(e => e.peerId.toString() === id)
      const [entry] = bucket.peers.splice(i, 1)
      entry.lastSeen = this.#now()
      bucket.peers.push(entry)
      return 'updated'
    }
    const kadId = kadKey(peerId.toMultihash().bytes)
    const index = this.bucketIndexOf(kadId)
    const bucket = this.#buckets[index]
    const entry: RoutingTableEntry = { peerId, kadId, lastSeen: this.#now() }
    if (bucket.peers.length < this.#k) {
      bucket.peers.push(entry)
      this.#index.set(id, index)
      this.safeDispatchEvent('peer:add', { detail: peerId })
      return 'added'
    }
    const r = bucket.replacements.findIndex(e => e.peerId.toString() === id)
    if (r >= 0) bucket.replacements.splice(r, 1)
    bucket.replacements.push(entry)
    if (bucket.replacements.length > this.#replacementCacheSize) bucket.replacements.shift()
    void this.#checkOldest(index)
    return 'pending'
  }

  /** Removes a peer (it failed, or stopped serving the DHT); the newest replacement takes its place. */
  remove (peerId: PeerId): boolean {
    const id = peerId.toString()
    const index = this.#index.get(id)
    if (index == null) {
      for (const bucket of this.#buckets) {
        const r = bucket.replacements.findIndex(e => e.peerId.toString() === id)
        if (r >= 0) bucket.replacements.splice(r, 1)
      }
      return false
    }
    const bucket = this.#buckets[index]
    bucket.peers = bucket.peers.filter(e => e.peerId.toString() !== id)
    this.#index.delete(id)
    this.safeDispatchEvent('peer:remove', { detail: peerId })
    this.#promote(index)
    return true
  }

  #promote (index: number): void {
    const bucket = this.#buckets[index]
    while (bucket.peers.length < this.#k && bucket.replacements.length > 0) {
      const next = bucket.replacements.pop() as RoutingTableEntry
      next.lastSeen = this.#now()
      bucket.peers.push(next)
      this.#index.set(next.peerId.toString(), index)
      this.safeDispatchEvent('peer:add', { detail: next.peerId })
    }
  }

  async #checkOldest (index: number): Promise<void> {
    const bucket = this.#buckets[index]
    if (this.#isAlive == null || bucket.checking || this.#checks >= this.#pingConcurrency || this.#stopped) return
    const oldest = bucket.peers[0]
    if (oldest == null) return
    bucket.checking = true
    this.#checks++
    let alive = false
    try {
      alive = await this.#isAlive(oldest.peerId)
    } catch {
      alive = false
    } finally {
      bucket.checking = false
      this.#checks--
    }
    if (this.#stopped) return
    if (alive) {
      if (this.has(oldest.peerId)) this.add(oldest.peerId)
      return
    }
    this.#log?.('evicting %p from bucket %d: it did not answer a liveness check', oldest.peerId, index)
    this.remove(oldest.peerId)
  }

  /** The `count` peers closest to a kad key (sha256 of a key), closest first. */
  closest (target: Uint8Array, count: number = this.#k): PeerId[] {
    return this.closestEntries(target, count).map(e => e.peerId)
  }

  closestEntries (target: Uint8Array, count: number = this.#k): RoutingTableEntry[] {
    const all: RoutingTableEntry[] = []
    // walk buckets from the target's own bucket outwards would be faster; the table holds at most 256 * k entries
    for (const bucket of this.#buckets) all.push(...bucket.peers)
    all.sort((a, b) => compareCloser(target, a.kadId, b.kadId))
    return all.slice(0, count)
  }

  /** Indices of buckets holding at least one peer. */
  nonEmptyBuckets (): number[] {
    const out: number[] = []
    this.#buckets.forEach((b, i) => { if (b.peers.length > 0) out.push(i) })
    return out
  }

  /** The peers of a bucket, least recently seen first. */
  bucket (index: number): RoutingTableEntry[] {
    return [...(this.#buckets[index]?.peers ?? [])]
  }

  /** Replacement candidates of a bucket, newest last. */
  replacements (index: number): RoutingTableEntry[] {
    return [...(this.#buckets[index]?.replacements ?? [])]
  }

  /** Every peer in the table. */
  peers (): PeerId[] {
    return this.#buckets.flatMap(b => b.peers.map(e => e.peerId))
  }
}
