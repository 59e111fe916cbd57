/**
 * @packageDocumentation
 *
 * The protocol-agnostic part of libp2p pubsub
 * ([spec](https://github.com/libp2p/specs/blob/master/pubsub/README.md)),
 * shared by `@ts-libp2p/floodsub` and `@ts-libp2p/gossipsub`:
 *
 * - the RPC codec ({@link encodeRpc}, {@link encodeRpcFrame},
 *   {@link decodeRpc}): subscriptions, messages and every gossipsub control
 *   message up to v1.3 (IHAVE, IWANT, GRAFT, PRUNE with peer exchange and
 *   backoff, IDONTWANT, extensions and the test extension); strict decoding
 *   with typed errors and per-RPC limits;
 * - message building and signing under StrictSign / StrictNoSign
 *   ({@link buildMessage}, {@link inspectMessage}, {@link verifySignature}),
 *   sequence numbers and the default message ids;
 * - the validation pipeline ({@link validateMessage}) returning a typed
 *   outcome (accept / reject / ignore with a reason);
 * - {@link PeerStreams}: one long-lived outbound stream per peer with a
 *   bounded, backpressure-aware queue, and an inbound frame reader with
 *   limits; {@link SeenCache}, a bounded TTL cache of message ids;
 * - {@link PubSubBase}, the abstract router: lifecycle, topology and
 *   handler registration, subscription tracking and announcement,
 *   `subscription-change` events.
 *
 * @example
 *
 * ```TypeScript
 * import { generateKeyPair } from '@ts-libp2p/crypto'
 * import { StrictSign } from '@ts-libp2p/interface'
 * import { buildMessage, encodeRpc, decodeRpc, checkSignaturePolicy } from '@ts-libp2p/pubsub'
 *
 * const key = await generateKeyPair('Ed25519')
 * const message = await buildMessage({ policy: StrictSign, topic: 'fruit', data: new TextEncoder().encode('banana'), privateKey: key })
 * const bytes = encodeRpc({ subscriptions: [], messages: [message] })
 * const decoded = decodeRpc(bytes)
 * const check = await checkSignaturePolicy(decoded.messages[0], StrictSign) // { valid: true, message: { type: 'signed', ... } }
 * ```
 */

export * from './constants.js'
export * from './errors.js'
export { encodeRpc, encodeRpcFrame, encodeMessage, encodeSignable, rpcSize, messageSize, controlSize, varintSize, utf8Size, FIELD_TEST_EXTENSION } from './pb/rpc.js'
export type { RPC, RPCSubOpts, RPCMessage, ControlMessage, ControlIHave, ControlIWant, ControlGraft, ControlPrune, ControlIDontWant, ControlExtensions, PeerInfo, TestExtension } from './pb/rpc.js'
export { decodeRpc, defaultDecodeRpcLimits, signableFromRaw } from './pb/decode.js'
export type { DecodeRpcLimits } from './pb/decode.js'
export { buildMessage, inspectMessage, verifySignature, checkSignaturePolicy, SeqnoGenerator, seqnoToBytes, seqnoFromBytes } from './sign.js'
export type { BuildMessageOptions, MessageInspection, SignatureFailure } from './sign.js'
export { defaultMsgIdFn, msgIdFromSeqno, msgIdFromData, msgIdToKey, msgIdFromKey } from './message-id.js'
export type { MsgIdFn } from './message-id.js'
export { validateMessage } from './validate.js'
export type { ValidateMessageOptions, ValidationOutcome, RejectReason, IgnoreReason } from './validate.js'
export { PeerStreams } from './peer-streams.js'
export type { PeerStreamsInit, PeerStreamsHandlers, OverflowPolicy } from './peer-streams.js'
export { SeenCache } from './seen-cache.js'
export type { SeenCacheInit } from './seen-cache.js'
export { PubSubBase, PubSubPeer, checkTopic } from './pubsub-base.js'
export type { PubSubComponents, PubSubBaseInit, AcceptedOutcome } from './pubsub-base.js'
export {
  StrictSign, StrictNoSign, TopicValidatorResult, pubSubSymbol, isPubSub
} from '@ts-libp2p/interface'
export type {
  PubSub, PubSubEvents, Message, SignedMessage, UnsignedMessage, PublishResult, Subscription, SubscriptionChangeData,
  TopicValidatorFn, SignaturePolicy
} from '@ts-libp2p/interface'
