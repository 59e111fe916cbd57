import { InvalidParametersError, TypedEventEmitter, peerDiscoverySymbol } from '@ts-libp2p/interface'
import { peerIdFromString } from '@ts-libp2p/peer-id'
import { anySignal } from '@ts-libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { DIAL_TIMEOUT, DISCOVERY_DELAY, MAX_LIST_LENGTH, MAX_RECONNECT_DELAY, RECONNECT_DELAY, TAG_NAME, TAG_TTL, TAG_VALUE } from './constants.js'
import { InvalidBootstrapListError } from './errors.js'
import type { BootstrapComponents, BootstrapInit } from './index.js'
import type { Logger, PeerDiscovery, PeerDiscoveryEvents, PeerId, PeerInfo, Startable } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** One bootstrap peer and its redial state. */
interface Entry {
  info: PeerInfo
  /** Failed dials in a row since the last connection. */
  failures: number
  timer?: ReturnType<typeof setTimeout>
  dialing: boolean
}

/**
 * Parses the list into one PeerInfo per peer id (entries naming the same
 * peer merge their addresses), or throws InvalidBootstrapListError.
 */
export function parseList (list: unknown): PeerInfo[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidBootstrapListError('The bootstrap list must be a non-empty array of multiaddrs with /p2p/ peer ids')
  }
  if (list.length > MAX_LIST_LENGTH) {
    throw new InvalidBootstrapListError(`The bootstrap list has ${list.length} entries, over the limit of ${MAX_LIST_LENGTH}`)
  }
  const peers = new Map<string, PeerInfo>()
  for (const entry of list) {
    let addr: Multiaddr
    try {
      if (typeof entry !== 'string') throw new Error(`not a string but ${typeof entry}`)
      addr = multiaddr(entry)
    } catch (err: any) {
      throw new InvalidBootstrapListError(`Bootstrap entry ${JSON.stringify(entry)} is not a multiaddr: ${err?.message ?? err}`)
    }
    // the last /p2p/ names the peer (earlier ones are relays on the way)
    const p2p = addr.getComponents().filter(c => c.name === 'p2p').at(-1)?.value
    if (p2p == null) throw new InvalidBootstrapListError(`Bootstrap entry ${entry} has no /p2p/<peer id>`)
    let id: PeerId
    try {
      id = peerIdFromString(p2p)
    } catch (err: any) {
      throw new InvalidBootstrapListError(`Bootstrap entry ${entry} has an invalid peer id: ${err?.message ?? err}`)
    }
    const known = peers.get(id.toString())
    if (known == null) peers.set(id.toString(), { id, multiaddrs: [addr] })
    else if (!known.multiaddrs.some(m => m.equals(addr))) known.multiaddrs.push(addr)
  }
  return [...peers.values()]
}

/**
 * The bootstrap discovery. After `timeout` ms from the node's start, each
 * listed peer is merged into the peer store with its addresses and tag,
 * announced with a `peer` event and dialed. Failed dials and disconnects of
 * a listed peer schedule a redial; `stop()` clears every timer and aborts
 * dials in progress.
 */
export class Bootstrap extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery, Startable {
  readonly [peerDiscoverySymbol] = this
  readonly [Symbol.toStringTag] = '@ts-libp2p/bootstrap'

  readonly #components: BootstrapComponents
  readonly #log: Logger
  readonly #entries: Map<string, Entry>
  readonly #delay: number
  readonly #tagName: string
  readonly #tagValue: number
  readonly #tagTTL: number
  readonly #reconnectDelay: number
  readonly #maxReconnectDelay: number
  readonly #dialTimeout: number
  #discoveryTimer?: ReturnType<typeof setTimeout>
  #shutdown?: AbortController

  constructor (components: BootstrapComponents, init: BootstrapInit) {
    super()
    this.#components = components
    this.#log = components.logger.forComponent('bootstrap')
    this.#entries = new Map(parseList(init?.list).map(info => [info.id.toString(), { info, failures: 0, dialing: false }]))
    this.#delay = nonNegative('timeout', init.timeout ?? DISCOVERY_DELAY)
    this.#tagName = init.tagName ?? TAG_NAME
    this.#tagValue = init.tagValue ?? TAG_VALUE
    this.#tagTTL = nonNegative('tagTTL', init.tagTTL ?? TAG_TTL)
    this.#reconnectDelay = nonNegative('reconnectDelay', init.reconnectDelay ?? RECONNECT_DELAY)
    this.#maxReconnectDelay = Math.max(this.#reconnectDelay, nonNegative('maxReconnectDelay', init.maxReconnectDelay ?? MAX_RECONNECT_DELAY))
    this.#dialTimeout = nonNegative('dialTimeout', init.dialTimeout ?? DIAL_TIMEOUT)
    this.onConnect = this.onConnect.bind(this)
    this.onDisconnect = this.onDisconnect.bind(this)
  }

  /** The bootstrap peers, one PeerInfo per peer id. */
  get peers (): PeerInfo[] {
    return [...this.#entries.values()].map(e => e.info)
  }

  isStarted (): boolean {
    return this.#shutdown != null
  }

  start (): void {
    if (this.#shutdown != null) return
    this.#shutdown = new AbortController()
    this.#components.events.addEventListener('peer:connect', this.onConnect)
    this.#components.events.addEventListener('peer:disconnect', this.onDisconnect)
  }

  /** Discovers and dials the list `timeout` ms after the node has started. */
  afterStart (): void {
    if (this.#shutdown == null || this.#discoveryTimer != null) return
    this.#discoveryTimer = setTimeout(() => {
      this.#discoveryTimer = undefined
      void this.#discoverAll()
    }, this.#delay)
  }

  stop (): void {
    this.#shutdown?.abort()
    this.#shutdown = undefined
    clearTimeout(this.#discoveryTimer)
    this.#discoveryTimer = undefined
    this.#components.events.removeEventListener('peer:connect', this.onConnect)
    this.#components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    for (const entry of this.#entries.values()) {
      clearTimeout(entry.timer)
      entry.timer = undefined
      entry.failures = 0
    }
  }

  /** A connection to a bootstrap peer opened (ours or theirs): the backoff starts over. */
  onConnect (evt: CustomEvent<PeerId>): void {
    const entry = this.#entries.get(evt.detail.toString())
    if (entry == null) return
    entry.failures = 0
    clearTimeout(entry.timer)
    entry.timer = undefined
  }

  /** The last connection to a bootstrap peer closed: dial it again after the backoff. */
  onDisconnect (evt: CustomEvent<PeerId>): void {
    const entry = this.#entries.get(evt.detail.toString())
    if (entry == null || this.#shutdown == null) return
    this.#log('bootstrap peer %p disconnected, redialing', entry.info.id)
    this.#schedule(entry)
  }

  async #discoverAll (): Promise<void> {
    await Promise.all([...this.#entries.values()].map(async (entry) => {
      if (!await this.#record(entry)) return
      if (this.#shutdown == null) return
      this.safeDispatchEvent('peer', { detail: entry.info })
      await this.#dial(entry)
    }))
  }

  /** Merges the peer's addresses and tag into the peer store; false if that failed. */
  async #record (entry: Entry): Promise<boolean> {
    try {
      await this.#components.peerStore.merge(entry.info.id, {
        multiaddrs: entry.info.multiaddrs,
        tags: { [this.#tagName]: { value: this.#tagValue, ttl: this.#tagTTL } }
      }, { signal: this.#shutdown?.signal })
      return true
    } catch (err: any) {
      this.#log.error('could not record bootstrap peer %p - %e', entry.info.id, err)
      return false
    }
  }

  async #dial (entry: Entry): Promise<void> {
    const shutdown = this.#shutdown
    if (shutdown == null || entry.dialing) return
    entry.dialing = true
    const signal = anySignal([shutdown.signal, AbortSignal.timeout(this.#dialTimeout)])
    try {
      await this.#components.connectionManager.openConnection(entry.info.id, { signal })
      entry.failures = 0
      this.#log('connected to bootstrap peer %p', entry.info.id)
    } catch (err: any) {
      if (shutdown.signal.aborted) return
      entry.failures++
      this.#log('dial %d to bootstrap peer %p failed - %e', entry.failures, entry.info.id, err)
      this.#schedule(entry)
    } finally {
      signal.clear()
      entry.dialing = false
    }
  }

  /** Redials after reconnectDelay * 2^(failures), capped at maxReconnectDelay; one timer per peer. */
  #schedule (entry: Entry): void {
    if (this.#shutdown == null || entry.timer != null) return
    const delay = Math.min(this.#maxReconnectDelay, this.#reconnectDelay * 2 ** Math.min(entry.failures, 30))
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      void (async () => {
        // the tag may have expired and the addresses been pruned while the peer was away
        if (!await this.#record(entry)) return
        await this.#dial(entry)
      })()
    }, delay)
  }
}

function nonNegative (name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new InvalidParametersError(`${name} must be a finite number of 0 or more, not ${value}`)
  }
  return value
}
