import { FaultTolerance, InvalidParametersError, ListenError, NotStartedError, TimeoutError, UnsupportedOperationError } from '@ts-libp2p/interface'
import { DIAL_TIMEOUT } from './constants.js'
import { deadlineSignal } from '@ts-libp2p/utils'
import type { ComponentLogger, Connection, Libp2pEvents, Listener, Logger, Transport, TypedEventTarget, Upgrader } from '@ts-libp2p/interface'
import type { TransportManager as TransportManagerInterface, TransportManagerDialOptions } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What the transport manager needs from the node. */
export interface TransportManagerComponents {
  upgrader: Upgrader
  logger: ComponentLogger
  /** Receives `transport:listening` and `transport:close`. */
  events?: TypedEventTarget<Libp2pEvents>
}

/** Options of the transport manager. */
export interface TransportManagerInit {
  /**
   * FATAL_ALL (default): `listen()` fails when an address cannot be listened
   * on. NO_FATAL: failures are logged and the node keeps the listeners it got.
   */
  faultTolerance?: FaultTolerance
  /** Deadline of one transport dial when the caller gives no signal. Default {@link DIAL_TIMEOUT}. */
  dialTimeout?: number
}

/**
 * Holds the node's transports and their listeners: picks the transport for an
 * address (the first whose filter accepts it), dials through it with the
 * node's upgrader, and listens on the configured addresses.
 */
export class TransportManager implements TransportManagerInterface {
  readonly #components: TransportManagerComponents
  readonly #transports = new Map<string, Transport>()
  readonly #listeners = new Map<string, Listener[]>()
  readonly #faultTolerance: FaultTolerance
  readonly #dialTimeout: number
  readonly #log: Logger
  #started = false

  constructor (components: TransportManagerComponents, init: TransportManagerInit = {}) {
    this.#components = components
    this.#faultTolerance = init.faultTolerance ?? FaultTolerance.FATAL_ALL
    this.#dialTimeout = init.dialTimeout ?? DIAL_TIMEOUT
    this.#log = components.logger.forComponent('transport-manager')
  }

  start (): void { this.#started = true }

  async stop (): Promise<void> {
    await this.removeAll()
    this.#started = false
  }

  add (transport: Transport): void {
    const key = transport[Symbol.toStringTag]
    if (typeof key !== 'string' || key === '') throw new InvalidParametersError('A transport needs a Symbol.toStringTag to be told apart')
    if (this.#transports.has(key)) throw new InvalidParametersError(`A transport named ${key} is already added`)
    this.#transports.set(key, transport)
    this.#listeners.set(key, [])
  }

  async remove (key: string): Promise<void> {
    const listeners = this.#listeners.get(key) ?? []
    await Promise.all(listeners.map(async (l) => { await l.close() }))
    this.#transports.delete(key)
    this.#listeners.delete(key)
  }

  async removeAll (): Promise<void> {
    await Promise.all([...this.#transports.keys()].map(async (key) => { await this.remove(key) }))
  }

  getTransports (): Transport[] {
    return [...this.#transports.values()]
  }

  getListeners (): Listener[] {
    return [...this.#listeners.values()].flat()
  }

  getAddrs (): Multiaddr[] {
    return this.getListeners().flatMap(l => l.getAddrs())
  }

  dialTransportForMultiaddr (ma: Multiaddr): Transport | undefined {
    return this.getTransports().find(t => t.dialFilter([ma]).length > 0)
  }

  listenTransportForMultiaddr (ma: Multiaddr): Transport | undefined {
    return this.getTransports().find(t => t.listenFilter([ma]).length > 0)
  }

  async dial (ma: Multiaddr, options: TransportManagerDialOptions = {}): Promise<Connection> {
    const transport = this.dialTransportForMultiaddr(ma)
    if (transport == null) throw new UnsupportedOperationError(`No transport can dial ${ma.toString()}`)
    options.onProgress?.(new CustomEvent('transport-manager:selected-transport', { detail: transport[Symbol.toStringTag] }) as any)
    const signal = deadlineSignal(options.signal, this.#dialTimeout, () => new TimeoutError(`Dialling ${ma.toString()} took longer than ${this.#dialTimeout} ms`))
    try {
      return await transport.dial(ma, { onProgress: options.onProgress as any, signal, upgrader: this.#components.upgrader })
    } finally {
      signal.clear()
    }
  }

  async listen (addrs: Multiaddr[]): Promise<void> {
    if (!this.#started) throw new NotStartedError('The transport manager is not started')
    const failures: Error[] = []
    let listening = 0
    for (const [key, transport] of this.#transports) {
      const mine = transport.listenFilter(addrs)
      for (const ma of mine) {
        const listener = transport.createListener({ upgrader: this.#components.upgrader })
        try {
          await listener.listen(ma)
        } catch (err: any) {
          this.#log.error('%s cannot listen on %a - %e', key, ma, err)
          failures.push(new ListenError(`${key} cannot listen on ${ma.toString()}: ${err.message}`))
          continue
        }
        listening++
        this.#listeners.get(key)?.push(listener)
        this.#components.events?.safeDispatchEvent('transport:listening', { detail: listener })
        listener.addEventListener('close', () => {
          const list = this.#listeners.get(key)
          if (list != null) this.#listeners.set(key, list.filter(l => l !== listener))
          this.#components.events?.safeDispatchEvent('transport:close', { detail: listener })
        }, { once: true })
      }
    }
    const unclaimed = addrs.filter(ma => this.listenTransportForMultiaddr(ma) == null)
    for (const ma of unclaimed) failures.push(new ListenError(`No transport can listen on ${ma.toString()}`))
    if (failures.length > 0 && this.#faultTolerance === FaultTolerance.FATAL_ALL) {
      throw new ListenError(failures.map(f => f.message).join('; '))
    }
    if (listening === 0 && addrs.length > 0 && this.#faultTolerance === FaultTolerance.FATAL_ALL) {
      throw new ListenError('No listener could be started')
    }
  }
}
