import { ConnectionFailedError, serviceCapabilities, transportSymbol } from '@ts-libp2p/interface'
import { throwIfAborted } from '@ts-libp2p/utils'
import { isDialAddress, isListenAddress, memoryAddress } from './address.js'
import { DEFAULT_LATENCY, MAX_CONNECTIONS_PER_LISTENER, MAX_IN_FLIGHT_BYTES, MAX_READ_BUFFER_LENGTH } from './constants.js'
import { MemoryListener } from './listener.js'
import { lookup } from './registry.js'
import type { MemoryTransportComponents, MemoryTransportInit } from './index.js'
import type { Connection, CreateListenerOptions, DialTransportOptions, Listener, Logger, Transport } from '@ts-libp2p/interface'
import type { transportSymbol as OfficialTransportSymbol } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The ecosystem's transport brand, typed as the Transport role declares it
 * (the official `unique symbol`, which our interface package also uses for
 * the role's key). `transportSymbol` is the same runtime value, but its
 * emitted declaration is a plain `symbol`, which cannot name that key.
 */
const transportBrand: typeof OfficialTransportSymbol = transportSymbol as any

/** The in-process transport; create it with `memory(init)(components)`. */
export class MemoryTransport implements Transport {
  readonly [transportBrand] = true as const
  readonly [Symbol.toStringTag] = '@ts-libp2p/memory'
  readonly [serviceCapabilities]: string[] = ['@libp2p/transport']

  readonly #components: MemoryTransportComponents
  readonly #init: Required<Omit<MemoryTransportInit, 'upgraderOptions'>> & Pick<MemoryTransportInit, 'upgraderOptions'>
  readonly #log: Logger

  constructor (components: MemoryTransportComponents, init: MemoryTransportInit = {}) {
    this.#components = components
    this.#init = {
      latency: init.latency ?? DEFAULT_LATENCY,
      maxConnections: init.maxConnections ?? MAX_CONNECTIONS_PER_LISTENER,
      maxInFlightBytes: init.maxInFlightBytes ?? MAX_IN_FLIGHT_BYTES,
      maxReadBufferLength: init.maxReadBufferLength ?? MAX_READ_BUFFER_LENGTH,
      abortConnectionsOnClose: init.abortConnectionsOnClose ?? true,
      upgraderOptions: init.upgraderOptions
    }
    this.#log = components.logger.forComponent('memory')
  }

  /**
   * Connects to the memory listener at `ma` (`/memory/<name>`, optionally
   * with `/p2p/<peer>`) and upgrades the connection with `options.upgrader`.
   * Fails with ConnectionFailedError when nobody listens there,
   * LimitExceededError when the listener is full, and with the signal's
   * reason when it fires first (the connection is then torn down).
   */
  async dial (ma: Multiaddr, options: DialTransportOptions): Promise<Connection> {
    throwIfAborted(options.signal)
    const address = memoryAddress(ma)
    const listener = lookup(address)
    if (listener == null) {
      throw new ConnectionFailedError(`No memory listener at ${address}`)
    }
    this.#log('dialling %a', ma)
    const maConn = await listener.accept({
      dialled: ma,
      dialerPeer: this.#components.peerId,
      dialerLog: this.#log,
      signal: options.signal
    })
    try {
      throwIfAborted(options.signal)
      return await options.upgrader.upgradeOutbound(maConn, {
        ...options,
        ...this.#init.upgraderOptions
      })
    } catch (err: any) {
      this.#log.error('outbound upgrade to %a failed - %e', ma, err)
      maConn.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  createListener (options: CreateListenerOptions): Listener {
    return new MemoryListener({
      upgrader: options.upgrader,
      logger: this.#components.logger,
      latency: this.#init.latency,
      maxConnections: this.#init.maxConnections,
      maxInFlightBytes: this.#init.maxInFlightBytes,
      maxReadBufferLength: this.#init.maxReadBufferLength,
      abortConnectionsOnClose: this.#init.abortConnectionsOnClose,
      upgraderOptions: this.#init.upgraderOptions
    })
  }

  listenFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(isListenAddress)
  }

  dialFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(isDialAddress)
  }
}
