/**
 * @packageDocumentation
 *
 * Floodsub, `/floodsub/1.0.0`: the baseline libp2p pubsub router
 * ([spec](https://github.com/libp2p/specs/blob/master/pubsub/README.md)).
 * Every valid message is flooded to every peer subscribed to its topic,
 * except the peer it came from and its author; a seen cache drops
 * duplicates. Simple and robust for small networks; it amplifies traffic in
 * proportion to the number of links, so large networks use gossipsub (which
 * also speaks floodsub with floodsub peers).
 *
 * Built on `@ts-libp2p/pubsub` (codec, signing, validation, streams).
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { floodsub } from '@ts-libp2p/floodsub'
 * import { identify } from '@ts-libp2p/identify'
 *
 * const node = await createLibp2p({ ..., services: { identify: identify(), pubsub: floodsub() } })
 * node.services.pubsub.subscribe('fruit')
 * node.services.pubsub.addEventListener('message', (evt) => { console.log(evt.detail.data) })
 * await node.services.pubsub.publish('fruit', new TextEncoder().encode('banana'))
 * ```
 */

import { FloodSubRouter } from './floodsub.js'
import type { PubSub } from '@ts-libp2p/interface'
import type { PubSubBaseInit, PubSubComponents } from '@ts-libp2p/pubsub'

export { PROTOCOL, MAX_PENDING_VALIDATIONS, SEEN_TTL } from './constants.js'
export { StrictSign, StrictNoSign, TopicValidatorResult } from '@ts-libp2p/interface'
export type { Message, SignedMessage, UnsignedMessage, PublishResult, SubscriptionChangeData, TopicValidatorFn, SignaturePolicy, PubSubEvents } from '@ts-libp2p/interface'

/** The floodsub service: the PubSub role plus its protocol id. */
export interface FloodSub extends PubSub {
  /** The protocol id, `/floodsub/1.0.0` unless overridden. */
  readonly protocol: string
}

/** What floodsub needs from the node. */
export type FloodSubComponents = PubSubComponents

/**
 * Options of floodsub: those of every router (signature policy, limits,
 * emitSelf...) plus a few of its own.
 */
export interface FloodSubInit extends PubSubBaseInit {
  /** The protocol to register. Default `/floodsub/1.0.0`. */
  protocol?: string
  /** Forward messages on topics we are not subscribed to. Default true (as go and the official js floodsub). */
  canRelayMessage?: boolean
  /** Milliseconds a message id stays in the seen cache. Default 120 000. */
  seenTTL?: number
  /** Received messages validated at once; more are dropped. Default 1024. */
  maxPendingValidations?: number
}

/** Creates the floodsub service for a node's `services`. */
export function floodsub (init: FloodSubInit = {}): (components: FloodSubComponents) => FloodSub {
  return (components) => new FloodSubRouter(components, init)
}
