import { anySignal } from '@ts-libp2p/utils'
import { contentRoutingSymbol, peerRoutingSymbol, serviceCapabilities, serviceDependencies, setMaxListeners } from '@ts-libp2p/interface'
import { isPublicAddress } from './addresses.js'
import { ALPHA, BETA, CLEANUP_INTERVAL, DEFAULT_GET_QUORUM, DEFAULT_PUT_QUORUM, K, MAX_MESSAGE_SIZE, PING_TIMEOUT, PROTOCOL_PREFIX, PROTOCOL_SUFFIX, PROVIDER_REPUBLISH_INTERVAL, QUERY_TIMEOUT, REFRESH_INTERVAL, REFRESH_QUERY_TIMEOUT, RESOURCE_SERVICE_NAME, RPC_TIMEOUT } from './constants.js'
import { randomPeerIdBytesInBucket } from './distance.js'
import { handleStream } from './handlers.js'
import { Network } from './network.js'
import { Operations } from './operations.js'
import { PeerInfoCache } from './peer-info-cache.js'
import { Providers } from './providers.js'
import { RecordStore } from './record-store.js'
import { RecordValidation } from './records.js'
import { RoutingTable } from './routing-table.js'
import { StoreMemory } from './store-memory.js'
import type { DHTMode, KadDHT, KadDHTComponents, KadDHTInit, KadDHTQueryOptions } from './index.js'
import type { QueryStats } from './operations.js'
import type { AbortOptions, IdentifyResult, Logger, MemoryScope, PeerId, PeerInfo, Provider, Startable } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { CID } from 'multiformats/cid'

/** Bits of a random key we try to match when refreshing a bucket: deeper buckets are reached by the self lookup. */
const MAX_REFRESH_CPL = 15
const REFRESH_KEY_TRIES = 1 << 17

/**
 * The Kademlia DHT service: routing table, server handlers, lookups,
 * values, providers, bootstrap and refresh, exposed as the node's content
 * and peer routing.
 */
export class KadDHTService implements KadDHT, Startable {
  readonly protocol: string
  readonly [Symbol.toStringTag] = '@ts-libp2p/kad-dht'
  readonly [serviceCapabilities]: string[] = ['@libp2p/content-routing', '@libp2p/peer-routing', '@libp2p/kad-dht']
  readonly [serviceDependencies]: string[] = ['@libp2p/identify']
  readonly [contentRoutingSymbol]: this
  readonly [peerRoutingSymbol]: this

  readonly routingTable: RoutingTable
  readonly #components: KadDHTComponents
  readonly #init: KadDHTInit
  readonly #log: Logger
  readonly #memory?: MemoryScope
  readonly #stats: QueryStats = { requestsSent: 0, requestsFailed: 0, requestsReceived: 0, queries: 0, totalHops: 0, maxHops: 0, lastHops: 0 }
  readonly #records: RecordStore
  readonly #storeMemory?: StoreMemory
  readonly #providers: Providers
  readonly #validation: RecordValidation
  readonly #peerInfo: PeerInfoCache
  readonly #network: Network
  readonly #operations: Operations
  readonly #allowPrivateAddresses: boolean
  /** CIDs we provide, by multihash key, for republishing. */
  readonly #providing = new Map<string, CID>()
  readonly #background = new Set<Promise<unknown>>()
  readonly #timers: Array<ReturnType<typeof setInterval>> = []
  #shutdown?: AbortController
  #mode: DHTMode = 'client'
  #handling = false
  #topologyId?: string
  #started = false
  #bootstrapped = false
  #refreshing?: Promise<void>

  constructor (components: KadDHTComponents, init: KadDHTInit = {}) {
    this.#components = components
    this.#init = init
    this.protocol = init.protocol ?? `${init.protocolPrefix ?? PROTOCOL_PREFIX}${PROTOCOL_SUFFIX}`
    this.#log = components.logger.forComponent(init.logPrefix ?? 'kad-dht')
    this.#allowPrivateAddresses = init.allowPrivateAddresses ?? false
    this[contentRoutingSymbol] = this
    this[peerRoutingSymbol] = this
    this.routingTable = new RoutingTable(components.peerId, {
      k: init.kBucketSize ?? K,
      log: this.#log,
      isAlive: async (peer) => await this.#isAlive(peer)
    })
    this.routingTable.addEventListener('peer:add', () => {
      // the first peer: bootstrap by looking ourselves up (spec, "Bootstrap process")
      if (!this.#bootstrapped && this.#started) {
        this.#bootstrapped = true
        this.#track(this.refreshRoutingTable({ selfOnly: true }).catch(() => {}))
      }
    })
    this.#validation = new RecordValidation(init.validators, init.selectors)
    this.#peerInfo = new PeerInfoCache(components.peerStore)
    this.#memory = components.resourceManager?.serviceScope(RESOURCE_SERVICE_NAME)
    // the stores are charged to the service scope too (approximate size per entry; see StoreMemory)
    this.#storeMemory = this.#memory != null ? new StoreMemory(this.#memory) : undefined
    this.#records = new RecordStore(components.datastore, { maxRecordAge: init.maxRecordAge, log: this.#log, memory: this.#storeMemory })
    this.#providers = new Providers(components.datastore, { ttl: init.providerRecordTtl, addrsTtl: init.providerAddrsTtl, log: this.#log, memory: this.#storeMemory })
    this.#network = new Network({
      protocol: this.protocol,
      connectionManager: components.connectionManager,
      log: this.#log,
      timeout: init.rpcTimeout ?? RPC_TIMEOUT,
      maxMessageSize: init.maxMessageSize ?? MAX_MESSAGE_SIZE,
      stats: this.#stats
    })
    this.#operations = new Operations({
      self: components.peerId,
      selfAddresses: () => this.#selfAddresses(),
      routingTable: this.routingTable,
      network: this.#network,
      records: this.#records,
      providers: this.#providers,
      validation: this.#validation,
      peerStore: components.peerStore,
      peerInfo: this.#peerInfo,
      connectionManager: components.connectionManager,
      allowPrivateAddresses: this.#allowPrivateAddresses,
      alpha: init.alpha ?? ALPHA,
      beta: init.beta ?? BETA,
      k: init.kBucketSize ?? K,
      queryTimeout: init.queryTimeout ?? QUERY_TIMEOUT,
      getQuorum: init.getQuorum ?? DEFAULT_GET_QUORUM,
      putQuorum: init.putQuorum ?? DEFAULT_PUT_QUORUM,
      log: this.#log,
      stats: this.#stats,
      shutdown: () => this.#shutdown?.signal,
      track: (p) => { this.#track(p) }
    })
    this.handleStream = this.handleStream.bind(this)
    this.onIdentify = this.onIdentify.bind(this)
    this.onSelfUpdate = this.onSelfUpdate.bind(this)
  }

  async start (): Promise<void> {
    this.#shutdown = new AbortController()
    // every query and inbound stream listens to it
    setMaxListeners(Infinity, this.#shutdown.signal)
    this.#started = true
    this.#topologyId = await this.#components.registrar.register(this.protocol, {
      onConnect: (peerId) => { this.routingTable.add(peerId) }
    })
    this.#components.events.addEventListener('peer:identify', this.onIdentify)
    this.#components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    await this.#updateMode()
    // peers we already know serve the DHT (a persistent peer store) seed the table
    try {
      const known = await this.#components.peerStore.all({ filters: [(p) => p.protocols.includes(this.protocol)], limit: 256 * (this.#init.kBucketSize ?? K) })
      for (const peer of known) this.routingTable.add(peer.id)
    } catch (err: any) {
      this.#log('could not seed the routing table from the peer store - %e', err)
    }
    const every = (ms: number, fn: () => Promise<unknown>): void => {
      if (ms <= 0 || !Number.isFinite(ms)) return
      const timer = setInterval(() => { this.#track(fn().catch((err) => { this.#log('periodic task failed - %e', err) })) }, ms)
      timer.unref?.()
      this.#timers.push(timer)
    }
    every(this.#init.refreshInterval ?? REFRESH_INTERVAL, async () => { await this.refreshRoutingTable() })
    every(this.#init.cleanupInterval ?? CLEANUP_INTERVAL, async () => { await this.#sweep() })
    every(this.#init.reprovideInterval ?? PROVIDER_REPUBLISH_INTERVAL, async () => { await this.#reprovide() })
  }

  async stop (): Promise<void> {
    this.#started = false
    this.#shutdown?.abort(new Error('The DHT stopped'))
    for (const timer of this.#timers.splice(0)) clearInterval(timer)
    this.#components.events.removeEventListener('peer:identify', this.onIdentify)
    this.#components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    if (this.#topologyId != null) this.#components.registrar.unregister(this.#topologyId)
    this.#topologyId = undefined
    if (this.#handling) await this.#components.registrar.unhandle(this.protocol)
    this.#handling = false
    this.routingTable.stop()
    await Promise.allSettled([...this.#background])
    // what the stores hold stays in the datastore, no longer counted by a stopped node
    this.#storeMemory?.releaseAll()
    this.#shutdown = undefined
  }

  /** Stream handler of the protocol (server mode only). */
  async handleStream (stream: Parameters<typeof handleStream>[1], connection: Parameters<typeof handleStream>[2]): Promise<void> {
    if (this.#mode !== 'server') {
      stream.abort(new Error('The DHT is in client mode'))
      return
    }
    await handleStream({
      self: this.#components.peerId,
      selfAddresses: () => this.#selfAddresses(),
      routingTable: this.routingTable,
      records: this.#records,
      providers: this.#providers,
      validation: this.#validation,
      peerInfo: this.#peerInfo,
      connectionManager: this.#components.connectionManager,
      allowPrivateAddresses: this.#allowPrivateAddresses,
      maxMessageSize: this.#init.maxMessageSize,
      log: this.#log,
      stats: this.#stats,
      shutdown: () => this.#shutdown?.signal,
      memory: this.#memory
    }, stream, connection)
  }

  /** identify told us what a peer speaks: it enters the table if it serves the DHT, leaves if it stopped. */
  onIdentify (evt: CustomEvent<IdentifyResult>): void {
    const { peerId, protocols } = evt.detail
    if (protocols.includes(this.protocol)) this.routingTable.add(peerId)
    else if (this.routingTable.has(peerId)) this.routingTable.remove(peerId)
  }

  onSelfUpdate (): void {
    if (this.#started) this.#track(this.#updateMode().catch((err) => { this.#log('mode update failed - %e', err) }))
  }

  getMode (): DHTMode {
    return this.#mode
  }

  /** Forces a mode (until the next `setMode`); pass `undefined` to go back to automatic. */
  async setMode (mode: DHTMode | undefined): Promise<void> {
    ;(this.#init as { clientMode?: boolean }).clientMode = mode == null ? undefined : mode === 'client'
    await this.#updateMode()
  }

  async #updateMode (): Promise<void> {
    const forced = this.#init.clientMode
    let mode: DHTMode
    if (forced != null) {
      mode = forced ? 'client' : 'server'
    } else {
      // automatic: a server only once an address others can reach is confirmed
      const confirmed = this.#components.addressManager.getAddressesWithMetadata().filter(a => a.verified)
      mode = confirmed.some(a => this.#allowPrivateAddresses || isPublicAddress(a.multiaddr)) ? 'server' : 'client'
    }
    if (mode === this.#mode && (mode === 'client' || this.#handling)) return
    this.#mode = mode
    if (mode === 'server' && !this.#handling && this.#started) {
      this.#handling = true
      await this.#components.registrar.handle(this.protocol, this.handleStream, { maxInboundStreams: 32, maxOutboundStreams: 64 })
      this.#log('server mode: answering %s', this.protocol)
    } else if (mode === 'client' && this.#handling) {
      this.#handling = false
      await this.#components.registrar.unhandle(this.protocol)
      this.#log('client mode: not answering %s', this.protocol)
    }
  }

  /** Traffic and lookup counters. */
  getStats (): QueryStats {
    return { ...this.#stats }
  }

  async findPeer (peerId: PeerId, options?: KadDHTQueryOptions): Promise<PeerInfo> {
    return await this.#operations.findPeer(peerId, options)
  }

  async * getClosestPeers (key: Uint8Array, options?: KadDHTQueryOptions): AsyncIterable<PeerInfo> {
    yield * await this.#operations.closestPeers(key, options)
  }

  async provide (cid: CID, options?: KadDHTQueryOptions): Promise<void> {
    this.#providing.set(cid.multihash.bytes.toString(), cid)
    await this.#operations.provide(cid, options)
  }

  async cancelReprovide (cid: CID): Promise<void> {
    this.#providing.delete(cid.multihash.bytes.toString())
  }

  async * findProviders (cid: CID, options?: KadDHTQueryOptions): AsyncIterable<Provider> {
    yield * this.#operations.findProviders(cid, options)
  }

  async put (key: Uint8Array, value: Uint8Array, options?: KadDHTQueryOptions): Promise<void> {
    await this.#operations.put(key, value, options)
  }

  async get (key: Uint8Array, options?: KadDHTQueryOptions): Promise<Uint8Array> {
    return await this.#operations.get(key, options)
  }

  /**
   * Refreshes the routing table (spec, "Bootstrap process"): a lookup of our
   * own id, then (unless `selfOnly`) one of a random id in each bucket up to
   * the deepest non-empty one, each bounded by the refresh timeout. Runs once
   * at a time; a call while one runs joins it.
   */
  async refreshRoutingTable (options: AbortOptions & { selfOnly?: boolean } = {}): Promise<void> {
    if (this.#refreshing != null) {
      await this.#refreshing
      return
    }
    this.#refreshing = this.#refresh(options).finally(() => { this.#refreshing = undefined })
    await this.#refreshing
  }

  async #refresh (options: AbortOptions & { selfOnly?: boolean }): Promise<void> {
    const timeout = this.#init.refreshQueryTimeout ?? REFRESH_QUERY_TIMEOUT
    const lookup = async (key: Uint8Array): Promise<void> => {
      if (this.#shutdown?.signal.aborted !== false) return
      try {
        await this.#operations.closestPeers(key, { signal: options.signal, queryTimeout: timeout })
      } catch (err: any) {
        this.#log('refresh lookup failed - %e', err)
      }
    }
    await lookup(this.#components.peerId.toMultihash().bytes)
    if (options.selfOnly === true) return
    const buckets = this.routingTable.nonEmptyBuckets()
    const deepest = Math.min(MAX_REFRESH_CPL, buckets.length === 0 ? -1 : Math.max(...buckets))
    for (let cpl = 0; cpl <= deepest; cpl++) {
      const key = randomPeerIdBytesInBucket(this.routingTable.selfKey, cpl, REFRESH_KEY_TRIES)
      if (key != null) await lookup(key)
    }
    this.#log('routing table refreshed: %d peers', this.routingTable.size)
  }

  async #sweep (): Promise<void> {
    const signal = this.#shutdown?.signal
    await this.#providers.sweep({ signal })
    await this.#records.sweep({ signal })
  }

  async #reprovide (): Promise<void> {
    for (const cid of [...this.#providing.values()]) {
      if (this.#shutdown?.signal.aborted !== false) return
      try {
        await this.#operations.provide(cid, { signal: this.#shutdown?.signal })
      } catch (err: any) {
        this.#log('republishing provider record of %s failed - %e', cid, err)
      }
    }
  }

  /** A liveness check for a full bucket's oldest peer: a connection to it can be had within the ping timeout. */
  async #isAlive (peer: PeerId): Promise<boolean> {
    if (this.#components.connectionManager.getConnections(peer).length > 0) return true
    // not AbortSignal.any: on Node 20 it can lose a timeout signal to GC (the timeout never fires)
    const signal = anySignal([AbortSignal.timeout(this.#init.pingTimeout ?? PING_TIMEOUT), this.#shutdown?.signal])
    try {
      await this.#components.connectionManager.openConnection(peer, { signal })
      return true
    } catch {
      return false
    } finally {
      signal.clear()
    }
  }

  #selfAddresses (): Multiaddr[] {
    return this.#components.addressManager.getAddresses()
  }

  #track (promise: Promise<unknown>): void {
    this.#background.add(promise)
    void promise.then(() => {}, () => {}).finally(() => { this.#background.delete(promise) })
  }
}
