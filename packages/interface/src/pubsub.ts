/**
 * The PubSub role: topic-based publish/subscribe over libp2p
 * ([spec](https://github.com/libp2p/specs/blob/master/pubsub/README.md)).
 *
 * `@libp2p/interface` v3 no longer carries these types; the official
 * `@libp2p/floodsub` and `@libp2p/gossipsub` each define them. The shapes
 * here match theirs structurally (same member names, same event names, same
 * string values for the policy constants and validator results), so a
 * router of ours can stand in where an official one is expected and the
 * other way round.
 */
import type { PublicKey } from './keys.js'
import type { PeerId } from './peer-id.js'
import type { TypedEventTarget } from 'main-event'

/**
 * Routers set this symbol to `true` so {@link isPubSub} recognises them. It
 * is registered with `Symbol.for()` under the key the official pubsub
 * packages use.
 */
export const pubSubSymbol = Symbol.for('@libp2p/pubsub')

/**
 * Sign every message we publish (origin-stamped with `from` and `seqno`),
 * and accept only messages carrying a valid signature, `from`, `seqno` and
 * (unless the key is inlined in `from`) `key` (pubsub/README.md, "StrictSign").
 */
export const StrictSign = 'StrictSign'

/**
 * Publish without `from`, `seqno`, `signature` and `key` (the fields are
 * absent from the wire, not empty), and reject messages that carry any of
 * them (pubsub/README.md, "StrictNoSign").
 */
export const StrictNoSign = 'StrictNoSign'

/** The two deterministic signature policies of the spec. */
export type SignaturePolicy = typeof StrictSign | typeof StrictNoSign

/** What a topic validator decides about a message. */
export enum TopicValidatorResult {
  /** Valid: deliver it locally and forward it. */
  Accept = 'accept',
  /** Neither deliver nor forward it, and do not penalise the sender. */
  Ignore = 'ignore',
  /** Invalid: drop it, and routers with scoring penalise the sender. */
  Reject = 'reject'
}

/** A message published under {@link StrictSign}. */
export interface SignedMessage {
  type: 'signed'
  /** The author (not the peer that relayed it). */
  from: PeerId
  topic: string
  data: Uint8Array
  /** The author's 64-bit sequence number, big-endian on the wire. */
  sequenceNumber: bigint
  signature: Uint8Array
  /** The author's public key (inlined in `from` or carried in `key`). */
  key: PublicKey
}

/** A message published under {@link StrictNoSign}: no author, no seqno. */
export interface UnsignedMessage {
  type: 'unsigned'
  topic: string
  data: Uint8Array
}

/** A pubsub message as delivered to the application. */
export type Message = SignedMessage | UnsignedMessage

/** The outcome of {@link PubSub.publish}. */
export interface PublishResult {
  /** The peers the message was sent to. */
  recipients: PeerId[]
}

/** One topic a peer joined (`subscribe: true`) or left. */
export interface Subscription {
  topic: string
  subscribe: boolean
}

/** The detail of a `subscription-change` event. */
export interface SubscriptionChangeData {
  peerId: PeerId
  subscriptions: Subscription[]
}

/**
 * Decides whether a message received from `peer` (the peer that relayed it
 * to us) is delivered and forwarded. A validator that throws counts as
 * {@link TopicValidatorResult.Reject}.
 */
export interface TopicValidatorFn {
  (peer: PeerId, message: Message): TopicValidatorResult | Promise<TopicValidatorResult>
}

/** The events every PubSub router emits. */
export interface PubSubEvents {
  /** A remote peer changed its subscriptions. */
  'subscription-change': CustomEvent<SubscriptionChangeData>
  /** A valid message arrived on a topic we are subscribed to. */
  message: CustomEvent<Message>
}

/**
 * A PubSub router (floodsub, gossipsub...). Routers may emit more events
 * than {@link PubSubEvents}; they widen `Events`. The protocol ids are not
 * part of the role: the official floodsub exposes `protocol`, gossipsub
 * `protocols`.
 */
export interface PubSub<Events extends PubSubEvents = PubSubEvents> extends TypedEventTarget<Events> {
  /** Whether we sign what we publish and require signatures on what we receive. */
  globalSignaturePolicy: SignaturePolicy

  /**
   * Validators per topic, run on every message received on that topic
   * before it is delivered or forwarded.
   */
  topicValidators: Map<string, TopicValidatorFn>

  /** The peers we have a pubsub stream with. */
  getPeers(): PeerId[]

  /** The topics we are subscribed to. */
  getTopics(): string[]

  /** Joins `topic`: we announce it to our peers and deliver its messages. */
  subscribe(topic: string): void

  /** Leaves `topic`. */
  unsubscribe(topic: string): void

  /** The peers we know to be subscribed to `topic`. */
  getSubscribers(topic: string): PeerId[]

  /** Publishes `data` on `topic` and resolves with the peers it was sent to. */
  publish(topic: string, data?: Uint8Array): Promise<PublishResult>
}

/** True when `obj` is a PubSub router (it carries {@link pubSubSymbol}). */
export function isPubSub (obj?: any): obj is PubSub {
  return obj?.[pubSubSymbol] === true
}
