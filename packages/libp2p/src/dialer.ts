import { DialError, InvalidParametersError, LimitExceededError, isPeerId } from '@ts-libp2p/interface'
import { anySignal, raceSignal } from '@ts-libp2p/utils'
import { multiaddr as toMultiaddr } from '@multiformats/multiaddr'
import { sortAddresses } from './address-sort.js'
import { DIAL_BACKOFF, DIAL_STAGGER, MAX_BACKOFF_ENTRIES, MAX_DIAL_BACKOFF, MAX_DIAL_QUEUE_LENGTH, MAX_PARALLEL_DIALS, MAX_PEER_ADDRS_TO_DIAL } from './constants.js'
import { DialBackoffError, DialSelfError, NoValidAddressesError } from './errors.js'
import { cachedPeerIdFromString, lastPeerIdString } from './peer-id-cache.js'
import type { Metrics, CounterGroup, AbortOptions, ComponentLogger, Connection, ConnectionGater, DialTarget, Logger, OpenConnectionProgressEvents, PeerId, PeerStore, PendingDial, PendingDialStatus } from '@ts-libp2p/interface'
import type { TransportManager } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ProgressOptions } from 'progress-events'

/** What the dialer needs from the node. */
export interface DialerComponents {
  peerId: PeerId
  transportManager: TransportManager
  logger: ComponentLogger
  /** Where addresses of a peer dialled by id come from. */
  peerStore?: Pick<PeerStore, 'get'>
  connectionGater?: ConnectionGater
  metrics?: Metrics
}

/** Options of the dialer. */
export interface DialerInit {
  /** Dials in flight at once. Default {@link MAX_PARALLEL_DIALS}. */
  maxParallelDials?: number
  /** Dials waiting for a slot. Default {@link MAX_DIAL_QUEUE_LENGTH}. */
  maxDialQueueLength?: number
  /** Addresses of one peer tried per dial. Default {@link MAX_PEER_ADDRS_TO_DIAL}. */
  maxPeerAddrsToDial?: number
  /** Delay before trying the next address while earlier ones run. Default {@link DIAL_STAGGER}. */
  dialStagger?: number
  /** Base backoff after a peer's every address failed; 0 disables backoff. Default {@link DIAL_BACKOFF}. */
  dialBackoff?: number
  /** Orders the addresses of a peer before dialling. Default {@link sortAddresses}. */
  addressSorter?(addrs: Multiaddr[]): Multiaddr[]
}

/** Options of one dial. */
export interface DialerDialOptions extends AbortOptions, ProgressOptions<OpenConnectionProgressEvents> {}

interface Pending extends PendingDial {
  promise: Promise<Connection>
}

let dialCount = 0

/**
 * Dials peers: resolves a target to addresses, asks the gater, orders the
 * addresses and tries them with a short stagger (happy eyeballs) until one
 * connects; concurrent dials to the same peer share one attempt, the number
 * of dials in flight is bounded, and a peer whose addresses all failed is in
 * backoff for a while.
 */
export class Dialer {
  readonly #components: DialerComponents
  readonly #maxParallel: number
  readonly #maxQueue: number
  readonly #maxAddrs: number
  readonly #stagger: number
  readonly #backoffBase: number
  readonly #sort: (addrs: Multiaddr[]) => Multiaddr[]
  readonly #pending = new Map<string, Pending>()
  readonly #waiting: Array<() => void> = []
  readonly #backoff = new Map<string, { until: number, failures: number }>()
  readonly #log: Logger
  readonly #outcomes?: CounterGroup<'success' | 'error' | 'aborted'>
  #active = 0

  constructor (components: DialerComponents, init: DialerInit = {}) {
    this.#components = components
    this.#maxParallel = init.maxParallelDials ?? MAX_PARALLEL_DIALS
    this.#maxQueue = init.maxDialQueueLength ?? MAX_DIAL_QUEUE_LENGTH
    this.#maxAddrs = init.maxPeerAddrsToDial ?? MAX_PEER_ADDRS_TO_DIAL
    this.#stagger = init.dialStagger ?? DIAL_STAGGER
    this.#backoffBase = init.dialBackoff ?? DIAL_BACKOFF
    this.#sort = init.addressSorter ?? sortAddresses
    this.#log = components.logger.forComponent('dialer')
    this.#outcomes = components.metrics?.registerCounterGroup('libp2p_dialer_dials_total', { label: 'outcome', help: 'Dials by outcome' })
  }

  /** Dials in the queue or in flight. */
  getDialQueue (): PendingDial[] {
    return [...this.#pending.values()].map(({ id, status, peerId, multiaddrs }) => ({ id, status, peerId, multiaddrs }))
  }

  async dial (target: DialTarget, options: DialerDialOptions = {}): Promise<Connection> {
    options.signal?.throwIfAborted()
    const { peerId, addrs } = await this.#resolve(target, options)
    const key = peerId?.toString() ?? addrs.map(String).sort().join(',')
    const existing = this.#pending.get(key)
    if (existing != null) {
      options.onProgress?.(new CustomEvent('dial-queue:already-in-dial-queue') as any)
      return await raceSignal(existing.promise, options.signal)
    }
    if (this.#pending.size >= this.#maxParallel + this.#maxQueue) {
      throw new LimitExceededError(`The dial queue is full (${this.#pending.size} dials)`)
    }
    const pending: Pending = { id: `${dialCount++}`, status: 'queued' as PendingDialStatus, peerId, multiaddrs: addrs, promise: undefined as any }
    pending.promise = this.#run(pending, options).finally(() => { this.#pending.delete(key) })
    this.#pending.set(key, pending)
    options.onProgress?.(new CustomEvent('dial-queue:add-to-dial-queue') as any)
    return await pending.promise
  }

  /** True when the address has a transport and the gater does not deny it. */
  async isDialable (addrs: Multiaddr[]): Promise<boolean> {
    for (const ma of addrs) {
      if (this.#components.transportManager.dialTransportForMultiaddr(ma) == null) return false
      if (await this.#components.connectionGater?.denyDialMultiaddr?.(ma) === true) return false
    }
    return addrs.length > 0
  }

  async #resolve (target: DialTarget, options: AbortOptions): Promise<{ peerId?: PeerId, addrs: Multiaddr[] }> {
    let peerId: PeerId | undefined
    let addrs: Multiaddr[]
    if (isPeerId(target)) {
      peerId = target
      addrs = []
      try {
        const peer = await this.#components.peerStore?.get(target, options)
        addrs = peer?.addresses.map(a => a.multiaddr) ?? []
      } catch (err: any) {
        if (err.name !== 'NotFoundError') throw err
      }
      if (addrs.length === 0) throw new NoValidAddressesError(`No addresses are known for ${target}`)
      addrs = addrs.map(a => peerIdOf(a) == null ? a.encapsulate(`/p2p/${target}`) : a)
    } else {
      addrs = Array.isArray(target) ? target : [target]
      if (addrs.length === 0) throw new InvalidParametersError('dial() needs a peer id or at least one multiaddr')
      const ids = new Set(addrs.map(a => peerIdOf(a)?.toString()))
      if (ids.size > 1) throw new InvalidParametersError('The multiaddrs of one dial must all be of the same peer')
      peerId = peerIdOf(addrs[0])
    }
    if (peerId?.equals(this.#components.peerId) === true) throw new DialSelfError(`Tried to dial self (${peerId})`)
    return { peerId, addrs }
  }

  async #run (pending: Pending, options: DialerDialOptions): Promise<Connection> {
    const { peerId } = pending
    const gater = this.#components.connectionGater
    if (peerId != null) {
      const backoff = this.#backoff.get(peerId.toString())
      if (backoff != null && backoff.until > Date.now()) {
        throw new DialBackoffError(`${peerId} failed ${backoff.failures} time(s) and is in backoff for ${backoff.until - Date.now()} ms more`)
      }
      if (await gater?.denyDialPeer?.(peerId) === true) throw new DialError(`The connection gater denied dialling ${peerId}`)
    }
    const allowed: Multiaddr[] = []
    for (const ma of pending.multiaddrs) {
      if (this.#components.transportManager.dialTransportForMultiaddr(ma) == null) continue
      if (await gater?.denyDialMultiaddr?.(ma) === true) continue
      allowed.push(ma)
    }
    const addrs = this.#sort(allowed).slice(0, this.#maxAddrs)
    options.onProgress?.(new CustomEvent('dial-queue:calculated-addresses', { detail: addrs.map(multiaddr => ({ multiaddr, isCertified: false })) }) as any)
    if (addrs.length === 0) {
      throw new NoValidAddressesError(`None of the ${pending.multiaddrs.length} address(es) of ${peerId?.toString() ?? 'the target'} can be dialled`)
    }

    await this.#acquire(options.signal)
    pending.status = 'active'
    options.onProgress?.(new CustomEvent('dial-queue:start-dial') as any)
    try {
      const connection = await this.#dialAddresses(addrs, options)
      pending.status = 'success'
      this.#outcomes?.increment({ success: true })
      if (peerId != null) this.#backoff.delete(peerId.toString())
      return connection
    } catch (err: any) {
      pending.status = 'error'
      this.#outcomes?.increment({ [options.signal?.aborted === true ? 'aborted' : 'error']: true })
      if (peerId != null && options.signal?.aborted !== true) this.#recordFailure(peerId)
      throw err
    } finally {
      this.#release()
    }
  }

  /** Tries addresses in order, starting the next after a stagger or as soon as one fails; first success wins. */
  async #dialAddresses (addrs: Multiaddr[], options: DialerDialOptions): Promise<Connection> {
    if (addrs.length === 1) {
      // nothing to stagger or cancel: no controller, combined signal or abort reason per dial
      const ma = addrs[0]
      try {
        return await this.#components.transportManager.dial(ma, { signal: options.signal, onProgress: options.onProgress as any })
      } catch (err: any) {
        this.#log('dial to %a failed - %e', ma, err)
        if (options.signal?.aborted === true) throw err
        throw new DialError(`${ma.toString()}: ${err.message}`)
      }
    }
    const controller = new AbortController()
    const signal = anySignal([options.signal, controller.signal])
    const errors: Error[] = []
    let running = 0
    try {
      return await new Promise<Connection>((resolve, reject) => {
        let next = 0
        let settled = false
        let timer: ReturnType<typeof setTimeout> | undefined
        const startNext = (): void => {
          clearTimeout(timer)
          if (settled || next >= addrs.length) return
          const ma = addrs[next++]
          running++
          this.#components.transportManager.dial(ma, { signal, onProgress: options.onProgress as any }).then((connection) => {
            running--
            if (settled) {
              // a slower attempt also connected: keep the first, close this one
              connection.close().catch(() => {})
              return
            }
            settled = true
            clearTimeout(timer)
            resolve(connection)
          }, (err: Error) => {
            running--
            errors.push(new DialError(`${ma.toString()}: ${err.message}`))
            this.#log('dial to %a failed - %e', ma, err)
            if (settled) return
            if (options.signal?.aborted === true) {
              settled = true
              reject(err)
            } else if (next < addrs.length) {
              startNext()
            } else if (running === 0) {
              settled = true
              reject(errors.length === 1 ? errors[0] : new DialError(`All ${errors.length} addresses failed: ${errors.map(e => e.message).join('; ')}`))
            }
          })
          if (next < addrs.length) timer = setTimeout(startNext, this.#stagger)
        }
        startNext()
      })
    } finally {
      // only attempts still running need to hear that another address won
      if (running > 0) controller.abort(new DialError('Another address connected first'))
      signal.clear()
    }
  }

  #recordFailure (peerId: PeerId): void {
    if (this.#backoffBase <= 0) return
    const key = peerId.toString()
    const failures = (this.#backoff.get(key)?.failures ?? 0) + 1
    this.#backoff.delete(key)
    if (this.#backoff.size >= MAX_BACKOFF_ENTRIES) {
      const oldest = this.#backoff.keys().next().value
      if (oldest != null) this.#backoff.delete(oldest)
    }
    this.#backoff.set(key, { failures, until: Date.now() + Math.min(MAX_DIAL_BACKOFF, this.#backoffBase * 2 ** (failures - 1)) })
  }

  async #acquire (signal?: AbortSignal): Promise<void> {
    if (this.#active < this.#maxParallel) {
      this.#active++
      return
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(grant)
        if (i !== -1) this.#waiting.splice(i, 1)
        reject(signal?.reason)
      }
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort)
        this.#active++
        resolve()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(grant)
    })
  }

  #release (): void {
    this.#active--
    this.#waiting.shift()?.()
  }
}

function peerIdOf (ma: Multiaddr): PeerId | undefined {
  const value = lastPeerIdString(ma)
  if (value == null) return undefined
  try {
    return cachedPeerIdFromString(value)
  } catch {
    throw new InvalidParametersError(`${ma.toString()} has an invalid /p2p/ peer id`)
  }
}

/** Parses a string or returns the multiaddr given (dial targets may come from config). */
export function toDialTarget (target: DialTarget | string): DialTarget {
  return typeof target === 'string' ? toMultiaddr(target) : target
}
