import { STORE_MEMORY_HEADROOM } from './constants.js'
import type { MemoryScope } from '@ts-libp2p/interface'

/**
 * What the record and provider stores hold, charged to the DHT's service
 * memory scope per entry (keyed by datastore key; an approximate size per
 * entry, see `STORE_ENTRY_OVERHEAD`). Storing an entry reserves its size and
 * needs `STORE_MEMORY_HEADROOM` more free in the scope, so a full store
 * leaves room for the requests the server answers; a refusal throws the
 * scope's error (a ResourceLimitError in a node) and nothing is stored.
 * Expiry and deletion return an entry's bytes; `releaseAll()` (on stop)
 * returns everything. Entries a persistent datastore held before this run
 * are not counted.
 */
export class StoreMemory {
  readonly #scope: MemoryScope
  readonly #headroom: number
  /** datastore key -> bytes charged */
  readonly #entries = new Map<string, number>()
  #total = 0

  constructor (scope: MemoryScope, headroom: number = STORE_MEMORY_HEADROOM) {
    this.#scope = scope
    this.#headroom = headroom
  }

  /** Bytes charged for stored entries now. */
  get total (): number {
    return this.#total
  }

  /** Charges entry `key` at `bytes` (replacing what it was charged before); throws the scope's error. */
  charge (key: string, bytes: number): void {
    const before = this.#entries.get(key) ?? 0
    if (bytes > before) {
      const more = bytes - before
      this.#scope.reserveMemory(more + this.#headroom)
      this.#scope.releaseMemory(this.#headroom)
      this.#total += more
    } else if (bytes < before) {
      this.#scope.releaseMemory(before - bytes)
      this.#total -= before - bytes
    }
    this.#entries.set(key, bytes)
  }

  /** Returns what entry `key` was charged (it was deleted or expired). */
  release (key: string): void {
    const bytes = this.#entries.get(key)
    if (bytes == null) return
    this.#entries.delete(key)
    this.#total -= bytes
    if (bytes > 0) this.#scope.releaseMemory(bytes)
  }

  /** Returns everything (the DHT stopped). */
  releaseAll (): void {
    const total = this.#total
    this.#entries.clear()
    this.#total = 0
    if (total > 0) this.#scope.releaseMemory(total)
  }
}
