import { MAX_SEEN_CACHE_SIZE, SEEN_TTL } from './constants.js'

/** Options of a {@link SeenCache}. */
export interface SeenCacheInit {
  /** Milliseconds an entry lives. Default {@link SEEN_TTL} (120 s). */
  ttl?: number
  /** The most entries; the oldest go first past it. Default {@link MAX_SEEN_CACHE_SIZE}. */
  maxSize?: number
  /** The clock, for tests. Default `Date.now`. */
  now?(): number
}

/**
 * The ids of messages seen recently (the gossipsub spec's `seen_ttl` time
 * cache), bounded in time and in count. Entries expire in insertion order
 * (every entry gets the same TTL), so expiry walks from the oldest and
 * stops at the first live one; there is no timer to leak.
 */
export class SeenCache<K = string> {
  readonly #entries = new Map<K, number>()
  readonly #ttl: number
  readonly #maxSize: number
  readonly #now: () => number

  constructor (init: SeenCacheInit = {}) {
    this.#ttl = init.ttl ?? SEEN_TTL
    this.#maxSize = init.maxSize ?? MAX_SEEN_CACHE_SIZE
    this.#now = init.now ?? Date.now
  }

  get size (): number {
    return this.#entries.size
  }

  /** True when `key` was added less than the TTL ago. */
  has (key: K): boolean {
    const expires = this.#entries.get(key)
    if (expires == null) return false
    if (expires <= this.#now()) {
      this.#entries.delete(key)
      return false
    }
    return true
  }

  /**
   * Records `key`; returns false if it was already there (a duplicate),
   * true if it is new. An existing entry keeps its original expiry.
   */
  add (key: K): boolean {
    const now = this.#now()
    this.prune(now)
    const expires = this.#entries.get(key)
    if (expires != null && expires > now) return false
    if (expires != null) this.#entries.delete(key)
    this.#entries.set(key, now + this.#ttl)
    while (this.#entries.size > this.#maxSize) {
      const oldest = this.#entries.keys().next().value as K
      this.#entries.delete(oldest)
    }
    return true
  }

  delete (key: K): void {
    this.#entries.delete(key)
  }

  /** Drops expired entries. */
  prune (now = this.#now()): void {
    for (const [key, expires] of this.#entries) {
      if (expires > now) break
      this.#entries.delete(key)
    }
  }

  clear (): void {
    this.#entries.clear()
  }
}
