/**
 * The message cache of gossipsub v1.0 ("Message Cache"): recent messages in
 * `mcache_len` history windows, the newest `mcache_gossip` of which are
 * advertised in IHAVE gossip, plus how often each message was sent to each
 * peer in answer to IWANT (v1.1 "Spam Protection Measures").
 */

import type { MemoryScope } from '@ts-libp2p/interface'

/** Where the cache charges the bytes of the messages it holds (the node's gossipsub service scope). */
export interface MessageCacheMemory<M> {
  scope: MemoryScope
  /** The bytes one message takes (its encoded size). */
  sizeOf(message: M): number
}

interface CacheEntry<M> {
  message: M
  /** Bytes reserved for it in the memory scope (0 without one). */
  bytes: number
  topic: string
  /** Times this message was sent to a peer in answer to its IWANT. */
  iwantCounts: Map<string, number>
}

interface WindowEntry {
  id: string
  topic: string
}

export class MessageCache<M = unknown> {
  readonly #entries = new Map<string, CacheEntry<M>>()
  readonly #windows: WindowEntry[][] = []
  readonly #gossipWindows: number
  readonly #memory?: MessageCacheMemory<M>

  /**
   * @param historyLength - `mcache_len`, windows kept
   * @param gossipWindows - `mcache_gossip`, windows advertised (at most `historyLength`)
   * @param memory - charged for each cached message while it is held; a
   * message it refuses is not cached (it cannot be served to IWANT then)
   */
  constructor (historyLength: number, gossipWindows: number, memory?: MessageCacheMemory<M>) {
    if (!(historyLength >= 1) || !(gossipWindows >= 0) || gossipWindows > historyLength) {
      throw new RangeError(`mcache_gossip (${gossipWindows}) must be within 0..mcache_len (${historyLength}) and mcache_len >= 1`)
    }
    this.#gossipWindows = gossipWindows
    this.#memory = memory
    for (let i = 0; i < historyLength; i++) this.#windows.push([])
  }

  /** Number of messages held. */
  get size (): number {
    return this.#entries.size
  }

  /**
   * `mcache.put(m)`: adds a message to the current window (a second put of
   * one id is ignored, and so is one the memory scope refuses: false).
   */
  put (id: string, topic: string, message: M): boolean {
    if (this.#entries.has(id)) return false
    let bytes = 0
    if (this.#memory != null) {
      bytes = this.#memory.sizeOf(message)
      try {
        this.#memory.scope.reserveMemory(bytes)
      } catch {
        return false
      }
    }
    this.#entries.set(id, { message, bytes, topic, iwantCounts: new Map() })
    this.#windows[0].push({ id, topic })
    return true
  }

  /** `mcache.get(id)`. */
  get (id: string): M | undefined {
    return this.#entries.get(id)?.message
  }

  has (id: string): boolean {
    return this.#entries.has(id)
  }

  /**
   * Gets a message for an IWANT from `peer` and counts the transmission;
   * returns the message and how many times it has now been sent to that peer.
   */
  getForPeer (id: string, peer: string): { message: M, count: number } | undefined {
    const entry = this.#entries.get(id)
    if (entry == null) return undefined
    const count = (entry.iwantCounts.get(peer) ?? 0) + 1
    entry.iwantCounts.set(peer, count)
    return { message: entry.message, count }
  }

  /** `mcache.get_gossip_ids(topic)`: ids in the newest `mcache_gossip` windows. */
  getGossipIDs (topic: string): string[] {
    const ids: string[] = []
    for (let i = 0; i < this.#gossipWindows; i++) {
      for (const entry of this.#windows[i]) {
        if (entry.topic === topic && this.#entries.has(entry.id)) ids.push(entry.id)
      }
    }
    return ids
  }

  /** Every topic with gossip to emit, and its ids (one pass over the gossip windows). */
  getGossipIDsByTopic (topics: Iterable<string>): Map<string, string[]> {
    const wanted = new Set(topics)
    const out = new Map<string, string[]>()
    for (let i = 0; i < this.#gossipWindows; i++) {
      for (const entry of this.#windows[i]) {
        if (!wanted.has(entry.topic) || !this.#entries.has(entry.id)) continue
        let ids = out.get(entry.topic)
        if (ids == null) { ids = []; out.set(entry.topic, ids) }
        ids.push(entry.id)
      }
    }
    return out
  }

  /** `mcache.shift()`: drops the oldest window's messages and opens a new current window. */
  shift (): void {
    const oldest = this.#windows.pop() ?? []
    for (const entry of oldest) this.#drop(entry.id)
    this.#windows.unshift([])
  }

  /** Drops every message (and returns their memory). */
  clear (): void {
    for (const id of [...this.#entries.keys()]) this.#drop(id)
    for (const window of this.#windows) window.length = 0
  }

  #drop (id: string): void {
    const entry = this.#entries.get(id)
    if (entry == null) return
    this.#entries.delete(id)
    if (entry.bytes > 0) this.#memory?.scope.releaseMemory(entry.bytes)
  }
}
