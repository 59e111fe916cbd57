import net from 'node:net'
import { ConnectionClosedError, ListenError, TypedEventEmitter, setMaxListeners } from '@ts-libp2p/interface'
import { expandListenAddress, toMultiaddr, toNetAddress } from './address.js'
import { TcpMultiaddrConnection } from './connection.js'
import { toSocketError } from './errors.js'
import type { ComponentLogger, CounterGroup, Listener, ListenerEvents, Logger, Upgrader } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What a listener is built with: the transport's settings and the node's upgrader. */
export interface TcpListenerInit {
  upgrader: Upgrader
  logger: ComponentLogger
  /** Counts listener events (accept, reject, upgrade_error, error), if metrics are on. */
  events?: CounterGroup
  /** Counts how inbound connections ended, if metrics are on. */
  connectionEvents?: CounterGroup
  /** Reset accepted sockets idle this long (ms); 0 disables it. */
  inactivityTimeout: number
  closeTimeout: number
  maxReadBufferLength: number
  /** Sockets held at once; the excess is reset on accept. */
  maxConnections: number
  backlog: number
  noDelay: boolean
  keepAlive: boolean
  keepAliveInitialDelay: number
  /** Listen on IPv6 only (no IPv4-mapped connections on `::`). */
  ipv6Only: boolean
  /** Node's `exclusive` listen option (cluster workers share the port when false). */
  exclusive: boolean
  /** SO_REUSEPORT (Node 22.12+ / 23.1+; ignored before). */
  reusePort: boolean
  /** Close open connections when the listener closes. */
  closeConnectionsOnClose: boolean
}

let listenerSequence = 0

/**
 * Accepts TCP connections on one address and hands each socket, wrapped as
 * a {@link TcpMultiaddrConnection}, to the upgrader.
 */
export class TcpListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  readonly #init: TcpListenerInit
  readonly #log: Logger
  readonly #server: net.Server
  readonly #connections: Set<TcpMultiaddrConnection>
  readonly #shutdown: AbortController
  readonly #events?: CounterGroup
  readonly #connectionEvents?: CounterGroup
  #status: 'new' | 'listening' | 'closed'
  #addrs: Multiaddr[]
  #sequence: number

  constructor (init: TcpListenerInit) {
    super()
    this.#init = init
    const id = listenerSequence++
    this.#log = init.logger.forComponent(`tcp:listener:${id}`)
    this.#connections = new Set()
    this.#shutdown = new AbortController()
    // every inbound upgrade listens to it
    setMaxListeners(Infinity, this.#shutdown.signal)
    this.#status = 'new'
    this.#addrs = []
    this.#sequence = 0
    this.#events = init.events
    this.#connectionEvents = init.connectionEvents
    this.#server = net.createServer({
      allowHalfOpen: true,
      noDelay: init.noDelay,
      keepAlive: init.keepAlive,
      keepAliveInitialDelay: init.keepAliveInitialDelay
    }, (socket) => { this.#onSocket(socket) })
    this.#server.on('error', (err) => {
      if (this.#status === 'listening') {
        this.#log.error('server error - %e', err)
        this.#events?.increment({ error: true })
        this.safeDispatchEvent('error', { detail: err })
      }
    })
  }

  /** Open connections accepted by this listener. */
  get connectionCount (): number {
    return this.#connections.size
  }

  /**
   * Binds to `ma` (`/ip4|ip6|dns*\/<host>/tcp/<port>`; port 0 picks a free
   * port). Rejects with AddressInUseError when the port is taken and with
   * ListenError for anything else.
   */
  async listen (ma: Multiaddr): Promise<void> {
    if (this.#status !== 'new') {
      throw new ListenError(`This TCP listener is ${this.#status}; create a new one to listen on ${ma.toString()}`)
    }
    let address
    try {
      address = toNetAddress(ma)
    } catch (err: any) {
      throw new ListenError(`Cannot listen on ${ma.toString()}: ${String(err.message)}`)
    }
    const server = this.#server
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        server.off('listening', onListening)
        const typed = toSocketError(err, `listen on ${ma.toString()}`)
        reject(typed.name === 'SocketError' ? new ListenError(typed.message) : typed)
      }
      const onListening = (): void => {
        server.off('error', onError)
        resolve()
      }
      server.once('error', onError)
      server.once('listening', onListening)
      server.listen({
        host: address.host,
        port: address.port,
        backlog: this.#init.backlog,
        ipv6Only: this.#init.ipv6Only,
        exclusive: this.#init.exclusive,
        reusePort: this.#init.reusePort
      })
    })
    const bound = server.address()
    if (bound == null || typeof bound === 'string') {
      server.close()
      throw new ListenError(`Listening on ${ma.toString()} did not yield an IP address`)
    }
    this.#addrs = expandListenAddress(bound.address, bound.port)
    this.#status = 'listening'
    this.#log('listening on %s', this.#addrs.map(a => a.toString()).join(', '))
    this.safeDispatchEvent('listening')
  }

  /** Where the listener is reachable: the bound port, wildcards expanded to interface addresses. */
  getAddrs (): Multiaddr[] {
    return this.#status === 'listening' ? [...this.#addrs] : []
  }

  updateAnnounceAddrs (): void {
    // TCP has nothing to announce beyond what it binds
  }

  /**
   * Stops accepting. With `closeConnectionsOnClose` (the default) open
   * connections are closed too: gracefully, then reset after their close
   * timeout. Resolves once the server is closed.
   */
  async close (): Promise<void> {
    if (this.#status === 'closed') {
      return
    }
    const wasListening = this.#status === 'listening'
    this.#status = 'closed'
    this.#shutdown.abort(new ConnectionClosedError('The TCP listener closed'))
    const closed = new Promise<void>(resolve => {
      if (!this.#server.listening) {
        resolve()
        return
      }
      // the callback waits for every connection; we only wait for the port
      this.#server.close(() => {})
      resolve()
    })
    if (this.#init.closeConnectionsOnClose) {
      await Promise.all([...this.#connections].map(async conn => {
        await conn.close().catch(err => {
          this.#log('closing %a failed - %e', conn.remoteAddr, err)
        })
      }))
    }
    await closed
    this.#log('closed')
    if (wasListening) {
      this.safeDispatchEvent('close')
    }
  }

  #onSocket (socket: net.Socket): void {
    if (this.#status !== 'listening') {
      socket.destroy()
      return
    }
    if (this.#connections.size >= this.#init.maxConnections) {
      this.#log('rejecting a connection: %d open, the limit', this.#connections.size)
      this.#events?.increment({ reject: true })
      socket.resetAndDestroy()
      return
    }
    if (socket.remoteAddress == null || socket.remotePort == null) {
      // it closed before we got here
      socket.destroy()
      return
    }
    let remoteAddr
    try {
      remoteAddr = toMultiaddr(socket.remoteAddress, socket.remotePort)
    } catch (err) {
      this.#log.error('unusable remote address %s - %e', socket.remoteAddress, err)
      socket.destroy()
      return
    }
    const sequence = this.#sequence++
    const maConn = new TcpMultiaddrConnection({
      socket,
      remoteAddr,
      direction: 'inbound',
      log: this.#log.newScope(`connection:${sequence}`),
      inactivityTimeout: this.#init.inactivityTimeout,
      closeTimeout: this.#init.closeTimeout,
      maxReadBufferLength: this.#init.maxReadBufferLength,
      events: this.#connectionEvents
    })
    this.#connections.add(maConn)
    const release = (): void => { this.#connections.delete(maConn) }
    maConn.addEventListener('close', release, { once: true })
    socket.once('close', release)
    this.#events?.increment({ accept: true })
    this.#log('connection %d from %a', sequence, remoteAddr)

    this.#init.upgrader.upgradeInbound(maConn, { signal: this.#shutdown.signal })
      .catch((err: any) => {
        this.#log.error('inbound upgrade of connection %d failed - %e', sequence, err)
        this.#events?.increment({ upgrade_error: true })
        maConn.abort(err instanceof Error ? err : new Error(String(err)))
      })
  }
}
