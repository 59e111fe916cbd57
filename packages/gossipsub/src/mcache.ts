/**
 * The message cache of gossipsub v1.0 ("Message Cache"): recent messages in
 * `mcache_len` history windows, the newest `mcache_gossip` of which are
 * advertised in IHAVE gossip, plus how often each message was sent to each
 * peer in answer to IWANT (v1.1 "Spam Protection Measures").
 */

interface CacheEntry<M> {
  message: M
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

  /**
   * @param historyLength - `mcache_len`, windows kept
   * @param gossipWindows - `mcache_gossip`, windows advertised (at most `historyLength`)
   */
  constructor (historyLength: number, gossipWindows: number) {
    if (!(historyLength >= 1) || !(gossipWindows >= 0) || gossipWindows > historyLength) {
      throw new RangeError(`mcache_gossip (${gossipWindows}) must be within 0..mcache_len (${historyLength}) and mcache_len >= 1`)
    }
    this.#gossipWindows = gossipWindows
    for (let i = 0; i < historyLength; i++) this.#windows.push([])
  }

  /** Number of messages held. */
  get size (): number {
    return this.#entries.size
  }

  /** `mcache.put(m)`: adds a message to the current window (a second put of one id is ignored). */
  put (id: string, topic: string, message: M): boolean {
    if (this.#entries.has(id)) return false
    this.#entries.set(id, { message, topic, iwantCounts: new Map() })
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
    for (const entry of oldest) this.#entries.delete(entry.id)
    this.#windows.unshift([])
  }
}
