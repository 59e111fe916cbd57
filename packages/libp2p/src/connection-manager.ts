import { InvalidParametersError, TimeoutError, isPeerId } from '@ts-libp2p/interface'
import { INBOUND_CONNECTION_THRESHOLD, INBOUND_UPGRADE_TIMEOUT, MAX_CONNECTIONS, MAX_INCOMING_PENDING_CONNECTIONS, MAX_TRACKED_INBOUND_HOSTS } from './constants.js'
import { Dialer } from './dialer.js'
import { KeepAlive } from './keep-alive.js'
import type { KeepAliveInit } from './keep-alive.js'
import { PeerMap } from './peer-map.js'
import { cachedPeerIdFromString, lastPeerIdString } from './peer-id-cache.js'
import { openAccountedStream } from './resource-manager.js'
import type { ConnectionScope, ResourceManager } from './resource-manager.js'
import type { DialerComponents, DialerInit } from './dialer.js'
import type { Metrics, AbortOptions, ComponentLogger, Connection, DialTarget, IsDialableOptions, Libp2pEvents, Logger, MultiaddrConnection, NewStreamOptions, PeerId, PeerStore, PendingDial, Startable, Stream, TypedEventTarget } from '@ts-libp2p/interface'
import type { ConnectionManager as ConnectionManagerInterface, OpenConnectionOptions } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What the connection manager needs from the node. */
export interface ConnectionManagerComponents extends DialerComponents {
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
  /** Tag values decide which connections are pruned first; keep-alive tags keep peers connected. */
  peerStore?: Pick<PeerStore, 'get'> & Partial<Pick<PeerStore, 'all'>>
  metrics?: Metrics
  /** Admits inbound and outbound connections against its limits; counts each connection in its peer's scope. */
  resourceManager?: Pick<ResourceManager, 'openConnection' | 'openStream'>
}

/** Options of the connection manager. */
export interface ConnectionManagerInit extends DialerInit, KeepAliveInit {
  /** Connections open at once; inbound ones past it are refused, and the least valued are pruned. Default {@link MAX_CONNECTIONS}. */
  maxConnections?: number
  /** Inbound connections upgrading at once. Default {@link MAX_INCOMING_PENDING_CONNECTIONS}. */
  maxIncomingPendingConnections?: number
  /** Inbound connections per host per second. Default {@link INBOUND_CONNECTION_THRESHOLD}. */
  inboundConnectionThreshold?: number
  /** Address prefixes (e.g. `/ip4/10.0.0.1`) always accepted, whatever the limits. */
  allow?: string[]
  /** Address prefixes always refused. */
  deny?: string[]
  /** Time an inbound connection has to finish its upgrade (passed to the upgrader). Default 10 s. */
  inboundUpgradeTimeout?: number
}

/**
 * Tracks the node's connections per peer, emits `peer:connect` and
 * `peer:disconnect`, dials through the {@link Dialer} (reusing an open
 * connection unless `force`), refuses inbound connections past the limits
 * (deny list, pending upgrades, per-host rate, total), and prunes the least
 * valued connections when over `maxConnections`.
 */
export class ConnectionManager implements ConnectionManagerInterface, Startable {
  readonly #components: ConnectionManagerComponents
  readonly #dialer: Dialer
  readonly #keepAlive: KeepAlive
  readonly #connections = new PeerMap<Connection[]>()
  /** The number of connections in #connections (checked on every new connection: no flattening of all of them). */
  #connectionCount = 0
  readonly #inboundRate = new Map<string, { second: number, count: number }>()
  readonly #allow: string[]
  readonly #deny: string[]
  readonly #pendingLimit: number
  readonly #rateLimit: number
  readonly #log: Logger
  /** Inbound connections admitted by the resource manager, by their (shared) timeline until upgraded. */
  readonly #inboundScopes = new WeakMap<object, ConnectionScope>()
  readonly #accounted = new WeakSet<Connection>()
  /** Deadlines of inbound connections still upgrading, by their (shared) timeline. */
  readonly #upgradeDeadlines = new Map<object, UpgradeDeadline>()
  readonly #upgradeTimeout: number
  #maxConnections: number
  #pendingInbound = 0
  #started = false

  constructor (components: ConnectionManagerComponents, init: ConnectionManagerInit = {}) {
    this.#components = components
    this.#dialer = new Dialer(components, init)
    this.#keepAlive = new KeepAlive(components, async (peer, signal) => await this.openConnection(peer, { signal }), init)
    this.#maxConnections = init.maxConnections ?? MAX_CONNECTIONS
    this.#pendingLimit = init.maxIncomingPendingConnections ?? MAX_INCOMING_PENDING_CONNECTIONS
    this.#rateLimit = init.inboundConnectionThreshold ?? INBOUND_CONNECTION_THRESHOLD
    this.#upgradeTimeout = init.inboundUpgradeTimeout ?? INBOUND_UPGRADE_TIMEOUT
    this.#allow = init.allow ?? []
    this.#deny = init.deny ?? []
    this.#log = components.logger.forComponent('connection-manager')
    if (this.#maxConnections < 1) throw new InvalidParametersError('maxConnections must be at least 1')
    components.metrics?.registerMetricGroup('libp2p_connection_manager_connections', {
      label: 'direction',
      help: 'Open connections by direction',
      calculate: () => {
        const counts: Record<string, number> = { inbound: 0, outbound: 0 }
        for (const c of this.getConnections()) counts[c.direction]++
        return counts
      }
    })
    components.metrics?.registerMetricGroup('libp2p_connection_manager_streams', {
      label: 'protocol',
      help: 'Open streams by protocol',
      calculate: () => {
        const counts: Record<string, number> = {}
        for (const c of this.getConnections()) for (const s of c.streams) counts[s.protocol === '' ? 'unnegotiated' : s.protocol] = (counts[s.protocol === '' ? 'unnegotiated' : s.protocol] ?? 0) + 1
        return counts
      }
    })
  }

  readonly #onOpen = (evt: CustomEvent<Connection>): void => { this.#track(evt.detail) }
  readonly #onClose = (evt: CustomEvent<Connection>): void => { this.#untrack(evt.detail) }

  start (): void {
    if (this.#started) return
    this.#started = true
    this.#components.events.addEventListener('connection:open', this.#onOpen)
    this.#components.events.addEventListener('connection:close', this.#onClose)
    this.#keepAlive.start()
  }

  /** Dials the peers tagged keep-alive, once the node is listening. */
  async afterStart (): Promise<void> {
    await this.#keepAlive.afterStart()
  }

  async stop (): Promise<void> {
    this.#keepAlive.stop()
    const all = this.getConnections()
    await Promise.all(all.map(async (c) => {
      await c.close().catch((err: Error) => { c.abort(err) })
    }))
    this.#components.events.removeEventListener('connection:open', this.#onOpen)
    this.#components.events.removeEventListener('connection:close', this.#onClose)
    this.#connections.clear()
    this.#connectionCount = 0
    this.#inboundRate.clear()
    for (const { timer } of this.#upgradeDeadlines.values()) clearTimeout(timer)
    this.#upgradeDeadlines.clear()
    this.#started = false
  }

  getConnections (peerId?: PeerId): Connection[] {
    if (peerId != null) return this.#connections.get(peerId) ?? []
    return [...this.#connections.values()].flat()
  }

  getConnectionsMap (): PeerMap<Connection[]> {
    return this.#connections
  }

  getMaxConnections (): number {
    return this.#maxConnections
  }

  setMaxConnections (maxConnections: number): void {
    if (maxConnections < 1) throw new InvalidParametersError('maxConnections must be at least 1')
    this.#maxConnections = maxConnections
    void this.#prune()
  }

  async openConnection (peer: DialTarget, options: OpenConnectionOptions = {}): Promise<Connection> {
    const peerId = isPeerId(peer) ? peer : undefined
    if (options.force !== true) {
      const known = peerId ?? peerIdIn(Array.isArray(peer) ? peer[0] : peer as Multiaddr)
      const open = known == null ? undefined : this.getConnections(known).find(c => c.status === 'open')
      if (open != null) {
        options.onProgress?.(new CustomEvent('dial-queue:already-connected') as any)
        return open
      }
    }
    // throws ResourceLimitError before any dial work when the node is at its outbound limits
    const scope = this.#components.resourceManager?.openConnection('outbound')
    let connection: Connection
    try {
      connection = await this.#dialer.dial(peer, options)
    } catch (err) {
      scope?.done()
      throw err
    }
    if (scope == null) return connection
    // a dial joined to another, or a connection that arrived inbound meanwhile, is counted already
    if (this.#accounted.has(connection) || connection.status !== 'open') {
      scope.done()
      return connection
    }
    try {
      scope.setPeer(connection.remotePeer)
    } catch (err: any) {
      scope.done()
      this.#log('closing the outbound connection %s to %p - %e', connection.id, connection.remotePeer, err)
      connection.abort(err)
      throw err
    }
    this.#accounted.add(connection)
    connection.addEventListener('close', () => { scope.done() }) // done() ignores a repeat: no `once` entry kept per connection
    return connection
  }

  async openStream (peer: DialTarget, protocol: string | string[], options: OpenConnectionOptions & NewStreamOptions = {}): Promise<Stream> {
    const connection = await this.openConnection(peer, options)
    return await openAccountedStream(connection, Array.isArray(protocol) ? protocol : [protocol], options)
  }

  async closeConnections (peer: PeerId, options: AbortOptions = {}): Promise<void> {
    await Promise.all(this.getConnections(peer).map(async (c) => {
      await c.close(options).catch((err: Error) => { c.abort(err) })
    }))
  }

  acceptIncomingConnection (maConn: MultiaddrConnection): boolean {
    const address = maConn.remoteAddr.toString()
    if (this.#deny.some(prefix => address.startsWith(prefix))) {
      this.#log('refusing %a: on the deny list', maConn.remoteAddr)
      return false
    }
    if (this.#allow.some(prefix => address.startsWith(prefix))) {
      if (!this.#admitInbound(maConn, true)) return false
      this.#pendingInbound++
      return true
    }
    if (this.#pendingInbound >= this.#pendingLimit) {
      this.#log('refusing %a: %d inbound connections are upgrading already', maConn.remoteAddr, this.#pendingInbound)
      return false
    }
    const host = hostOf(maConn.remoteAddr)
    if (host != null && !this.#withinRate(host)) {
      this.#log('refusing %a: more than %d connections per second from %s', maConn.remoteAddr, this.#rateLimit, host)
      return false
    }
    if (this.#connectionCount >= this.#maxConnections) {
      this.#log('refusing %a: %d connections open already', maConn.remoteAddr, this.#maxConnections)
      return false
    }
    if (!this.#admitInbound(maConn, false)) return false
    this.#pendingInbound++
    return true
  }

  /**
   * Counts an inbound connection in the resource manager's transient scope
   * until it is upgraded (then in its peer's scope, see #track) and releases
   * it when the raw connection closes, whatever happened in between.
   */
  #admitInbound (maConn: MultiaddrConnection, force: boolean): boolean {
    const manager = this.#components.resourceManager
    if (manager == null) {
      this.#armUpgradeDeadline(maConn)
      return true
    }
    let scope: ConnectionScope
    try {
      scope = manager.openConnection('inbound', { force })
    } catch (err: any) {
      this.#log('refusing %a - %e', maConn.remoteAddr, err)
      return false
    }
    if (!canListen(maConn)) {
      // not a message stream (a test stub): nothing will tell us it closed
      scope.done()
      return true
    }
    this.#inboundScopes.set(maConn.timeline, scope)
    maConn.addEventListener('close', () => { scope.done() }) // done() ignores a repeat: no `once` entry kept per connection
    this.#armUpgradeDeadline(maConn)
    return true
  }

  /**
   * Aborts an inbound connection whose upgrade has not finished within the
   * inbound upgrade timeout. The upgrader's own deadline
   * (`createInboundAbortSignal`) is only applied when a transport asks for it,
   * and our transports pass their shutdown signal alone, so without this a
   * peer that opens sockets and sends nothing held an upgrade slot forever:
   * ten of them (the pending limit) locked every other peer out (found by
   * the hostile-peer tests, compliance/test/hostile-peer.spec.ts).
   */
  #armUpgradeDeadline (maConn: MultiaddrConnection): void {
    if (!canListen(maConn)) return
    const key = maConn.timeline
    const timer = setTimeout(() => {
      this.#upgradeDeadlines.delete(key)
      this.#log('aborting the inbound connection from %a: not upgraded within %d ms', maConn.remoteAddr, this.#upgradeTimeout)
      maConn.abort(new TimeoutError(`The inbound connection from ${maConn.remoteAddr} was not upgraded within ${this.#upgradeTimeout} ms`))
    }, this.#upgradeTimeout)
    if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref()
    const onClose = (): void => { this.#clearUpgradeDeadline(key) }
    this.#upgradeDeadlines.set(key, { timer, maConn, onClose })
    maConn.addEventListener('close', onClose, { once: true })
  }

  /** Stops an upgrade deadline: the upgrade finished or the connection closed. */
  #clearUpgradeDeadline (key: object): void {
    const deadline = this.#upgradeDeadlines.get(key)
    if (deadline == null) return
    clearTimeout(deadline.timer)
    this.#upgradeDeadlines.delete(key)
    // an upgraded connection lives on: its listener would stay for nothing
    deadline.maConn.removeEventListener('close', deadline.onClose)
  }

  afterUpgradeInbound (): void {
    this.#pendingInbound = Math.max(0, this.#pendingInbound - 1)
  }

  getDialQueue (): PendingDial[] {
    return this.#dialer.getDialQueue()
  }

  async isDialable (multiaddr: Multiaddr | Multiaddr[], _options?: IsDialableOptions): Promise<boolean> {
    return await this.#dialer.isDialable(Array.isArray(multiaddr) ? multiaddr : [multiaddr])
  }

  #withinRate (host: string): boolean {
    const second = Math.floor(Date.now() / 1000)
    const entry = this.#inboundRate.get(host)
    if (entry == null || entry.second !== second) {
      this.#inboundRate.delete(host)
      if (this.#inboundRate.size >= MAX_TRACKED_INBOUND_HOSTS) {
        const oldest = this.#inboundRate.keys().next().value
        if (oldest != null) this.#inboundRate.delete(oldest)
      }
      this.#inboundRate.set(host, { second, count: 1 })
      return true
    }
    entry.count++
    return entry.count <= this.#rateLimit
  }

  #track (connection: Connection): void {
    this.#clearUpgradeDeadline(connection.timeline)
    const scope = this.#inboundScopes.get(connection.timeline)
    if (scope != null) {
      this.#inboundScopes.delete(connection.timeline)
      this.#accounted.add(connection)
      try {
        scope.setPeer(connection.remotePeer)
      } catch (err: any) {
        this.#log('closing the inbound connection %s from %p - %e', connection.id, connection.remotePeer, err)
        connection.abort(err)
        return
      }
    }
    const list = this.#connections.get(connection.remotePeer) ?? []
    const first = list.length === 0
    list.push(connection)
    this.#connectionCount++
    this.#connections.set(connection.remotePeer, list)
    if (first) this.#components.events.safeDispatchEvent('peer:connect', { detail: connection.remotePeer })
    if (this.#connectionCount > this.#maxConnections) void this.#prune()
  }

  #untrack (connection: Connection): void {
    const current = this.#connections.get(connection.remotePeer) ?? []
    const list = current.filter(c => c !== connection)
    this.#connectionCount -= current.length - list.length
    if (list.length > 0) {
      this.#connections.set(connection.remotePeer, list)
      return
    }
    if (this.#connections.delete(connection.remotePeer)) {
      this.#components.events.safeDispatchEvent('peer:disconnect', { detail: connection.remotePeer })
    }
  }

  /** Closes the least valued connections (sum of the peer's tag values, then oldest) until within the limit. */
  async #prune (): Promise<void> {
    const excess = this.#connectionCount - this.#maxConnections
    if (excess <= 0) return
    const values = new Map<string, number>()
    for (const peer of this.#connections.keys()) {
      let value = 0
      try {
        const entry = await this.#components.peerStore?.get(peer)
        for (const tag of entry?.tags.values() ?? []) value += tag.value
      } catch {}
      values.set(peer.toString(), value)
    }
    const candidates = this.getConnections()
      .sort((a, b) => (values.get(a.remotePeer.toString()) ?? 0) - (values.get(b.remotePeer.toString()) ?? 0) || a.timeline.open - b.timeline.open)
      .slice(0, excess)
    this.#components.events.safeDispatchEvent('connection:prune', { detail: candidates })
    await Promise.all(candidates.map(async (c) => {
      this.#log('pruning connection %s to %p', c.id, c.remotePeer)
      await c.close().catch((err: Error) => { c.abort(err) })
    }))
  }
}

/** An inbound connection's upgrade deadline, and the listener that stops it when the connection closes first. */
interface UpgradeDeadline {
  timer: ReturnType<typeof setTimeout>
  maConn: MultiaddrConnection
  onClose(): void
}

function peerIdIn (ma: Multiaddr | undefined): PeerId | undefined {
  const value = ma == null ? undefined : lastPeerIdString(ma)
  if (value == null) return undefined
  try {
    return cachedPeerIdFromString(value)
  } catch {
    return undefined // the dialer reports the bad address with a typed error
  }
}

function canListen (maConn: MultiaddrConnection): boolean {
  return typeof maConn.addEventListener === 'function' && maConn.timeline != null
}

function hostOf (ma: Multiaddr): string | undefined {
  return ma.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')?.value
}
