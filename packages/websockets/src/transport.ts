import { AbortError, TimeoutError, serviceCapabilities, transportSymbol } from '@ts-libp2p/interface'
import { throwIfAborted } from '@ts-libp2p/utils'
import { isWebSocketAddress, toWebSocketAddress } from './address.js'
import { WebSocketMultiaddrConnection } from './connection.js'
import {
  DEFAULT_CLOSE_TIMEOUT, DEFAULT_DIAL_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_INBOUND_INACTIVITY_TIMEOUT,
  DEFAULT_MAX_BUFFERED_AMOUNT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PAYLOAD, DEFAULT_MAX_READ_BUFFER_LENGTH,
  DEFAULT_OUTBOUND_INACTIVITY_TIMEOUT
} from './constants.js'
import { toWebSocketError } from './errors.js'
import { filters } from './filters.js'
import { WebSocketListener } from './listener.js'
import { openWebSocket } from './socket.js'
import type { WebSocketsComponents, WebSocketsDialOptions, WebSocketsInit } from './index.js'
import type { SocketDriver } from './socket-types.js'
import type { Connection, CounterGroup, CreateListenerOptions, DialTransportOptions, Listener, Logger, Transport } from '@ts-libp2p/interface'
import type { transportSymbol as OfficialTransportSymbol } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The ecosystem's transport brand typed as the Transport role declares it; the runtime value is our `transportSymbol`. */
const transportBrand: typeof OfficialTransportSymbol = transportSymbol as any

let dialSequence = 0

/** The WebSockets transport; create it with `webSockets(init)(components)`. */
export class WebSocketsTransport implements Transport {
  readonly [transportBrand] = true as const
  readonly [Symbol.toStringTag] = '@ts-libp2p/websockets'
  readonly [serviceCapabilities]: string[] = ['@libp2p/transport']

  readonly #components: WebSocketsComponents
  readonly #init: WebSocketsInit
  readonly #log: Logger
  readonly #filter: (multiaddrs: Multiaddr[]) => Multiaddr[]
  readonly #dialEvents?: CounterGroup
  readonly #listenerEvents?: CounterGroup

  constructor (components: WebSocketsComponents, init: WebSocketsInit = {}) {
    this.#components = components
    this.#init = init
    this.#log = components.logger.forComponent('websockets')
    const filter = init.filter ?? 'all'
    this.#filter = typeof filter === 'function' ? filter : filters[filter]
    this.#dialEvents = components.metrics?.registerCounterGroup('libp2p_websockets_dialer_events_total', {
      label: 'event',
      help: 'WebSocket dials (connect, error, abort, timeout)'
    })
    this.#listenerEvents = components.metrics?.registerCounterGroup('libp2p_websockets_listener_events_total', {
      label: 'event',
      help: 'WebSocket listener events (accept, reject, handshake_timeout, upgrade_error)'
    })
  }

  /**
   * Opens a WebSocket to `ma` and upgrades it with `options.upgrader`. Fails
   * with ConnectionRefusedError, TimeoutError (after `dialTimeout`), the
   * signal's reason, or WebSocketError (bad handshake, TLS failure...).
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
   * Opens the raw connection to `ma` without upgrading it. `dial()` uses it;
   * it is public for tools and tests that speak their own protocol.
   */
  async connect (ma: Multiaddr, options: WebSocketsDialOptions = {}): Promise<WebSocketMultiaddrConnection> {
    throwIfAborted(options.signal)
    const address = toWebSocketAddress(ma)
    const log = this.#log.newScope(`connection:${dialSequence++}`)
    log('dialling %a (%s)', ma, address.url)
    const dialTimeout = options.dialTimeout ?? this.#init.dialTimeout ?? DEFAULT_DIAL_TIMEOUT
    const socket = openWebSocket(address.url, {
      maxPayload: this.#init.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      family: address.family,
      servername: address.servername ?? (address.dns ? address.host : undefined),
      handshakeTimeout: dialTimeout,
      websocket: { ...this.#init.websocket, ...options.websocket }
    })
    // a listener may send its first message in the same packet as the upgrade
    // response (go and py-libp2p send the multistream header at once): keep
    // what arrives before the connection object exists
    const earlyMessages: Array<{ data: any }> = []
    const collect = (event: { data: any }): void => { earlyMessages.push(event) }
    socket.addEventListener('message', collect)
    try {
      await this.#opened(socket, ma, dialTimeout, options.signal, log)
    } finally {
      socket.removeEventListener('message', collect)
    }
    return new WebSocketMultiaddrConnection({
      earlyMessages,
      socket,
      remoteAddr: ma,
      direction: 'outbound',
      log,
      inactivityTimeout: options.inactivityTimeout ?? this.#init.outboundInactivityTimeout ?? DEFAULT_OUTBOUND_INACTIVITY_TIMEOUT,
      closeTimeout: this.#init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT,
      maxBufferedAmount: this.#init.maxBufferedAmount ?? DEFAULT_MAX_BUFFERED_AMOUNT,
      maxReadBufferLength: this.#init.maxReadBufferLength ?? DEFAULT_MAX_READ_BUFFER_LENGTH
    })
  }

  async #opened (socket: SocketDriver, ma: Multiaddr, dialTimeout: number, signal: AbortSignal | undefined, log: Logger): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      let error: Error | undefined
      const cleanup = (): void => {
        clearTimeout(timer)
        socket.removeEventListener('open', onOpen)
        socket.removeEventListener('error', onError)
        socket.removeEventListener('close', onClose)
        signal?.removeEventListener('abort', onAbort)
      }
      const fail = (err: Error, event = 'error'): void => {
        cleanup()
        this.#dialEvents?.increment({ [event]: true })
        // terminating a connecting socket emits one more 'error': keep it handled
        socket.addEventListener('error', () => {})
        socket.terminate()
        log('dial to %a failed - %e', ma, err)
        reject(err)
      }
      const onOpen = (): void => {
        cleanup()
        log('connected to %a', ma)
        this.#dialEvents?.increment({ connect: true })
        resolve()
      }
      const onError = (event: { error?: any, message?: string }): void => {
        error = toWebSocketError(event.error ?? new Error(event.message ?? 'WebSocket error'), `dial ${ma.toString()}`)
        // 'close' follows; fail there so the socket is done
        queueMicrotask(() => { if (error != null) fail(error) })
      }
      const onClose = (event: { code: number }): void => {
        fail(error ?? toWebSocketError(new Error(`closed with code ${event.code} before opening`), `dial ${ma.toString()}`))
      }
      const onAbort = (): void => {
        const reason = signal?.reason
        fail(reason instanceof Error ? reason : new AbortError(`The dial to ${ma.toString()} was aborted`), 'abort')
      }
      const timer = setTimeout(() => {
        fail(new TimeoutError(`The dial to ${ma.toString()} took longer than ${dialTimeout} ms`), 'timeout')
      }, dialTimeout)
      socket.addEventListener('open', onOpen)
      socket.addEventListener('error', onError)
      socket.addEventListener('close', onClose)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  createListener (options: CreateListenerOptions): Listener {
    return this.createWebSocketListener(options)
  }

  /** `createListener` with the concrete type. Node only: browsers cannot listen. */
  createWebSocketListener (options: CreateListenerOptions): WebSocketListener {
    const init = this.#init
    return new WebSocketListener({
      upgrader: options.upgrader,
      logger: this.#components.logger,
      events: this.#listenerEvents,
      https: init.https,
      server: init.server,
      maxPayload: init.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      inactivityTimeout: init.inboundInactivityTimeout ?? DEFAULT_INBOUND_INACTIVITY_TIMEOUT,
      handshakeTimeout: init.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT,
      closeTimeout: init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT,
      maxBufferedAmount: init.maxBufferedAmount ?? DEFAULT_MAX_BUFFERED_AMOUNT,
      maxReadBufferLength: init.maxReadBufferLength ?? DEFAULT_MAX_READ_BUFFER_LENGTH,
      maxConnections: init.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      closeConnectionsOnClose: init.closeConnectionsOnClose ?? true
    })
  }

  /** Keeps `/ws`, `/wss` and `/tls/ws` addresses with an IP or DNS host. */
  listenFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(isWebSocketAddress)
  }

  /** Keeps what the configured filter allows (default: every WebSocket address). */
  dialFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return this.#filter(multiaddrs)
  }
}
