import { KEEP_ALIVE } from '@ts-libp2p/interface'
import { MAX_PARALLEL_RECONNECTS, RECONNECT_BACKOFF_FACTOR, RECONNECT_RETRIES, RECONNECT_RETRY_INTERVAL } from './constants.js'
import type { ComponentLogger, Connection, Libp2pEvents, Logger, Peer, PeerId, PeerStore, TypedEventTarget } from '@ts-libp2p/interface'

/** Options for redialling keep-alive peers. */
export interface KeepAliveInit {
  /** Redial attempts before giving up. Default {@link RECONNECT_RETRIES}. */
  reconnectRetries?: number
  /** Delay before the first redial, ms. Default {@link RECONNECT_RETRY_INTERVAL}. */
  reconnectRetryInterval?: number
  /** Growth of the delay per attempt. Default {@link RECONNECT_BACKOFF_FACTOR}. */
  reconnectBackoffFactor?: number
  /** Peers redialled at once. Default {@link MAX_PARALLEL_RECONNECTS}. */
  maxParallelReconnects?: number
}

/** What keep-alive needs from the node. */
export interface KeepAliveComponents {
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
  peerStore?: Partial<Pick<PeerStore, 'get' | 'has' | 'all'>>
}

/** True when the peer carries a tag named `keep-alive` (or `keep-alive-<reason>`). */
export function isKeepAlive (peer: Pick<Peer, 'tags'>): boolean {
  for (const name of peer.tags.keys()) {
    if (name === KEEP_ALIVE || name.startsWith(`${KEEP_ALIVE}-`)) return true
  }
  return false
}

/**
 * Keeps connections to peers tagged `keep-alive`: dials them on start, and
 * redials one that disconnects with a growing delay; after the last failed
 * attempt it emits `peer:reconnect-failure`. Bounded in parallel redials.
 */
export class KeepAlive {
  readonly #components: KeepAliveComponents
  readonly #dial: (peer: PeerId, signal: AbortSignal) => Promise<Connection>
  readonly #retries: number
  readonly #interval: number
  readonly #factor: number
  readonly #maxParallel: number
  readonly #log: Logger
  readonly #active = new Set<string>()
  /** Peers that disconnected again while their redial was still running. */
  readonly #again = new Set<string>()
  readonly #waiting: Array<() => void> = []
  #running = 0
  #controller?: AbortController

  constructor (components: KeepAliveComponents, dial: (peer: PeerId, signal: AbortSignal) => Promise<Connection>, init: KeepAliveInit = {}) {
    this.#components = components
    this.#dial = dial
    this.#retries = init.reconnectRetries ?? RECONNECT_RETRIES
    this.#interval = init.reconnectRetryInterval ?? RECONNECT_RETRY_INTERVAL
    this.#factor = init.reconnectBackoffFactor ?? RECONNECT_BACKOFF_FACTOR
    this.#maxParallel = init.maxParallelReconnects ?? MAX_PARALLEL_RECONNECTS
    this.#log = components.logger.forComponent('keep-alive')
  }

  readonly #onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const peerId = evt.detail
    const store = this.#components.peerStore
    if (store?.get == null) return
    const get = store.get.bind(store)
    // most disconnected peers are not in the store: `has` answers without the two
    // NotFoundErrors (datastore, peer store) a `get` would construct for them
    const known = store.has?.(peerId) ?? Promise.resolve(true)
    known.then(async (has) => {
      if (!has) return
      if (isKeepAlive(await get(peerId))) this.#reconnect(peerId, true)
    }).catch(() => {})
  }

  start (): void {
    if (this.#controller != null) return
    this.#controller = new AbortController()
    this.#components.events.addEventListener('peer:disconnect', this.#onDisconnect)
  }

  /** Dials the keep-alive peers the peer store knows (once the node listens). */
  async afterStart (): Promise<void> {
    const peers = await this.#components.peerStore?.all?.({ filters: [isKeepAlive] }).catch(() => []) ?? []
    for (const peer of peers) this.#reconnect(peer.id, false)
  }

  stop (): void {
    this.#components.events.removeEventListener('peer:disconnect', this.#onDisconnect)
    this.#controller?.abort(new Error('The node stopped'))
    this.#controller = undefined
    this.#active.clear()
    this.#again.clear()
    for (const wake of this.#waiting.splice(0)) wake()
  }

  #reconnect (peerId: PeerId, afterDisconnect: boolean): void {
    const signal = this.#controller?.signal
    const key = peerId.toString()
    if (signal == null || signal.aborted) return
    if (this.#active.has(key)) {
      // the redial that is finishing may have connected just before this disconnect: go again after it
      if (afterDisconnect) this.#again.add(key)
      return
    }
    this.#active.add(key)
    this.#attempts(peerId, afterDisconnect, signal).finally(() => {
      this.#active.delete(key)
      if (this.#again.delete(key)) this.#reconnect(peerId, true)
    }).catch(() => {})
  }

  async #attempts (peerId: PeerId, afterDisconnect: boolean, signal: AbortSignal): Promise<void> {
    await this.#acquire(signal)
    try {
      for (let attempt = 0; attempt < this.#retries && !signal.aborted; attempt++) {
        if (afterDisconnect || attempt > 0) await sleep(this.#interval * this.#factor ** (afterDisconnect ? attempt : attempt - 1), signal)
        if (signal.aborted) return
        try {
          await this.#dial(peerId, signal)
          this.#log('reconnected to keep-alive peer %p', peerId)
          return
        } catch (err: any) {
          this.#log('redial %d of keep-alive peer %p failed - %e', attempt + 1, peerId, err)
        }
      }
      if (!signal.aborted) this.#components.events.safeDispatchEvent('peer:reconnect-failure', { detail: peerId })
    } finally {
      this.#release()
    }
  }

  async #acquire (signal: AbortSignal): Promise<void> {
    while (this.#running >= this.#maxParallel && !signal.aborted) {
      await new Promise<void>((resolve) => { this.#waiting.push(resolve) })
    }
    this.#running++
  }

  #release (): void {
    this.#running--
    this.#waiting.shift()?.()
  }
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    function done (): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
