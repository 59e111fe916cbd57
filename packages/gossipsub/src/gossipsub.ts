import { anySignal } from '@ts-libp2p/utils'
import { TypedEventEmitter, pubSubSymbol, serviceCapabilities, serviceDependencies } from '@ts-libp2p/interface'
import { PubSubNotStartedError, SeenCache, decodeRpc, encodeRpcFrame, messageSize } from '@ts-libp2p/pubsub'
import { Backoff } from './backoff.js'
import { resolveConfig } from './config.js'
import { IDONTWANT_TTL_HEARTBEATS, MAX_PENDING_FRAMES, MAX_STREAM_REOPENS, MAX_TOPICS_PER_PEER, RESOURCE_SERVICE_NAME, STREAM_OPEN_TIMEOUT, STREAM_REOPEN_DELAY } from './constants.js'
import { handleControl, makeGraftPruneRpcs } from './control.js'
import { supportsExtensions, supportsMesh } from './features.js'
import { GossipPromises, IHaveLimits, gossipIds, selectGossipPeers } from './gossip.js'
import { MessageCache } from './mcache.js'
import { maintainMesh } from './mesh.js'
import { createGossipsubMetrics } from './metrics.js'
import type { GossipsubMetrics } from './metrics.js'
import { OutboundStream, readFrames } from './peer-streams.js'
import { Publisher } from './publish.js'
import { PeerScore } from './score/peer-score.js'
import type { GossipsubConfig } from './config.js'
import type { Gossipsub, GossipsubComponents, GossipsubEvents, GossipsubOptions, PeerExtensions } from './index.js'
import type { MeshState } from './mesh.js'
import type { Connection, Logger, MemoryScope, PeerId, PublishResult, SignaturePolicy, Startable, Stream, TopicValidatorFn, Topology } from '@ts-libp2p/interface'
import type { ControlMessage, RPC, RPCMessage } from '@ts-libp2p/pubsub'
import type { Uint8ArrayList } from 'uint8arraylist'

/** What we know of one peer with a pubsub stream. */
export interface PeerState {
  id: PeerId
  key: string
  /** The protocol negotiated on our outbound stream (or, until it opens, the peer's inbound one). */
  protocol: string
  /** The direction of the connection the peer came in on (v1.1 outbound quotas). */
  outbound: boolean
  stream?: OutboundStream
  opening: boolean
  /** Frames waiting for the outbound stream to open (bounded). */
  pending: Uint8Array[]
  inbound: Set<Stream>
  topics: Set<string>
  /** IDONTWANT: msgIdKey -> heartbeat tick it arrived at. */
  idontwant: Map<string, number>
  idontwantThisHeartbeat: number
  /** v1.3: what it advertised, and whether it ever did (a second time is a violation). */
  extensions?: { testExtension?: boolean }
  testExtensionReceived: boolean
  testExtensionSent: boolean
  /** The first RPC on our stream has gone out (v1.3: it must carry our extensions). */
  helloSent: boolean
  /** Times our outbound stream was reopened after dying. */
  reopens: number
}

/**
 * The gossipsub router: peers and streams, subscriptions, the message
 * pipeline and the heartbeat. Control message handling is in control.ts,
 * publishing in publish.ts, the heartbeat's mesh logic in mesh.ts.
 */
export class GossipSub extends TypedEventEmitter<GossipsubEvents> implements Gossipsub, Startable {
  readonly [pubSubSymbol] = true
  readonly [Symbol.toStringTag] = '@ts-libp2p/gossipsub'
  readonly [serviceCapabilities]: string[] = ['@libp2p/pubsub']
  readonly [serviceDependencies]: string[] = ['@libp2p/identify']

  readonly components: GossipsubComponents
  readonly config: GossipsubConfig
  readonly log: Logger
  readonly protocols: string[]
  readonly topicValidators = new Map<string, TopicValidatorFn>()
  globalSignaturePolicy: SignaturePolicy

  readonly peers = new Map<string, PeerState>()
  /** topic -> subscribed peers */
  readonly topics = new Map<string, Set<string>>()
  readonly subscriptions = new Set<string>()
  readonly mesh = new Map<string, Set<string>>()
  readonly fanout = new Map<string, Set<string>>()
  readonly fanoutLastPub = new Map<string, number>()
  readonly direct = new Set<string>()
  readonly backoff: Backoff
  readonly mcache: MessageCache<RPCMessage>
  readonly seen: SeenCache
  readonly score: PeerScore
  readonly promises: GossipPromises
  readonly ihaveLimits = new IHaveLimits()
  readonly metrics?: GossipsubMetrics
  readonly publisher: Publisher
  tick = 0
  validationsInFlight = 0
  /** PX dials under way. */
  pxPending = 0

  #running = false
  #heartbeatTimer?: ReturnType<typeof setTimeout>
  #decayTimer?: ReturnType<typeof setInterval>
  #topologyId?: string
  #shutdown = new AbortController()
  /** The node's `gossipsub` service scope: frames queued for slow peers are charged to it. */
  readonly #memory?: MemoryScope
  #heartbeatRunning?: Promise<void>

  constructor (components: GossipsubComponents, init: GossipsubOptions = {}) {
    super()
    this.components = components
    this.config = resolveConfig(init)
    this.log = components.logger.forComponent('gossipsub')
    this.#memory = components.resourceManager?.serviceScope(RESOURCE_SERVICE_NAME)
    this.protocols = this.config.protocols
    this.globalSignaturePolicy = this.config.globalSignaturePolicy
    this.backoff = new Backoff()
    const memory = this.#memory
    this.mcache = new MessageCache(this.config.mcacheLength, this.config.mcacheGossip, memory != null ? { scope: memory, sizeOf: (m: RPCMessage) => m.raw?.byteLength ?? messageSize(m) } : undefined)
    this.seen = new SeenCache({ ttl: this.config.seenTTL })
    this.score = new PeerScore(this.config.scoreParams)
    this.promises = new GossipPromises(this.config.iwantFollowupTime)
    for (const peer of init.directPeers ?? []) this.direct.add(peer.id.toString())
    this.publisher = new Publisher(this, init.directPeers ?? [], init.msgIdFn)
    if (components.metrics != null) this.metrics = createGossipsubMetrics(components.metrics, this)
  }

  isStarted (): boolean {
    return this.#running
  }

  async start (): Promise<void> {
    if (this.#running) return
    this.#running = true
    this.#shutdown = new AbortController()
    const { registrar } = this.components
    for (const protocol of this.protocols) {
      await registrar.handle(protocol, this.#onInboundStream, { maxInboundStreams: 32, maxOutboundStreams: 32 })
    }
    const topology: Topology = {
      onConnect: (peerId, connection) => { this.#onPeerConnected(peerId, connection) },
      onDisconnect: (peerId) => { this.#onPeerDisconnected(peerId) }
    }
    // one topology object for every protocol: the node tells it about each peer once
    this.#topologyId = await registrar.register(this.protocols[0], topology)
    for (const protocol of this.protocols.slice(1)) await registrar.register(protocol, topology)
    this.#decayTimer = setInterval(() => { this.score.refreshScores() }, this.config.scoreParams.decayInterval)
    this.#heartbeatTimer = setTimeout(() => { this.#runHeartbeat() }, Math.min(100, this.config.heartbeatInterval))
    await this.publisher.start()
  }

  async stop (): Promise<void> {
    if (!this.#running) return
    this.#running = false
    this.#shutdown.abort()
    clearTimeout(this.#heartbeatTimer)
    clearInterval(this.#decayTimer)
    await this.#heartbeatRunning?.catch(() => {})
    const { registrar } = this.components
    for (const protocol of this.protocols) await registrar.unhandle(protocol).catch(() => {})
    if (this.#topologyId != null) registrar.unregister(this.#topologyId)
    const signal = AbortSignal.timeout(1000)
    await Promise.all([...this.peers.values()].map(async (peer) => {
      for (const s of peer.inbound) s.abort(new Error('gossipsub stopped'))
      await peer.stream?.close(signal)
    }))
    this.peers.clear()
    this.topics.clear()
    this.mesh.clear()
    this.fanout.clear()
    this.fanoutLastPub.clear()
    this.seen.clear()
    this.mcache.clear()
  }

  // ---- peers and streams ----

  #peer (peerId: PeerId, connection?: Connection): PeerState {
    const key = peerId.toString()
    let peer = this.peers.get(key)
    if (peer == null) {
      peer = {
        id: peerId, key, protocol: '', outbound: connection?.direction === 'outbound', opening: false, pending: [], inbound: new Set(),
        topics: new Set(), idontwant: new Map(), idontwantThisHeartbeat: 0, testExtensionReceived: false, testExtensionSent: false, helloSent: false, reopens: 0
      }
      this.peers.set(key, peer)
      this.score.addPeer(key)
      if (connection != null) this.score.setIPs(key, ipsOf(connection))
    }
    return peer
  }

  #onPeerConnected (peerId: PeerId, connection: Connection): void {
    if (!this.#running) return
    const peer = this.#peer(peerId, connection)
    if (peer.stream?.open === true || peer.opening) return
    peer.opening = true
    void this.#openStream(peer, connection).finally(() => { peer.opening = false })
  }

  async #openStream (peer: PeerState, connection: Connection): Promise<void> {
    try {
      // not AbortSignal.any: on Node 20 it can lose a timeout signal to GC (the timeout never fires)
      const signal = anySignal([this.#shutdown.signal, AbortSignal.timeout(STREAM_OPEN_TIMEOUT)])
      const stream = await connection.newStream(this.protocols, { signal }).finally(() => { signal.clear() })
      if (!this.#running || this.peers.get(peer.key) !== peer) {
        stream.abort(new Error('gossipsub stopped or the peer left'))
        return
      }
      peer.stream = new OutboundStream(stream, {
        maxQueueBytes: this.config.maxOutboundQueueBytes,
        log: this.log,
        onDrop: () => { this.metrics?.dropped.increment() },
        memory: this.#memory
      })
      peer.protocol = stream.protocol
      stream.addEventListener('close', () => {
        if (peer.stream?.stream !== stream) return
        peer.stream = undefined
        peer.helloSent = false
        // the stream died but the peer may still be connected: reopen it (a bounded number of times)
        if (!this.#running || this.peers.get(peer.key) !== peer || peer.reopens >= MAX_STREAM_REOPENS) return
        const conn = this.components.connectionManager.getConnections(peer.id).find(c => c.status === 'open')
        if (conn == null) return
        peer.reopens++
        setTimeout(() => { this.#onPeerConnected(peer.id, conn) }, STREAM_REOPEN_DELAY).unref?.()
      }, { once: true })
      // the first frame: our subscriptions and (v1.3) our extensions
      const hello: RPC = { subscriptions: [...this.subscriptions].map(topic => ({ topic, subscribe: true })), messages: [] }
      if (supportsExtensions(peer.protocol)) hello.control = { extensions: this.config.testExtension ? { testExtension: true } : {} }
      peer.stream.push(encodeRpcFrame(hello))
      peer.helloSent = true
      for (const frame of peer.pending.splice(0)) peer.stream.push(frame)
      this.#maybeSendTestExtension(peer)
    } catch (err: any) {
      this.log('could not open a pubsub stream to %p - %e', peer.id, err)
    }
  }

  #onPeerDisconnected (peerId: PeerId): void {
    const key = peerId.toString()
    const peer = this.peers.get(key)
    if (peer == null) return
    // another connection may remain: keep the peer while it has one
    if (this.components.connectionManager.getConnections(peerId).some(c => c.status === 'open')) return
    this.#removePeer(peer)
  }

  #removePeer (peer: PeerState): void {
    this.peers.delete(peer.key)
    for (const topic of peer.topics) this.#forgetSubscriber(topic, peer.key)
    for (const [topic, peers] of this.mesh) {
      if (peers.delete(peer.key)) this.safeDispatchEvent('gossipsub:prune', { detail: { peerId: peer.id, topic, direction: 'outbound' } })
    }
    for (const peers of this.fanout.values()) peers.delete(peer.key)
    this.score.removePeer(peer.key)
    for (const s of peer.inbound) s.abort(new Error('peer disconnected'))
    peer.stream?.stream.abort(new Error('peer disconnected'))
  }

  readonly #onInboundStream = (stream: Stream, connection: Connection): void => {
    if (!this.#running) { stream.abort(new Error('gossipsub is not running')); return }
    const peer = this.#peer(connection.remotePeer, connection)
    if (peer.protocol === '') peer.protocol = stream.protocol
    peer.inbound.add(stream)
    // a peer may open its stream before identify tells our topology about it: open ours too
    if (peer.stream == null && !peer.opening) this.#onPeerConnected(connection.remotePeer, connection)
    void readFrames(stream, this.config.maxRpcSize, (frame) => { this.#onFrame(peer, frame) }, this.log)
      .finally(() => { peer.inbound.delete(stream) })
  }

  #onFrame (peer: PeerState, frame: Uint8ArrayList): void {
    // decode errors propagate: readFrames resets the stream
    const rpc = decodeRpc(frame, { maxRpcSize: this.config.maxRpcSize })
    this.metrics?.rpcReceived.increment()
    this.handleRpc(peer, rpc)
  }

  /** Sends one RPC to a peer (queued while its stream opens). Control is stripped for floodsub peers. */
  sendRpc (peer: PeerState, rpc: RPC): boolean {
    if (!supportsMesh(peer.protocol) && peer.protocol !== '') {
      if (rpc.control != null) rpc = { ...rpc, control: undefined }
      if (rpc.messages.length === 0 && rpc.subscriptions.length === 0) return false
    }
    return this.sendFrame(peer, encodeRpcFrame(rpc))
  }

  /** Sends an encoded RPC frame to a peer (queued, bounded, while its stream opens). */
  sendFrame (peer: PeerState, frame: Uint8Array): boolean {
    if (peer.stream == null || !peer.helloSent) {
      if (peer.pending.length >= MAX_PENDING_FRAMES) { this.metrics?.dropped.increment(); return false }
      peer.pending.push(frame)
      return true
    }
    this.metrics?.rpcSent.increment()
    return peer.stream.push(frame)
  }

  #maybeSendTestExtension (peer: PeerState): void {
    if (!this.config.testExtension || peer.testExtensionSent || peer.extensions?.testExtension !== true || !peer.helloSent) return
    if (!supportsExtensions(peer.protocol)) return
    peer.testExtensionSent = true
    this.sendRpc(peer, { subscriptions: [], messages: [], testExtension: {} })
  }

  // ---- inbound RPCs ----

  /** Handles one decoded RPC from `peer` (public for tests). */
  handleRpc (peer: PeerState, rpc: RPC): void {
    // v1.1 "Score Thresholds": all RPCs of a graylisted peer are ignored (direct peers are always accepted)
    if (!this.direct.has(peer.key) && this.score.score(peer.key) < this.config.scoreThresholds.graylistThreshold) {
      this.metrics?.graylisted.increment()
      return
    }
    if (rpc.subscriptions.length > 0) this.#handleSubscriptions(peer, rpc)
    for (const message of rpc.messages) this.publisher.handleMessage(peer, message)
    if (rpc.control != null) this.#handleControlEnvelope(peer, rpc.control)
    if (rpc.testExtension != null) peer.testExtensionReceived = true
  }

  #handleControlEnvelope (peer: PeerState, control: ControlMessage): void {
    if (control.extensions != null) {
      if (peer.extensions != null) {
        // v1.3: "An Extensions control message MUST NOT be sent more than once"
        this.score.addPenalty(peer.key, 1)
      } else {
        peer.extensions = { ...control.extensions }
        this.#maybeSendTestExtension(peer)
      }
    }
    if (supportsMesh(peer.protocol) || peer.protocol === '') handleControl(this, peer, control)
  }

  #handleSubscriptions (peer: PeerState, rpc: RPC): void {
    const changes: Array<{ topic: string, subscribe: boolean }> = []
    for (const sub of rpc.subscriptions) {
      const topic = sub.topic
      if (topic == null) continue
      if (sub.subscribe === true) {
        if (peer.topics.has(topic)) continue
        if (peer.topics.size >= MAX_TOPICS_PER_PEER) continue
        peer.topics.add(topic)
        let peers = this.topics.get(topic)
        if (peers == null) { peers = new Set(); this.topics.set(topic, peers) }
        peers.add(peer.key)
      } else {
        if (!peer.topics.delete(topic)) continue
        this.#forgetSubscriber(topic, peer.key)
        if (this.mesh.get(topic)?.delete(peer.key) === true) {
          this.score.prune(peer.key, topic)
          this.safeDispatchEvent('gossipsub:prune', { detail: { peerId: peer.id, topic, direction: 'inbound' } })
        }
        this.fanout.get(topic)?.delete(peer.key)
      }
      changes.push({ topic, subscribe: sub.subscribe === true })
    }
    if (changes.length > 0) this.safeDispatchEvent('subscription-change', { detail: { peerId: peer.id, subscriptions: changes } })
  }

  /** Drops a peer from a topic's subscribers, and the topic when nobody is left (bounds the map). */
  #forgetSubscriber (topic: string, key: string): void {
    const peers = this.topics.get(topic)
    if (peers == null) return
    peers.delete(key)
    if (peers.size === 0) this.topics.delete(topic)
  }

  // ---- subscriptions ----

  getPeers (): PeerId[] {
    return [...this.peers.values()].map(p => p.id)
  }

  getTopics (): string[] {
    return [...this.subscriptions]
  }

  getSubscribers (topic: string): PeerId[] {
    const out: PeerId[] = []
    for (const key of this.topics.get(topic) ?? []) {
      const peer = this.peers.get(key)
      if (peer != null) out.push(peer.id)
    }
    return out
  }

  getMeshPeers (topic: string): PeerId[] {
    return [...this.mesh.get(topic) ?? []].map(k => this.peers.get(k)?.id).filter((p): p is PeerId => p != null)
  }

  getScore (peerId: PeerId | string): number {
    return this.score.score(peerId.toString())
  }

  getPeerExtensions (peerId: PeerId): PeerExtensions | undefined {
    const peer = this.peers.get(peerId.toString())
    if (peer == null) return undefined
    return { protocol: peer.protocol, extensions: peer.extensions, testExtensionReceived: peer.testExtensionReceived }
  }

  subscribe (topic: string): void {
    if (!this.#running) throw new PubSubNotStartedError('gossipsub is not started')
    if (this.subscriptions.has(topic)) return
    this.subscriptions.add(topic)
    for (const peer of this.peers.values()) this.sendRpc(peer, { subscriptions: [{ topic, subscribe: true }], messages: [] })
    this.#join(topic)
  }

  /** v1.0 "JOIN(topic)": take up to D fanout peers, fill the rest from the topic's peers, GRAFT them all. */
  #join (topic: string): void {
    if (this.mesh.has(topic)) return
    const mesh = new Set<string>()
    const score = (p: string): number => this.score.score(p)
    const eligible = (p: string): boolean => {
      const peer = this.peers.get(p)
      return peer != null && supportsMesh(peer.protocol) && !this.direct.has(p) && !this.backoff.isBackoff(topic, p) && score(p) >= 0
    }
    for (const p of this.fanout.get(topic) ?? []) if (mesh.size < this.config.D && eligible(p)) mesh.add(p)
    this.fanout.delete(topic)
    this.fanoutLastPub.delete(topic)
    const more = [...this.topics.get(topic) ?? []].filter(p => !mesh.has(p) && eligible(p))
    for (const p of shuffleInPlace(more, this.config.random)) {
      if (mesh.size >= this.config.D) break
      mesh.add(p)
    }
    this.mesh.set(topic, mesh)
    for (const p of mesh) this.#graftOut(p, topic)
  }

  #graftOut (key: string, topic: string): void {
    const peer = this.peers.get(key)
    if (peer == null) return
    this.score.graft(key, topic)
    this.sendRpc(peer, { subscriptions: [], messages: [], control: { graft: [{ topicID: topic }] } })
    this.safeDispatchEvent('gossipsub:graft', { detail: { peerId: peer.id, topic, direction: 'outbound' } })
  }

  unsubscribe (topic: string): void {
    if (!this.subscriptions.delete(topic)) return
    for (const peer of this.peers.values()) this.sendRpc(peer, { subscriptions: [{ topic, subscribe: false }], messages: [] })
    // v1.0 "LEAVE(topic)": PRUNE every mesh peer, v1.1: with the (shorter) unsubscribe backoff
    const mesh = this.mesh.get(topic)
    this.mesh.delete(topic)
    if (mesh == null) return
    const prunes = new Map<string, string[]>([...mesh].map(p => [p, [topic]]))
    for (const p of mesh) {
      this.score.prune(p, topic)
      this.backoff.add(topic, p, this.config.unsubscribeBackoff)
      const peer = this.peers.get(p)
      if (peer != null) this.safeDispatchEvent('gossipsub:prune', { detail: { peerId: peer.id, topic, direction: 'outbound' } })
    }
    void makeGraftPruneRpcs(this, new Map(), prunes, new Set(), this.config.unsubscribeBackoff)
      .then(rpcs => { for (const [p, rpc] of rpcs) { const peer = this.peers.get(p); if (peer != null) this.sendRpc(peer, rpc) } })
      .catch(err => { this.log('could not send PRUNEs for %s - %e', topic, err) })
  }

  // ---- publishing (publish.ts) ----

  async publish (topic: string, data: Uint8Array = new Uint8Array(0)): Promise<PublishResult> {
    if (!this.#running) throw new PubSubNotStartedError('gossipsub is not started')
    return await this.publisher.publish(topic, data)
  }

  async publishBatch (messages: Array<{ topic: string, data: Uint8Array }>): Promise<PublishResult[]> {
    if (!this.#running) throw new PubSubNotStartedError('gossipsub is not started')
    return await this.publisher.publishBatch(messages)
  }

  // ---- heartbeat ----

  #runHeartbeat (): void {
    if (!this.#running) return
    const started = Date.now()
    this.#heartbeatRunning = this.heartbeat()
      .catch(err => { this.log.error('heartbeat failed - %e', err) })
      .finally(() => {
        if (!this.#running) return
        const elapsed = Date.now() - started
        this.#heartbeatTimer = setTimeout(() => { this.#runHeartbeat() }, Math.max(0, this.config.heartbeatInterval - elapsed))
      })
  }

  /** One heartbeat: promises, IDONTWANT expiry, mesh and fanout maintenance, gossip, mcache shift. */
  async heartbeat (): Promise<void> {
    const c = this.config
    this.tick++
    this.ihaveLimits.clear()
    // v1.1: a broken IWANT promise is a P₇ penalty
    for (const [peer, count] of this.promises.takeBroken()) {
      this.score.addPenalty(peer, count)
      this.metrics?.brokenPromises.increment(count)
    }
    for (const peer of this.peers.values()) {
      peer.idontwantThisHeartbeat = 0
      for (const [id, tick] of peer.idontwant) {
        if (tick + IDONTWANT_TTL_HEARTBEATS <= this.tick) peer.idontwant.delete(id)
        else break
      }
    }
    const state: MeshState = {
      mesh: this.mesh,
      fanout: this.fanout,
      fanoutLastPub: this.fanoutLastPub,
      topicPeers: this.topics,
      direct: this.direct,
      canMesh: (p) => supportsMesh(this.peers.get(p)?.protocol ?? ''),
      isOutbound: (p) => this.peers.get(p)?.outbound === true,
      score: (p) => this.score.score(p),
      isBackoff: (topic, p) => this.backoff.isBackoff(topic, p)
    }
    const changes = maintainMesh(state, c, c.scoreThresholds, { now: Date.now(), tick: this.tick, random: c.random })
    for (const [p, topics] of changes.toGraft) {
      const peer = this.peers.get(p)
      for (const topic of topics) {
        this.score.graft(p, topic)
        if (peer != null) this.safeDispatchEvent('gossipsub:graft', { detail: { peerId: peer.id, topic, direction: 'outbound' } })
      }
    }
    for (const [p, topics] of changes.toPrune) {
      const peer = this.peers.get(p)
      for (const topic of topics) {
        this.score.prune(p, topic)
        this.backoff.add(topic, p, c.pruneBackoff)
        if (peer != null) this.safeDispatchEvent('gossipsub:prune', { detail: { peerId: peer.id, topic, direction: 'outbound' } })
      }
    }
    const rpcs = await makeGraftPruneRpcs(this, changes.toGraft, changes.toPrune, changes.noPX, c.pruneBackoff)
    this.#emitGossip(rpcs)
    for (const [p, rpc] of rpcs) {
      const peer = this.peers.get(p)
      if (peer != null) this.sendRpc(peer, rpc)
    }
    this.mcache.shift()
    if (this.tick % 15 === 0) this.backoff.clearExpired(2 * c.heartbeatInterval)
    if (this.tick % c.directConnectTicks === 0) this.publisher.connectDirect()
    this.metrics?.onHeartbeat()
    this.safeDispatchEvent('gossipsub:heartbeat')
  }

  /** v1.0 gossip emission with v1.1 adaptive dissemination, merged into the heartbeat's RPCs. */
  #emitGossip (rpcs: Map<string, RPC>): void {
    const c = this.config
    const topics = new Set([...this.mesh.keys(), ...this.fanout.keys()])
    const byTopic = this.mcache.getGossipIDsByTopic(topics)
    for (const [topic, ids] of byTopic) {
      const excluded = this.mesh.get(topic) ?? this.fanout.get(topic) ?? new Set()
      const targets = selectGossipPeers(this.topics.get(topic) ?? [], (p) => {
        if (excluded.has(p) || this.direct.has(p)) return true
        const peer = this.peers.get(p)
        return peer == null || !supportsMesh(peer.protocol) || this.score.score(p) < c.scoreThresholds.gossipThreshold
      }, c, c.random)
      for (const p of targets) {
        const messageIDs = gossipIds(ids, c.maxIHaveLength, c.random).map(id => fromKey(id))
        let rpc = rpcs.get(p)
        if (rpc == null) { rpc = { subscriptions: [], messages: [] }; rpcs.set(p, rpc) }
        rpc.control ??= {}
        rpc.control.ihave ??= []
        rpc.control.ihave.push({ topicID: topic, messageIDs })
      }
    }
  }
}

/** The bytes of a msgIdKey (latin1 string, as @ts-libp2p/pubsub keys ids). */
export function fromKey (key: string): Uint8Array {
  const out = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) out[i] = key.charCodeAt(i)
  return out
}

export function shuffleInPlace<T> (items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = items[i]; items[i] = items[j]; items[j] = t
  }
  return items
}

/** The IP addresses of a connection's remote address (none for memory and relayed connections). */
function ipsOf (connection: Connection): string[] {
  try {
    const components = connection.remoteAddr.getComponents()
    return components.filter(c => c.name === 'ip4' || c.name === 'ip6').map(c => c.value ?? '').filter(v => v !== '')
  } catch {
    return []
  }
}
