/**
 * @packageDocumentation
 *
 * Gossipsub, the libp2p mesh pubsub router
 * ([v1.0](https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.0.md),
 * [v1.1](https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md),
 * [v1.2](https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.2.md),
 * [v1.3](https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.3.md)).
 * It speaks `/meshsub/1.3.0` down to `/meshsub/1.0.0` and floods to
 * `/floodsub/1.0.0` peers, negotiating the highest version per peer:
 * IDONTWANT goes only to peers on 1.2 or later, the extensions control
 * message only to 1.3 peers, PRUNE backoff and peer exchange only to 1.1 or
 * later.
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { gossipsub } from '@ts-libp2p/gossipsub'
 *
 * const node = await createLibp2p({ ..., services: { identify: identify(), pubsub: gossipsub() } })
 * node.services.pubsub.subscribe('news')
 * node.services.pubsub.addEventListener('message', (evt) => { console.log(evt.detail.topic, evt.detail.data) })
 * await node.services.pubsub.publish('news', new TextEncoder().encode('hello'))
 * ```
 */

import { GossipSub } from './gossipsub.js'
import type { PeerScoreParams, PeerScoreThresholds, TopicScoreParams } from './score/params.js'
import type { ComponentLogger, MemoryScope, Message, Metrics, PeerId, PeerStore, PrivateKey, PubSub, PubSubEvents, SignaturePolicy } from '@ts-libp2p/interface'
import type { ConnectionManager, Registrar } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { MsgIdFn } from '@ts-libp2p/pubsub'

export * from './constants.js'
export { InvalidScoreParamsError, InvalidGossipsubParamsError, PublishError, InvalidRPCError } from './errors.js'
export { createPeerScoreParams, createPeerScoreThresholds, defaultPeerScoreParams, defaultPeerScoreThresholds, defaultTopicScoreParams, validatePeerScoreParams, validatePeerScoreThresholds, validateTopicScoreParams } from './score/params.js'
export type { PeerScoreParams, PeerScoreThresholds, TopicScoreParams }
export { StrictSign, StrictNoSign, TopicValidatorResult } from '@ts-libp2p/interface'

/** A peer we keep an explicit peering agreement with (v1.1 "Explicit Peering Agreements"). */
export interface DirectPeer {
  id: PeerId
  addrs?: Multiaddr[]
}

/** Options of the gossipsub service; every number has the spec's default (see constants.ts). */
export interface GossipsubOptions {
  /** Mesh degree `D` (6), `D_lo` (5), `D_hi` (12), `D_lazy` (6), `D_score` (4), `D_out` (2). */
  D?: number
  Dlo?: number
  Dhi?: number
  Dlazy?: number
  Dscore?: number
  Dout?: number
  /** Heartbeat interval in ms (1000). */
  heartbeatInterval?: number
  /** Fanout TTL in ms (60 000). */
  fanoutTTL?: number
  /** `mcache_len` (5) and `mcache_gossip` (3). */
  mcacheLength?: number
  mcacheGossip?: number
  /** `seen_ttl` in ms (120 000). */
  seenTTL?: number
  /** PRUNE backoff (60 000 ms) and unsubscribe backoff (10 000 ms). */
  pruneBackoff?: number
  unsubscribeBackoff?: number
  /** Gossip factor (0.25). */
  gossipFactor?: number
  /** Publish our own messages to every peer of the topic above the publish threshold (true). */
  floodPublish?: boolean
  /** Send peer exchange in PRUNEs (true) . */
  doPX?: boolean
  /** Explicit peers: always forwarded to, never meshed, RPCs always accepted. */
  directPeers?: DirectPeer[]
  /** Heartbeats between reconnection attempts to direct peers (300). */
  directConnectTicks?: number
  /** Opportunistic grafting every N heartbeats (60), grafting M peers (2). */
  opportunisticGraftTicks?: number
  opportunisticGraftPeers?: number
  /** IWANT answers of one message to one peer (3). */
  gossipRetransmission?: number
  /** IHAVE limits per heartbeat: ids (5000) and messages (10). */
  maxIHaveLength?: number
  maxIHaveMessages?: number
  /** IWANT promise follow-up time in ms (3000). */
  iwantFollowupTime?: number
  /** A GRAFT within this time of our PRUNE is penalised twice (10 000 ms). */
  graftFloodThreshold?: number
  /** Messages larger than this (bytes) trigger IDONTWANT to mesh peers (1024); Infinity disables. */
  idontwantMessageThreshold?: number
  /** IDONTWANT ids honoured per peer per heartbeat (1000). */
  maxIDontWantMessages?: number
  /** Advertise and send the v1.3 test extension (true). */
  testExtension?: boolean
  /** Signature policy (StrictSign). */
  globalSignaturePolicy?: SignaturePolicy
  /** Message id function (author + seqno when signed, sha256(data) otherwise). */
  msgIdFn?: MsgIdFn
  /** Largest RPC frame read, in bytes (1 MiB). */
  maxRpcSize?: number
  /** Deliver our own published messages to our `message` listeners (false). */
  emitSelf?: boolean
  /** Resolve publish() with no recipients instead of throwing PublishError (false). */
  allowPublishToZeroTopicPeers?: boolean
  /** Peer scoring (v1.1): parameters and thresholds; defaults score no topic. */
  scoreParams?: Partial<Omit<PeerScoreParams, 'topics'>> & { topics?: Record<string, Partial<TopicScoreParams>> }
  scoreThresholds?: Partial<PeerScoreThresholds>
  /** Protocols to offer, preferred first (all of PROTOCOLS). */
  protocols?: string[]
  /** Speak to `/floodsub/1.0.0` peers (true). */
  fallbackToFloodsub?: boolean
  /** Bytes of RPC frames that may queue per peer while its stream is busy (4 MiB). */
  maxOutboundQueueBytes?: number
  /** Messages being validated at once; more are dropped without penalty (1024). */
  maxValidationsInFlight?: number
  /** Random source, for tests (Math.random). */
  random?: () => number
}

/** The detail of `gossipsub:graft` and `gossipsub:prune`. */
export interface MeshPeerEvent {
  peerId: PeerId
  topic: string
  /** `inbound`: the peer sent the GRAFT/PRUNE; `outbound`: we did. */
  direction: 'inbound' | 'outbound'
}

/** The detail of `gossipsub:message`: every validated message, with who relayed it. */
export interface GossipsubMessageDetail {
  propagationSource: PeerId
  msgId: string
  msg: Message
}

/** Events of the gossipsub service. */
export interface GossipsubEvents extends PubSubEvents {
  'gossipsub:graft': CustomEvent<MeshPeerEvent>
  'gossipsub:prune': CustomEvent<MeshPeerEvent>
  'gossipsub:message': CustomEvent<GossipsubMessageDetail>
  'gossipsub:heartbeat': CustomEvent<void>
}

/** What the v1.3 extensions exchange told us about a peer. */
export interface PeerExtensions {
  /** The protocol our stream to it negotiated. */
  protocol: string
  /** The extensions it advertised in its first RPC (undefined if none). */
  extensions?: { testExtension?: boolean }
  /** It sent us the TestExtension message. */
  testExtensionReceived: boolean
}

/** The gossipsub service. */
export interface Gossipsub extends PubSub<GossipsubEvents> {
  /** Our mesh peers for `topic` (or of all topics). */
  getMeshPeers(topic: string): PeerId[]
  /** The score of a peer (0 for unknown). */
  getScore(peerId: PeerId | string): number
  /** Publishes several messages, interleaving their first transmissions across peers. */
  publishBatch(messages: Array<{ topic: string, data: Uint8Array }>): Promise<Array<{ recipients: PeerId[] }>>
  /** What a peer told us in the v1.3 extensions exchange. */
  getPeerExtensions(peerId: PeerId): PeerExtensions | undefined
  /** Runs one heartbeat now (tests, simulations). */
  heartbeat(): Promise<void>
}

/** What the gossipsub service needs from the node. */
export interface GossipsubComponents {
  peerId: PeerId
  privateKey: PrivateKey
  registrar: Pick<Registrar, 'handle' | 'unhandle' | 'register' | 'unregister'>
  connectionManager: Pick<ConnectionManager, 'openConnection' | 'getConnections'>
  peerStore: Pick<PeerStore, 'get' | 'merge' | 'consumePeerRecord'>
  logger: ComponentLogger
  metrics?: Metrics
  /** When the node has one: the RPC frames queued for slow peers are charged to its `gossipsub` service scope. */
  resourceManager?: { serviceScope(name: string): MemoryScope }
}

/** Creates the gossipsub service for a node's `services`. */
export function gossipsub (init: GossipsubOptions = {}): (components: GossipsubComponents) => Gossipsub {
  return (components) => new GossipSub(components, init)
}
