import { ConnectionClosedError, ConnectionFailedError, LimitExceededError, ListenError, TypedEventEmitter, setMaxListeners } from '@ts-libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { raceSignal } from '@ts-libp2p/utils'
import { isListenAddress, memoryAddress } from './address.js'
import { connectionPair } from './connection.js'
import { register, unregister } from './registry.js'
import type { MemoryMultiaddrConnection } from './connection.js'
import type { ComponentLogger, Listener, ListenerEvents, Logger, PeerId, Upgrader, UpgraderOptions } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What a listener is built with (the transport's settings plus the upgrader). */
export interface MemoryListenerInit {
  upgrader: Upgrader
  logger: ComponentLogger
  latency: number
  maxConnections: number
  maxInFlightBytes: number
  maxReadBufferLength: number
  abortConnectionsOnClose: boolean
  upgraderOptions?: Partial<UpgraderOptions>
}

/** A dialer's request to connect. */
export interface AcceptRequest {
  /** The address dialled (becomes the dialer's `remoteAddr`). */
  dialled: Multiaddr
  /** The dialer's peer id, if its transport knows it (only for logs). */
  dialerPeer?: PeerId
  dialerLog: Logger
  signal: AbortSignal
}

let dialSequence = 0

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await raceSignal(new Promise<void>(resolve => { timer = setTimeout(resolve, ms) }), signal)
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Listens on one `/memory/<name>` address. Dials to that address from any
 * memory transport in this process create a connection pair: the dialer
 * gets one end, the other end goes to this listener's upgrader.
 */
export class MemoryListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  readonly #init: MemoryListenerInit
  readonly #log: Logger
  readonly #connections: Set<MemoryMultiaddrConnection>
  readonly #shutdown: AbortController
  #address?: string
  #status: 'new' | 'listening' | 'closed'

  constructor (init: MemoryListenerInit) {
    super()
    this.#init = init
    this.#log = init.logger.forComponent('memory:listener')
    this.#connections = new Set()
    this.#shutdown = new AbortController()
    // every inbound upgrade listens to it
    setMaxListeners(Infinity, this.#shutdown.signal)
    this.#status = 'new'
  }

  async listen (ma: Multiaddr): Promise<void> {
    if (this.#status !== 'new') {
      throw new ListenError(`This memory listener is ${this.#status}; create a new one to listen on ${ma.toString()}`)
    }
    if (!isListenAddress(ma)) {
      throw new ListenError(`Cannot listen on ${ma.toString()}: a memory listener needs /memory/<name>`)
    }
    const address = memoryAddress(ma)
    if (!register(address, this)) {
      throw new ListenError(`Memory address ${address} is already in use`)
    }
    this.#address = address
    this.#status = 'listening'
    this.#log('listening on %s', address)
    queueMicrotask(() => { this.safeDispatchEvent('listening') })
  }

  getAddrs (): Multiaddr[] {
    return this.#status === 'listening' && this.#address != null ? [multiaddr(this.#address)] : []
  }

  updateAnnounceAddrs (): void {
    // memory addresses are the same for everyone in the process: nothing to announce
  }

  /** Open connections accepted by this listener (both ends count as one). */
  get connectionCount (): number {
    return this.#connections.size
  }

  async close (): Promise<void> {
    if (this.#status === 'closed') {
      return
    }
    const wasListening = this.#status === 'listening'
    this.#status = 'closed'
    if (this.#address != null) {
      unregister(this.#address, this)
    }
    this.#shutdown.abort(new ConnectionClosedError('The memory listener closed'))
    if (this.#init.abortConnectionsOnClose) {
      for (const conn of [...this.#connections]) {
        conn.abort(new ConnectionClosedError(`The memory listener on ${this.#address ?? ''} closed`))
      }
    }
    this.#log('closed %s', this.#address)
    if (wasListening) {
      queueMicrotask(() => { this.safeDispatchEvent('close') })
    }
  }

  /**
   * Called by a dialing memory transport: creates the connection, waits the
   * simulated latency, hands the inbound end to the upgrader and returns the
   * outbound end. Fails with LimitExceededError past `maxConnections`, and
   * with the signal's reason (nothing reaches the listener) if it fires first.
   */
  async accept (request: AcceptRequest): Promise<MemoryMultiaddrConnection> {
    if (this.#status !== 'listening' || this.#address == null) {
      throw new ConnectionFailedError(`No memory listener at ${request.dialled.toString()}`)
    }
    if (this.#connections.size >= this.#init.maxConnections) {
      throw new LimitExceededError(`The memory listener on ${this.#address} has ${this.#connections.size} connections, its limit`)
    }
    const sequence = dialSequence++
    const [outbound, inbound] = connectionPair({
      listenerAddr: request.dialled,
      dialerAddr: multiaddr(`${this.#address}-dialer-${sequence}`),
      dialerLog: request.dialerLog.newScope(`connection:${sequence}`),
      listenerLog: this.#log.newScope(`connection:${sequence}`),
      latency: this.#init.latency,
      maxInFlightBytes: this.#init.maxInFlightBytes,
      maxReadBufferLength: this.#init.maxReadBufferLength
    })
    // the listener owns the inbound end: it is what the count tracks and what
    // close() aborts (the dialer then sees a reset, as from a closing server)
    this.#connections.add(inbound)
    const release = (): void => { this.#connections.delete(inbound) }
    outbound.addEventListener('close', release, { once: true })
    inbound.addEventListener('close', release, { once: true })

    try {
      if (this.#init.latency > 0) {
        await sleep(this.#init.latency, request.signal)
      }
      request.signal.throwIfAborted()
      if (this.#status !== 'listening') {
        throw new ConnectionFailedError(`The memory listener on ${this.#address} closed during the dial`)
      }
    } catch (err: any) {
      outbound.abort(err)
      inbound.abort(err)
      throw err?.name === 'AbortError' || err?.name === 'TimeoutError' || err?.name === 'ConnectionFailedError' ? err : new ConnectionFailedError(String(err?.message ?? err))
    }

    this.#log('connection %d from %s', sequence, request.dialerPeer?.toString() ?? 'a dialer')
    this.#init.upgrader.upgradeInbound(inbound, {
      ...this.#init.upgraderOptions,
      signal: this.#shutdown.signal
    })
      .catch((err: any) => {
        this.#log.error('inbound upgrade of connection %d failed - %e', sequence, err)
        inbound.abort(err instanceof Error ? err : new Error(String(err)))
      })
    return outbound
  }
}
