/**
 * What every pubsub router shares: protocol handling and topology
 * registration, one {@link PeerStreams} per peer, subscription tracking
 * (ours and each peer's), the subscription announcement on connect,
 * `subscription-change` events, RPC decoding with limits, message building
 * and the validation pipeline with a seen cache. Routers (floodsub,
 * gossipsub) extend it and implement {@link PubSubBase.handleRpc} and
 * {@link PubSubBase.publish}.
 */
import { InvalidParametersError, StrictSign, TypedEventEmitter, pubSubSymbol, serviceCapabilities, serviceDependencies, setMaxListeners } from '@ts-libp2p/interface'
import { MAX_INBOUND_STREAMS, MAX_OUTBOUND_QUEUE_BYTES, MAX_OUTBOUND_STREAMS, MAX_RPC_SIZE, MAX_TOPIC_LENGTH, MAX_TOPICS_PER_PEER, OPEN_STREAM_TIMEOUT } from './constants.js'
import { InvalidTopicError, PubSubNotStartedError } from './errors.js'
import { defaultMsgIdFn } from './message-id.js'
import { decodeRpc, defaultDecodeRpcLimits } from './pb/decode.js'
import { encodeRpcFrame } from './pb/rpc.js'
import { PeerStreams } from './peer-streams.js'
import { anySignal } from '@ts-libp2p/utils'
import { SeenCache } from './seen-cache.js'
import { SeqnoGenerator, buildMessage } from './sign.js'
import { validateMessage } from './validate.js'
import type { MsgIdFn } from './message-id.js'
import type { DecodeRpcLimits } from './pb/decode.js'
import type { RPC, RPCMessage, RPCSubOpts } from './pb/rpc.js'
import type { OverflowPolicy } from './peer-streams.js'
import type { ValidationOutcome } from './validate.js'
import type {
  ComponentLogger, Connection, Logger, PeerId, PrivateKey, PubSub, PubSubEvents, PublishResult, SignaturePolicy,
  Startable, Stream, TopicValidatorFn, TopicValidatorResult
} from '@ts-libp2p/interface'
import type { Registrar } from '@ts-libp2p/interface-internal'

/** A validation outcome that accepted the message. */
export type AcceptedOutcome = Extract<ValidationOutcome, { result: TopicValidatorResult.Accept }>

/** What a router needs from the node. */
export interface PubSubComponents {
  peerId: PeerId
  /** Signs what we publish under StrictSign. */
  privateKey: PrivateKey
  registrar: Pick<Registrar, 'handle' | 'unhandle' | 'register' | 'unregister'>
  logger: ComponentLogger
}

/** Options every router accepts. */
export interface PubSubBaseInit {
  /** StrictSign (default) or StrictNoSign, for what we publish and what we accept. */
  globalSignaturePolicy?: SignaturePolicy
  /** Also deliver our own published messages to our `message` listeners when subscribed. Default false. */
  emitSelf?: boolean
  /** Forward messages on topics we are not subscribed to. Default false. */
  canRelayMessage?: boolean
  /** Largest RPC frame read or written. Default {@link MAX_RPC_SIZE} (1 MiB). */
  maxRpcSize?: number
  /** Largest message (encoded) accepted or published. Default: `maxRpcSize`. */
  maxMessageSize?: number
  /** Per-RPC entry limits (see {@link DecodeRpcLimits}). */
  decodeRpcLimits?: Partial<DecodeRpcLimits>
  /** Bytes queued per peer while its stream is not writable. Default {@link MAX_OUTBOUND_QUEUE_BYTES}. */
  maxQueuedBytes?: number
  /** What to do when a peer's queue is full. Default `'drop'`. */
  overflow?: OverflowPolicy
  /** Milliseconds a message id stays in the seen cache. Default 120 000. */
  seenTTL?: number
  /** Message id function. Default {@link defaultMsgIdFn}. */
  msgIdFn?: MsgIdFn
  /** Inbound streams per connection and protocol. Default 2. */
  maxInboundStreams?: number
  /** Outbound streams per connection and protocol. Default 2. */
  maxOutboundStreams?: number
  /** Speak pubsub on limited (relayed) connections. Default false. */
  runOnLimitedConnection?: boolean
}

/** A peer we have pubsub streams with, as routers see it. */
export class PubSubPeer extends PeerStreams {
  /** The protocol our outbound stream negotiated (routers adapt to it, e.g. gossipsub versions). */
  protocol?: string
  /** The connection our outbound stream runs on. */
  connection?: Connection
  /** The connections we saw this peer on (closed ones are dropped when looked at). */
  readonly connections = new Set<Connection>()
  /** The topics this peer told us it is subscribed to. */
  readonly topics = new Set<string>()
}

/**
 * The shared base of pubsub routers.
 *
 * Lifecycle: `start()` registers a stream handler and a topology for every
 * protocol in `protocols`; a peer that supports one of them gets an
 * outbound stream (the first protocol it accepts wins) and, first thing on
 * it, the RPC from {@link helloRpc} (our subscriptions). Inbound frames are
 * decoded with limits (a malformed or over-limit RPC resets the stream);
 * subscriptions in them update the per-peer tracking and emit
 * `subscription-change`; then {@link handleRpc} gets the RPC.
 */
export abstract class PubSubBase<Events extends PubSubEvents = PubSubEvents> extends TypedEventEmitter<Events> implements PubSub<Events>, Startable {
  readonly [pubSubSymbol] = true
  readonly [serviceCapabilities]: string[] = ['@libp2p/pubsub']
  readonly [serviceDependencies]: string[] = ['@libp2p/identify']

  readonly protocols: string[]
  globalSignaturePolicy: SignaturePolicy
  readonly topicValidators = new Map<string, TopicValidatorFn>()

  /** Peers by peer id string. */
  protected readonly peers = new Map<string, PubSubPeer>()
  /** For each topic, the peers (id strings) subscribed to it. */
  protected readonly topics = new Map<string, Set<string>>()
  /** Our own subscriptions. */
  protected readonly subscriptions = new Set<string>()
  /** Message ids seen recently. */
  protected readonly seenCache: SeenCache
  protected readonly components: PubSubComponents
  protected readonly log: Logger
  protected readonly emitSelf: boolean
  protected readonly canRelayMessage: boolean
  protected readonly maxRpcSize: number
  protected readonly maxMessageSize: number
  protected readonly decodeLimits: DecodeRpcLimits
  protected readonly msgIdFn: MsgIdFn
  protected readonly seqno = new SeqnoGenerator()

  readonly #init: PubSubBaseInit
  #started = false
  #topologyIds: string[] = []
  /** Peers with an outbound stream being opened. */
  readonly #opening = new Set<string>()
  /** Connections on which we already retried an outbound stream. */
  readonly #retried = new WeakSet<Connection>()
  #shutdown?: AbortController

  constructor (components: PubSubComponents, protocols: string[], init: PubSubBaseInit, logName: string) {
    super()
    if (protocols.length === 0) throw new InvalidParametersError('A pubsub router needs at least one protocol')
    this.components = components
    this.protocols = protocols
    this.#init = init
    this.log = components.logger.forComponent(logName)
    this.globalSignaturePolicy = init.globalSignaturePolicy ?? StrictSign
    this.emitSelf = init.emitSelf ?? false
    this.canRelayMessage = init.canRelayMessage ?? false
    this.maxRpcSize = init.maxRpcSize ?? MAX_RPC_SIZE
    this.maxMessageSize = init.maxMessageSize ?? this.maxRpcSize
    this.decodeLimits = { ...defaultDecodeRpcLimits, ...init.decodeRpcLimits, maxRpcSize: this.maxRpcSize }
    this.msgIdFn = init.msgIdFn ?? defaultMsgIdFn
    this.seenCache = new SeenCache({ ttl: init.seenTTL })
    this.onIncomingStream = this.onIncomingStream.bind(this)
  }

  /** True between `start()` and `stop()`. */
  isStarted (): boolean {
    return this.#started
  }

  async start (): Promise<void> {
    if (this.#started) return
    this.#shutdown = new AbortController()
    // every stream being opened listens to it
    setMaxListeners(Infinity, this.#shutdown.signal)
    const { registrar } = this.components
    const options = {
      maxInboundStreams: this.#init.maxInboundStreams ?? MAX_INBOUND_STREAMS,
      maxOutboundStreams: this.#init.maxOutboundStreams ?? MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: this.#init.runOnLimitedConnection ?? false
    }
    for (const protocol of this.protocols) {
      await registrar.handle(protocol, this.onIncomingStream, options)
    }
    this.#started = true
    for (const protocol of this.protocols) {
      this.#topologyIds.push(await registrar.register(protocol, {
        notifyOnLimitedConnection: options.runOnLimitedConnection,
        onConnect: (peerId, connection) => { this.#onPeerConnected(peerId, connection) },
        onDisconnect: (peerId) => { void this.removePeer(peerId) }
      }))
    }
    this.log('started with protocols %s', this.protocols.join(', '))
  }

  async stop (): Promise<void> {
    if (!this.#started) return
    this.#started = false
    const { registrar } = this.components
    for (const id of this.#topologyIds) registrar.unregister(id)
    this.#topologyIds = []
    await Promise.all(this.protocols.map(async p => { await registrar.unhandle(p) }))
    this.#shutdown?.abort(new PubSubNotStartedError('The pubsub router stopped'))
    await Promise.all([...this.peers.values()].map(async p => { await this.removePeer(p.peerId) }))
    this.topics.clear()
    this.seenCache.clear()
    this.log('stopped')
  }

  getPeers (): PeerId[] {
    return [...this.peers.values()].map(p => p.peerId)
  }

  getTopics (): string[] {
    return [...this.subscriptions]
  }

  getSubscribers (topic: string): PeerId[] {
    const ids = this.topics.get(topic)
    if (ids == null) return []
    const out: PeerId[] = []
    for (const id of ids) {
      const peer = this.peers.get(id)
      if (peer != null) out.push(peer.peerId)
    }
    return out
  }

  subscribe (topic: string): void {
    if (!this.#started) throw new PubSubNotStartedError('Cannot subscribe before the pubsub router is started')
    checkTopic(topic)
    if (this.subscriptions.has(topic)) return
    this.subscriptions.add(topic)
    this.broadcastRpc({ subscriptions: [{ subscribe: true, topic }], messages: [] })
    this.onSubscribe(topic)
  }

  unsubscribe (topic: string): void {
    if (!this.#started) throw new PubSubNotStartedError('Cannot unsubscribe before the pubsub router is started')
    if (!this.subscriptions.delete(topic)) return
    this.broadcastRpc({ subscriptions: [{ subscribe: false, topic }], messages: [] })
    this.onUnsubscribe(topic)
  }

  /** Publishes `data` on `topic`; each router decides where it goes. */
  abstract publish (topic: string, data?: Uint8Array): Promise<PublishResult>

  /**
   * Handles one decoded RPC from `peer`, after the base has processed its
   * subscriptions. Called synchronously for each frame in order; start
   * async work (validation) without blocking the next frame.
   */
  protected abstract handleRpc (peer: PubSubPeer, rpc: RPC): void

  /** Hook: we joined `topic` (after the announcement went out). */
  protected onSubscribe (_topic: string): void {}

  /** Hook: we left `topic`. */
  protected onUnsubscribe (_topic: string): void {}

  /** Hook: a peer was added (before its outbound stream opens). */
  protected onPeerAdded (_peer: PubSubPeer): void {}

  /** Hook: a peer was removed (disconnected, or the router stopped). */
  protected onPeerRemoved (_peer: PubSubPeer): void {}

  /**
   * The first RPC sent on a new outbound stream. Default: our
   * subscriptions. Gossipsub v1.3 adds its extensions control message here
   * ("MUST be included in the first message on the stream").
   */
  protected helloRpc (_peer: PubSubPeer): RPC | undefined {
    if (this.subscriptions.size === 0) return undefined
    return { subscriptions: [...this.subscriptions].map(topic => ({ subscribe: true, topic })), messages: [] }
  }

  /** Sends `rpc` to one peer. Returns false if it was dropped (queue full, peer gone). */
  sendRpc (peer: PubSubPeer | PeerId, rpc: RPC): boolean {
    const p = 'write' in peer ? peer : this.peers.get(peer.toString())
    if (p == null) return false
    return p.write(encodeRpcFrame(rpc))
  }

  /** Sends one already-encoded frame (see `encodeRpcFrame`) to each of `peers`; returns those it was queued for. */
  sendFrame (peers: Iterable<PubSubPeer>, frame: Uint8Array): PeerId[] {
    const sent: PeerId[] = []
    for (const peer of peers) {
      if (peer.write(frame)) sent.push(peer.peerId)
    }
    return sent
  }

  /** Sends `rpc` to every peer. */
  protected broadcastRpc (rpc: RPC): void {
    if (this.peers.size === 0) return
    this.sendFrame(this.peers.values(), encodeRpcFrame(rpc))
  }

  /** The peers subscribed to `topic` (their PubSubPeer objects). */
  protected subscribersOf (topic: string): PubSubPeer[] {
    const ids = this.topics.get(topic)
    if (ids == null) return []
    const out: PubSubPeer[] = []
    for (const id of ids) {
      const peer = this.peers.get(id)
      if (peer != null) out.push(peer)
    }
    return out
  }

  /**
   * Builds the message we publish under the global signature policy (signed
   * with our key, our seqno), and marks its id seen so it is not
   * re-delivered when a peer echoes it.
   */
  protected async buildPublishedMessage (topic: string, data: Uint8Array): Promise<{ rpc: RPCMessage, outcome: ValidationOutcome }> {
    if (!this.#started) throw new PubSubNotStartedError('Cannot publish before the pubsub router is started')
    checkTopic(topic)
    const rpc = await buildMessage({
      policy: this.globalSignaturePolicy,
      topic,
      data,
      privateKey: this.components.privateKey,
      peerId: this.components.peerId,
      seqno: this.seqno
    })
    if (rpc.raw != null && rpc.raw.byteLength > this.maxMessageSize) {
      throw new InvalidParametersError(`A message of ${rpc.raw.byteLength} bytes is over the limit of ${this.maxMessageSize}`)
    }
    // our own message goes through the same pipeline minus the duplicate check, so topic validators apply to it too
    const outcome = await validateMessage(rpc, {
      policy: this.globalSignaturePolicy,
      propagationSource: this.components.peerId,
      topicValidators: this.topicValidators,
      maxMessageSize: this.maxMessageSize,
      msgIdFn: this.msgIdFn
    })
    if (outcome.msgIdKey != null) this.seenCache.add(outcome.msgIdKey)
    return { rpc, outcome }
  }

  /**
   * Runs a received message through the validation pipeline with the seen
   * cache as duplicate check: checked before the signature is verified,
   * marked once the message proved valid (so a forged copy sent first
   * cannot censor the real one; a concurrent valid copy ends as a
   * duplicate).
   */
  protected async validateReceived (peer: PubSubPeer, rpc: RPCMessage): Promise<ValidationOutcome> {
    return validateMessage(rpc, {
      policy: this.globalSignaturePolicy,
      propagationSource: peer.peerId,
      topicValidators: this.topicValidators,
      maxMessageSize: this.maxMessageSize,
      msgIdFn: this.msgIdFn,
      isDuplicate: (key) => this.seenCache.has(key),
      markSeen: (key) => this.seenCache.add(key),
      signal: this.#shutdown?.signal
    })
  }

  /** Delivers a valid message to our `message` listeners. */
  protected deliver (message: AcceptedOutcome): void {
    this.safeDispatchEvent('message', { detail: message.message } as any)
  }

  /** Adds (or returns) the peer for `peerId`. */
  protected addPeer (peerId: PeerId): PubSubPeer {
    const key = peerId.toString()
    let peer = this.peers.get(key)
    if (peer != null && !peer.closed) return peer
    peer = new PubSubPeer(peerId, {
      onFrame: (p, frame) => { this.#onFrame(p as PubSubPeer, frame) },
      onOutboundClose: (p, err) => { this.#onOutboundClose(p as PubSubPeer, err) }
    }, {
      maxRpcSize: this.maxRpcSize,
      maxQueuedBytes: this.#init.maxQueuedBytes ?? MAX_OUTBOUND_QUEUE_BYTES,
      overflow: this.#init.overflow,
      log: this.log
    })
    this.peers.set(key, peer)
    this.onPeerAdded(peer)
    return peer
  }

  /** Removes a peer: forgets its subscriptions and closes its streams (resolves once closed). */
  protected async removePeer (peerId: PeerId): Promise<void> {
    const key = peerId.toString()
    const peer = this.peers.get(key)
    if (peer == null) return
    this.peers.delete(key)
    for (const topic of peer.topics) {
      const ids = this.topics.get(topic)
      if (ids?.delete(key) === true && ids.size === 0) this.topics.delete(topic)
    }
    peer.topics.clear()
    peer.connections.clear()
    this.onPeerRemoved(peer)
    this.log('removed peer %p', peerId)
    await peer.close()
  }

  /** Handles an inbound stream of one of our protocols. */
  protected onIncomingStream (stream: Stream, connection: Connection): void {
    if (!this.#started) {
      stream.abort(new PubSubNotStartedError('The pubsub router is not started'))
      return
    }
    const peer = this.addPeer(connection.remotePeer)
    peer.connections.add(connection)
    peer.attachInbound(stream)
    // a peer that opened a stream to us speaks the protocol: make sure we can write to it
    if (peer.outbound == null) this.#openOutbound(peer, connection)
  }

  #onPeerConnected (peerId: PeerId, connection: Connection): void {
    if (!this.#started) return
    const peer = this.addPeer(peerId)
    peer.connections.add(connection)
    if (peer.outbound == null || peer.outbound.status !== 'open') this.#openOutbound(peer, connection)
  }

  #openOutbound (peer: PubSubPeer, connection: Connection): void {
    const key = peer.peerId.toString()
    if (this.#opening.has(key) || connection.status !== 'open') return
    this.#opening.add(key)
    void (async () => {
      const timeout = AbortSignal.timeout(OPEN_STREAM_TIMEOUT)
      const signal = anySignal([timeout, this.#shutdown?.signal])
      try {
        const stream = await connection.newStream(this.protocols, {
          signal,
          runOnLimitedConnection: this.#init.runOnLimitedConnection ?? false,
          maxOutboundStreams: this.#init.maxOutboundStreams ?? MAX_OUTBOUND_STREAMS
        })
        if (!this.#started || this.peers.get(key) !== peer) {
          stream.abort(new PubSubNotStartedError('The peer went away while its pubsub stream opened'))
          return
        }
        peer.protocol = stream.protocol
        const hello = this.helloRpc(peer)
        peer.connection = connection
        peer.attachOutbound(stream, hello != null ? encodeRpcFrame(hello) : undefined)
        this.log('opened %s stream to %p', stream.protocol, peer.peerId)
      } catch (err: any) {
        this.log('could not open a pubsub stream to %p - %e', peer.peerId, err)
      } finally {
        this.#opening.delete(key)
        signal.clear()
      }
    })()
  }

  #onOutboundClose (peer: PubSubPeer, err?: Error): void {
    if (!this.#started || peer.closed) return
    // go-libp2p-pubsub reopens a failed stream while the peer stays connected; we retry once per
    // connection, on the same connection if it is still open, else on another one to the peer
    let connection: Connection | undefined
    for (const c of [peer.connection, ...peer.connections]) {
      if (c == null) continue
      if (c.status !== 'open') {
        peer.connections.delete(c)
        continue
      }
      if (!this.#retried.has(c)) {
        connection = c
        break
      }
    }
    if (connection == null) return
    this.#retried.add(connection)
    this.log('outbound stream to %p closed (%s), reopening', peer.peerId, err?.message ?? 'cleanly')
    this.#openOutbound(peer, connection)
  }

  #onFrame (peer: PubSubPeer, frame: Uint8Array): void {
    // throws InvalidRpcError / RpcLimitExceededError: PeerStreams resets the inbound stream
    const rpc = decodeRpc(frame, this.decodeLimits)
    if (rpc.subscriptions.length > 0) this.#handleSubscriptions(peer, rpc.subscriptions)
    this.handleRpc(peer, rpc)
  }

  #handleSubscriptions (peer: PubSubPeer, subs: RPCSubOpts[]): void {
    const key = peer.peerId.toString()
    const changes: Array<{ topic: string, subscribe: boolean }> = []
    for (const sub of subs) {
      const topic = sub.topic
      if (topic == null || topic.length === 0 || topic.length > MAX_TOPIC_LENGTH) continue
      const subscribe = sub.subscribe === true
      let ids = this.topics.get(topic)
      if (subscribe) {
        if (peer.topics.has(topic)) continue
        if (peer.topics.size >= MAX_TOPICS_PER_PEER) continue
        peer.topics.add(topic)
        if (ids == null) {
          ids = new Set()
          this.topics.set(topic, ids)
        }
        ids.add(key)
      } else {
        if (!peer.topics.delete(topic)) continue
        if (ids?.delete(key) === true && ids.size === 0) this.topics.delete(topic)
      }
      changes.push({ topic, subscribe })
    }
    if (changes.length > 0) {
      this.onPeerSubscriptions(peer, changes)
      this.safeDispatchEvent('subscription-change', { detail: { peerId: peer.peerId, subscriptions: changes } } as any)
    }
  }

  /** Hook: `peer` joined or left topics (called before the `subscription-change` event). */
  protected onPeerSubscriptions (_peer: PubSubPeer, _changes: Array<{ topic: string, subscribe: boolean }>): void {}
}

/** Throws InvalidTopicError for an empty or over-long topic. */
export function checkTopic (topic: string): void {
  if (typeof topic !== 'string' || topic.length === 0) throw new InvalidTopicError('A topic must be a non-empty string')
  if (topic.length > MAX_TOPIC_LENGTH) throw new InvalidTopicError(`A topic of ${topic.length} characters is over the limit of ${MAX_TOPIC_LENGTH}`)
}
