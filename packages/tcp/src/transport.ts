import net from 'node:net'
import { AbortError, TimeoutError, serviceCapabilities, transportSymbol } from '@ts-libp2p/interface'
import { throwIfAborted } from '@ts-libp2p/utils'
import { isTcpAddress, toNetAddress } from './address.js'
import { TcpMultiaddrConnection } from './connection.js'
import {
  DEFAULT_BACKLOG, DEFAULT_CLOSE_TIMEOUT, DEFAULT_DIAL_TIMEOUT, DEFAULT_INBOUND_SOCKET_INACTIVITY_TIMEOUT,
  DEFAULT_KEEP_ALIVE, DEFAULT_KEEP_ALIVE_INITIAL_DELAY, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_READ_BUFFER_LENGTH,
  DEFAULT_NO_DELAY, DEFAULT_OUTBOUND_SOCKET_INACTIVITY_TIMEOUT
} from './constants.js'
import { toSocketError } from './errors.js'
import { TcpListener } from './listener.js'
import type { TcpComponents, TcpDialOptions, TcpInit } from './index.js'
import type { Connection, CounterGroup, CreateListenerOptions, DialTransportOptions, Listener, Logger, Transport } from '@ts-libp2p/interface'
import type { transportSymbol as OfficialTransportSymbol } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The ecosystem's transport brand typed as the Transport role declares it
 * (the official `unique symbol`); the runtime value is our `transportSymbol`.
 */
const transportBrand: typeof OfficialTransportSymbol = transportSymbol as any

/** Every option with its default applied. */
export type ResolvedTcpInit = Required<TcpInit>

export function resolveInit (init: TcpInit = {}): ResolvedTcpInit {
  return {
    inboundSocketInactivityTimeout: init.inboundSocketInactivityTimeout ?? DEFAULT_INBOUND_SOCKET_INACTIVITY_TIMEOUT,
    outboundSocketInactivityTimeout: init.outboundSocketInactivityTimeout ?? DEFAULT_OUTBOUND_SOCKET_INACTIVITY_TIMEOUT,
    closeTimeout: init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT,
    dialTimeout: init.dialTimeout ?? DEFAULT_DIAL_TIMEOUT,
    maxConnections: init.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxReadBufferLength: init.maxReadBufferLength ?? DEFAULT_MAX_READ_BUFFER_LENGTH,
    backlog: init.backlog ?? DEFAULT_BACKLOG,
    noDelay: init.noDelay ?? DEFAULT_NO_DELAY,
    keepAlive: init.keepAlive ?? DEFAULT_KEEP_ALIVE,
    keepAliveInitialDelay: init.keepAliveInitialDelay ?? DEFAULT_KEEP_ALIVE_INITIAL_DELAY,
    ipv6Only: init.ipv6Only ?? false,
    exclusive: init.exclusive ?? false,
    reusePort: init.reusePort ?? false,
    closeConnectionsOnClose: init.closeConnectionsOnClose ?? true
  }
}

let dialSequence = 0

/** The TCP transport; create it with `tcp(init)(components)`. */
export class TcpTransport implements Transport {
  readonly [transportBrand] = true as const
  readonly [Symbol.toStringTag] = '@ts-libp2p/tcp'
  readonly [serviceCapabilities]: string[] = ['@libp2p/transport']

  readonly #components: TcpComponents
  readonly #init: ResolvedTcpInit
  readonly #log: Logger
  readonly #dialEvents?: CounterGroup
  readonly #listenerEvents?: CounterGroup
  readonly #connectionEvents?: CounterGroup

  constructor (components: TcpComponents, init: TcpInit = {}) {
    this.#components = components
    this.#init = resolveInit(init)
    this.#log = components.logger.forComponent('tcp')
    const metrics = components.metrics
    this.#dialEvents = metrics?.registerCounterGroup('libp2p_tcp_dialer_events_total', {
      label: 'event',
      help: 'TCP dials (connect, error, abort, timeout)'
    })
    this.#listenerEvents = metrics?.registerCounterGroup('libp2p_tcp_listener_events_total', {
      label: 'event',
      help: 'TCP listener events (accept, reject, upgrade_error, error)'
    })
    this.#connectionEvents = metrics?.registerCounterGroup('libp2p_tcp_connection_events_total', {
      label: 'event',
      help: 'How TCP connections ended (close, reset, timeout, close_timeout, error)'
    })
  }

  /**
   * Connects to `ma` and upgrades the connection with `options.upgrader`.
   * Fails with ConnectionRefusedError, TimeoutError (after `dialTimeout`),
   * the signal's reason, or SocketError; the socket is destroyed on every
   * failure, including a failed upgrade.
   */
  async dial (ma: Multiaddr, options: DialTransportOptions): Promise<Connection> {
    const maConn = await this.connect(ma, options)
    try {
      return await options.upgrader.upgradeOutbound(maConn, options)
    } catch (err: any) {
      this.#log.error('outbound upgrade to %a failed - %e', ma, err)
      maConn.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  /**
   * Opens the raw connection to `ma` without upgrading it: the bytes on it
   * are whatever the two ends write. `dial()` uses it; it is public for
   * tools and tests that speak their own protocol over TCP.
   */
  async connect (ma: Multiaddr, options: TcpDialOptions = {}): Promise<TcpMultiaddrConnection> {
    throwIfAborted(options.signal)
    const address = toNetAddress(ma)
    const sequence = dialSequence++
    const log = this.#log.newScope(`connection:${sequence}`)
    log('dialling %a', ma)
    const socket = await this.#connectSocket(ma, address, options, log)
    return new TcpMultiaddrConnection({
      socket,
      remoteAddr: ma,
      direction: 'outbound',
      log,
      inactivityTimeout: options.inactivityTimeout ?? this.#init.outboundSocketInactivityTimeout,
      closeTimeout: this.#init.closeTimeout,
      maxReadBufferLength: this.#init.maxReadBufferLength,
      events: this.#connectionEvents
    })
  }

  async #connectSocket (ma: Multiaddr, address: ReturnType<typeof toNetAddress>, options: TcpDialOptions, log: Logger): Promise<net.Socket> {
    const init = this.#init
    const socket = net.connect({
      host: address.host,
      port: address.port,
      family: address.family,
      allowHalfOpen: true,
      noDelay: options.noDelay ?? init.noDelay,
      keepAlive: options.keepAlive ?? init.keepAlive,
      keepAliveInitialDelay: init.keepAliveInitialDelay,
      localAddress: options.localAddress,
      localPort: options.localPort
    })
    return await new Promise<net.Socket>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer)
        socket.off('connect', onConnect)
        socket.off('error', onError)
        options.signal?.removeEventListener('abort', onAbort)
      }
      const fail = (err: Error, event: string): void => {
        cleanup()
        socket.destroy()
        log('dial to %a failed - %e', ma, err)
        this.#dialEvents?.increment({ [event]: true })
        reject(err)
      }
      const onConnect = (): void => {
        cleanup()
        log('connected to %a', ma)
        this.#dialEvents?.increment({ connect: true })
        resolve(socket)
      }
      const onError = (err: Error): void => {
        fail(toSocketError(err, `dial ${ma.toString()}`), 'error')
      }
      const onAbort = (): void => {
        const reason = options.signal?.reason
        fail(reason instanceof Error ? reason : new AbortError(`The dial to ${ma.toString()} was aborted`), 'abort')
      }
      const dialTimeout = options.dialTimeout ?? init.dialTimeout
      const timer = setTimeout(() => {
        fail(new TimeoutError(`The dial to ${ma.toString()} took longer than ${dialTimeout} ms`), 'timeout')
      }, dialTimeout)
      socket.once('connect', onConnect)
      socket.once('error', onError)
      options.signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  createListener (options: CreateListenerOptions): Listener {
    return this.createTcpListener(options)
  }

  /** `createListener` with the concrete type (connection count, `listen` errors documented). */
  createTcpListener (options: CreateListenerOptions): TcpListener {
    const init = this.#init
    return new TcpListener({
      upgrader: options.upgrader,
      logger: this.#components.logger,
      events: this.#listenerEvents,
      connectionEvents: this.#connectionEvents,
      inactivityTimeout: init.inboundSocketInactivityTimeout,
      closeTimeout: init.closeTimeout,
      maxReadBufferLength: init.maxReadBufferLength,
      maxConnections: init.maxConnections,
      backlog: init.backlog,
      noDelay: init.noDelay,
      keepAlive: init.keepAlive,
      keepAliveInitialDelay: init.keepAliveInitialDelay,
      ipv6Only: init.ipv6Only,
      exclusive: init.exclusive,
      reusePort: init.reusePort,
      closeConnectionsOnClose: init.closeConnectionsOnClose
    })
  }

  /** Keeps plain TCP addresses (IP or DNS host, optional /p2p, nothing after). */
  listenFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(isTcpAddress)
  }

  /** Keeps plain TCP addresses (IP or DNS host, optional /p2p, nothing after). */
  dialFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(isTcpAddress)
  }
}
