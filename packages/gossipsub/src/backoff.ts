/**
 * PRUNE backoff bookkeeping (gossipsub v1.1 "PRUNE Backoff and Peer
 * Exchange"): after a PRUNE in either direction, neither side grafts the
 * other on that topic until the backoff expires.
 */
export class Backoff {
  /** topic -> peer -> expiry (ms since epoch of the clock) */
  readonly #backoff = new Map<string, Map<string, number>>()
  readonly #now: () => number

  constructor (now: () => number = Date.now) {
    this.#now = now
  }

  /** Sets (or extends, never shortens) the backoff of `peer` on `topic` to `duration` ms from now. */
  add (topic: string, peer: string, duration: number): void {
    let peers = this.#backoff.get(topic)
    if (peers == null) { peers = new Map(); this.#backoff.set(topic, peers) }
    const expire = this.#now() + duration
    const existing = peers.get(peer) ?? 0
    if (existing < expire) peers.set(peer, expire)
  }

  /** True while `peer` is backed off on `topic`. */
  isBackoff (topic: string, peer: string): boolean {
    const expire = this.#backoff.get(topic)?.get(peer)
    return expire != null && expire > this.#now()
  }

  /** The expiry time, if any is recorded (expired or not). */
  expiry (topic: string, peer: string): number | undefined {
    return this.#backoff.get(topic)?.get(peer)
  }

  /** Drops the records that expired more than `slack` ms ago. */
  clearExpired (slack = 0): void {
    const now = this.#now()
    for (const [topic, peers] of this.#backoff) {
      for (const [peer, expire] of peers) {
        if (expire + slack < now) peers.delete(peer)
      }
      if (peers.size === 0) this.#backoff.delete(topic)
    }
  }

  /** Number of (topic, peer) records held. */
  size (): number {
    let n = 0
    for (const peers of this.#backoff.values()) n += peers.size
    return n
  }
}
