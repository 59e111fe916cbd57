import type { PeerId } from '@ts-libp2p/interface'
import type { PeerMap as PeerMapInterface } from '@ts-libp2p/interface-internal'

/** A Map keyed by peer id, compared by the id's string form. */
export class PeerMap<T> implements PeerMapInterface<T> {
  readonly #map = new Map<string, { key: PeerId, value: T }>()

  clear (): void { this.#map.clear() }
  delete (peer: PeerId): boolean { return this.#map.delete(peer.toString()) }
  * entries (): IterableIterator<[PeerId, T]> { for (const { key, value } of this.#map.values()) yield [key, value] }
  forEach (fn: (value: T, key: PeerId, map: PeerMap<T>) => void): void { for (const [k, v] of this) fn(v, k, this) }
  get (peer: PeerId): T | undefined { return this.#map.get(peer.toString())?.value }
  has (peer: PeerId): boolean { return this.#map.has(peer.toString()) }
  set (peer: PeerId, value: T): void { this.#map.set(peer.toString(), { key: peer, value }) }
  * keys (): IterableIterator<PeerId> { for (const { key } of this.#map.values()) yield key }
  * values (): IterableIterator<T> { for (const { value } of this.#map.values()) yield value }
  get size (): number { return this.#map.size }
  [Symbol.iterator] (): IterableIterator<[PeerId, T]> { return this.entries() }
}
