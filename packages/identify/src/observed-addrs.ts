import { MAX_TRACKED_OBSERVED_ADDRS, OBSERVED_ADDR_ACTIVATION_THRESHOLD } from './constants.js'
import type { PeerId } from '@ts-libp2p/interface'
import type { AddressManager } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Limits of {@link ObservedAddrs}. */
export interface ObservedAddrsInit {
  /** Distinct reporters needed to confirm an address. Default 4 (go-libp2p). */
  threshold?: number
  /** Candidates tracked at once; the oldest is forgotten past it. Default 16. */
  maxTracked?: number
}

/**
 * Counts which peers reported which observed address of ours (identify's
 * `observedAddr`). Each report is handed to the address manager as an
 * unconfirmed observed address; once `threshold` distinct peers reported the
 * same address it is confirmed, so the node advertises it. Memory is bounded:
 * at most `maxTracked` candidates, each with at most `threshold` reporters.
 */
export class ObservedAddrs {
  readonly #addressManager: Pick<AddressManager, 'addObservedAddr' | 'confirmObservedAddr'>
  readonly #threshold: number
  readonly #maxTracked: number
  /** address -> the peers (as strings) that reported it; Map order is age order. */
  readonly #reporters = new Map<string, Set<string>>()
  readonly #confirmed = new Set<string>()

  constructor (addressManager: Pick<AddressManager, 'addObservedAddr' | 'confirmObservedAddr'>, init: ObservedAddrsInit = {}) {
    this.#addressManager = addressManager
    this.#threshold = init.threshold ?? OBSERVED_ADDR_ACTIVATION_THRESHOLD
    this.#maxTracked = init.maxTracked ?? MAX_TRACKED_OBSERVED_ADDRS
  }

  /** Records that `reporter` saw us at `addr`; true when this report confirmed it. */
  report (addr: Multiaddr, reporter: PeerId): boolean {
    const key = addr.toString()
    if (this.#confirmed.has(key)) return false
    let reporters = this.#reporters.get(key)
    if (reporters == null) {
      if (this.#reporters.size >= this.#maxTracked) {
        const oldest = this.#reporters.keys().next().value
        if (oldest != null) this.#reporters.delete(oldest)
      }
      reporters = new Set()
      this.#reporters.set(key, reporters)
      this.#addressManager.addObservedAddr(addr)
    }
    reporters.add(reporter.toString())
    if (reporters.size < this.#threshold) return false
    this.#reporters.delete(key)
    if (this.#confirmed.size >= this.#maxTracked) {
      const oldest = this.#confirmed.values().next().value
      if (oldest != null) this.#confirmed.delete(oldest)
    }
    this.#confirmed.add(key)
    this.#addressManager.confirmObservedAddr(addr)
    return true
  }

  /** Candidates still gathering reports. */
  get tracked (): number {
    return this.#reporters.size
  }

  clear (): void {
    this.#reporters.clear()
    this.#confirmed.clear()
  }
}
