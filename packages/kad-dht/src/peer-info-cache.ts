import { PEER_INFO_CACHE_SIZE, PEER_INFO_CACHE_TTL } from './constants.js'
import type { PeerId, PeerInfo, PeerStore } from '@ts-libp2p/interface'

/**
 * Peer addresses read from the peer store, kept for a few seconds. Every
 * FIND_NODE answer carries up to k peers' addresses and every lookup result
 * needs them; reading and decoding peer store entries for each was the
 * largest cost of answering. Bounded in size and age.
 */
export class PeerInfoCache {
  readonly #peerStore: Pick<PeerStore, 'getInfo'>
  readonly #size: number
  readonly #ttl: number
  readonly #now: () => number
  readonly #entries = new Map<string, { info: PeerInfo, at: number }>()

  constructor (peerStore: Pick<PeerStore, 'getInfo'>, init: { size?: number, ttl?: number, now?(): number } = {}) {
    this.#peerStore = peerStore
    this.#size = init.size ?? PEER_INFO_CACHE_SIZE
    this.#ttl = init.ttl ?? PEER_INFO_CACHE_TTL
    this.#now = init.now ?? Date.now
  }

  /** The peer's addresses (none for an unknown peer). */
  async get (id: PeerId): Promise<PeerInfo> {
    const key = id.toString()
    const cached = this.#entries.get(key)
    if (cached != null && this.#now() - cached.at <= this.#ttl) return cached.info
    let info: PeerInfo
    try {
      info = await this.#peerStore.getInfo(id)
    } catch {
      info = { id, multiaddrs: [] }
    }
    this.#set(key, info)
    return info
  }

  /** Forgets a peer (its addresses just changed). */
  delete (id: PeerId): void {
    this.#entries.delete(id.toString())
  }

  #set (key: string, info: PeerInfo): void {
    this.#entries.delete(key)
    this.#entries.set(key, { info, at: this.#now() })
    while (this.#entries.size > this.#size) this.#entries.delete(this.#entries.keys().next().value as string)
  }
}
