import http from 'node:http'
import https from 'node:https'
import { isIPv4, isIPv6 } from 'node:net'
import { networkInterfaces } from 'node:os'
import { ConnectionClosedError, ListenError, TypedEventEmitter, setMaxListeners } from '@ts-libp2p/interface'
import { WebSocketServer } from 'ws'
import { toMultiaddr, toWebSocketAddress } from './address.js'
import { WebSocketMultiaddrConnection } from './connection.js'
import { toWebSocketError } from './errors.js'
import { wrapWebSocket } from './socket.js'
import type { WebSocketAddress } from './address.js'
import type { ComponentLogger, CounterGroup, Listener, ListenerEvents, Logger, Upgrader } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'

/** What a listener is built with: the transport's settings and the node's upgrader. */
export interface WebSocketListenerInit {
  upgrader: Upgrader
  logger: ComponentLogger
  /** Counts listener events (accept, reject, handshake_timeout, upgrade_error), if metrics are on. */
  events?: CounterGroup
  /** TLS options (`cert`, `key`...) for `/wss` and `/tls/ws` listeners. */
  https?: https.ServerOptions
  /** A server the caller made (http or https); we attach to its `upgrade` event and listen on it. */
  server?: http.Server | https.Server
  maxPayload: number
  inactivityTimeout: number
  handshakeTimeout: number
  closeTimeout: number
  maxBufferedAmount: number
  maxReadBufferLength: number
  maxConnections: number
  closeConnectionsOnClose: boolean
}

let listenerSequence = 0

/** IP addresses a wildcard listener is reachable at (link-local IPv6 left out: multiaddrs have no zone). */
function expand (address: string): string[] {
  const family = address === '0.0.0.0' ? 'IPv4' : address === '::' ? 'IPv6' : undefined
  if (family == null) {
    return [address]
  }
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family === family && !(family === 'IPv6' && /^fe[89ab]/i.test(info.address))) {
        out.push(info.address)
      }
    }
  }
  return out
}

/**
 * Accepts WebSocket connections on one address: an HTTP (or HTTPS) server
 * whose `upgrade` requests become {@link WebSocketMultiaddrConnection}s for
 * the upgrader. Plain HTTP requests get 426 Upgrade Required.
 */
export class WebSocketListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  readonly #init: WebSocketListenerInit
  readonly #log: Logger
  readonly #server: http.Server | https.Server
  readonly #ownServer: boolean
  readonly #wss: WebSocketServer
  readonly #connections: Set<WebSocketMultiaddrConnection>
  readonly #pending: Set<Duplex>
  readonly #shutdown: AbortController
  #status: 'new' | 'listening' | 'closed'
  #addrs: Multiaddr[]
  #sequence: number

  constructor (init: WebSocketListenerInit) {
    super()
    this.#init = init
    this.#log = init.logger.forComponent(`websockets:listener:${listenerSequence++}`)
    this.#connections = new Set()
    this.#pending = new Set()
    this.#shutdown = new AbortController()
    setMaxListeners(Infinity, this.#shutdown.signal)
    this.#status = 'new'
    this.#addrs = []
    this.#sequence = 0
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: init.maxPayload, perMessageDeflate: false })
    this.#ownServer = init.server == null
    this.#server = init.server ?? (init.https != null ? https.createServer({ handshakeTimeout: init.handshakeTimeout, ...init.https }) : http.createServer())
    if (this.#ownServer) {
      this.#server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(426, { 'content-type': 'text/plain', connection: 'close' })
        res.end('WebSocket upgrade required\n')
      })
    }
    // a socket that connects and never completes the HTTP upgrade (or TLS) is dropped
    this.#server.on(init.https != null || this.#server instanceof https.Server ? 'secureConnection' : 'connection', (socket: Duplex) => {
      this.#trackPending(socket)
    })
    if (init.https != null || this.#server instanceof https.Server) {
      // the TLS handshake itself is bounded by the server's handshakeTimeout
      this.#server.on('tlsClientError', (err: Error) => { this.#log('TLS client error - %e', err) })
    }
    this.#server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#onUpgrade(req, socket, head)
    })
    this.#server.on('error', (err: Error) => {
      if (this.#status === 'listening') {
        this.#log.error('server error - %e', err)
        this.safeDispatchEvent('error', { detail: err })
      }
    })
  }

  /** Open connections accepted by this listener. */
  get connectionCount (): number {
    return this.#connections.size
  }

  #trackPending (socket: Duplex): void {
    if (this.#pending.has(socket)) {
      return
    }
    this.#pending.add(socket)
    const timer = setTimeout(() => {
      if (this.#pending.has(socket)) {
        this.#log('no WebSocket upgrade within %d ms, dropping the socket', this.#init.handshakeTimeout)
        this.#init.events?.increment({ handshake_timeout: true })
        socket.destroy()
      }
    }, this.#init.handshakeTimeout)
    timer.unref?.()
    socket.once('close', () => {
      clearTimeout(timer)
      this.#pending.delete(socket)
    })
  }

  /**
   * Listens on `ma` (`<host>/tcp/<port>/ws`, `/wss` or `/tls/ws`; port 0 picks
   * a free port). Secure forms need `https` options or an https `server`.
   * Rejects with AddressInUseError when the port is taken, ListenError else.
   */
  async listen (ma: Multiaddr): Promise<void> {
    if (this.#status !== 'new') {
      throw new ListenError(`This WebSocket listener is ${this.#status}; create a new one to listen on ${ma.toString()}`)
    }
    let address: WebSocketAddress
    try {
      address = toWebSocketAddress(ma)
    } catch (err: any) {
      throw new ListenError(`Cannot listen on ${ma.toString()}: ${String(err.message)}`)
    }
    const tls = this.#init.https != null || this.#server instanceof https.Server
    if (address.secure && !tls) {
      throw new ListenError(`Cannot listen on ${ma.toString()}: a secure WebSocket listener needs TLS options (https: { cert, key }) or an https server`)
    }
    const server = this.#server
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        server.off('listening', onListening)
        const typed = toWebSocketError(err, `listen on ${ma.toString()}`)
        reject(typed.name === 'WebSocketError' ? new ListenError(typed.message) : typed)
      }
      const onListening = (): void => {
        server.off('error', onError)
        resolve()
      }
      server.once('error', onError)
      server.once('listening', onListening)
      server.listen({ host: address.host, port: address.port })
    })
    const bound = server.address()
    if (bound == null || typeof bound === 'string') {
      server.close()
      throw new ListenError(`Listening on ${ma.toString()} did not yield an IP address`)
    }
    const form = tls ? (address.form === 'wss' ? 'wss' : 'tls/ws') : 'ws'
    this.#addrs = expand(bound.address)
      .filter(ip => isIPv4(ip) || isIPv6(ip) || ip.startsWith('::ffff:'))
      .map(ip => toMultiaddr(ip, bound.port, form))
    this.#status = 'listening'
    this.#log('listening on %s', this.#addrs.map(String).join(', '))
    this.safeDispatchEvent('listening')
  }

  getAddrs (): Multiaddr[] {
    return this.#status === 'listening' ? [...this.#addrs] : []
  }

  updateAnnounceAddrs (): void {
    // nothing to announce beyond what we bind
  }

  /**
   * Stops accepting and, with `closeConnectionsOnClose` (default), closes
   * open connections (close handshake, then terminate after the close
   * timeout). A server the caller passed in is closed too.
   */
  async close (): Promise<void> {
    if (this.#status === 'closed') {
      return
    }
    const wasListening = this.#status === 'listening'
    this.#status = 'closed'
    this.#shutdown.abort(new ConnectionClosedError('The WebSocket listener closed'))
    if (this.#server.listening) {
      this.#server.close(() => {})
    }
    for (const socket of this.#pending) {
      socket.destroy()
    }
    if (this.#init.closeConnectionsOnClose) {
      await Promise.all([...this.#connections].map(async conn => {
        await conn.close().catch(err => { this.#log('closing %a failed - %e', conn.remoteAddr, err) })
      }))
    }
    this.#wss.close()
    this.#log('closed')
    if (wasListening) {
      this.safeDispatchEvent('close')
    }
  }

  #onUpgrade (req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#pending.delete(socket)
    if (this.#status !== 'listening') {
      socket.destroy()
      return
    }
    if (this.#connections.size >= this.#init.maxConnections) {
      this.#log('refusing a WebSocket: %d open, the limit', this.#connections.size)
      this.#init.events?.increment({ reject: true })
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
      socket.destroy()
      return
    }
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      this.#onWebSocket(ws, req)
    })
  }

  #onWebSocket (ws: WebSocket, req: http.IncomingMessage): void {
    const remoteAddress = req.socket.remoteAddress
    const remotePort = req.socket.remotePort
    if (remoteAddress == null || remotePort == null) {
      ws.terminate()
      return
    }
    const secure = this.#server instanceof https.Server
    const sequence = this.#sequence++
    const maConn = new WebSocketMultiaddrConnection({
      socket: wrapWebSocket(ws),
      remoteAddr: toMultiaddr(remoteAddress, remotePort, secure ? 'tls/ws' : 'ws'),
      direction: 'inbound',
      log: this.#log.newScope(`connection:${sequence}`),
      inactivityTimeout: this.#init.inactivityTimeout,
      closeTimeout: this.#init.closeTimeout,
      maxBufferedAmount: this.#init.maxBufferedAmount,
      maxReadBufferLength: this.#init.maxReadBufferLength
    })
    this.#connections.add(maConn)
    const release = (): void => { this.#connections.delete(maConn) }
    maConn.addEventListener('close', release, { once: true })
    ws.once('close', release)
    this.#log('connection %d from %a', sequence, maConn.remoteAddr)
    this.#init.events?.increment({ accept: true })
    this.#init.upgrader.upgradeInbound(maConn, { signal: this.#shutdown.signal })
      .catch((err: any) => {
        this.#log.error('inbound upgrade of connection %d failed - %e', sequence, err)
        this.#init.events?.increment({ upgrade_error: true })
        maConn.abort(err instanceof Error ? err : new Error(String(err)))
      })
  }
}
