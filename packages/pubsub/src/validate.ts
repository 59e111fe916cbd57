/**
 * The validation pipeline every received message goes through before a
 * router delivers or forwards it: size, signature policy fields, message id
 * and duplicate check, signature, topic validator.
 */
import { TopicValidatorResult } from '@ts-libp2p/interface'
import { MAX_RPC_SIZE } from './constants.js'
import { defaultMsgIdFn, msgIdToKey } from './message-id.js'
import { messageSize } from './pb/rpc.js'
import { inspectMessage, verifySignature } from './sign.js'
import type { MsgIdFn } from './message-id.js'
import type { RPCMessage } from './pb/rpc.js'
import type { SignatureFailure } from './sign.js'
import type { Message, PeerId, SignaturePolicy, TopicValidatorFn } from '@ts-libp2p/interface'

/** Why a message was rejected (the sender misbehaved; scoring routers penalise it). */
export type RejectReason =
  | SignatureFailure
  | 'message-too-large'
  | 'message-id-error' // the id function threw
  | 'validator-reject' // the topic validator returned Reject
  | 'validator-error' // the topic validator threw

/** Why a message was ignored (dropped without blame). */
export type IgnoreReason =
  | 'duplicate' // already seen
  | 'validator-ignore' // the topic validator returned Ignore
  | 'aborted' // the signal fired during validation

/** What {@link validateMessage} decided. */
export type ValidationOutcome =
  | { result: TopicValidatorResult.Accept, message: Message, msgId: Uint8Array, msgIdKey: string }
  | { result: TopicValidatorResult.Reject, reason: RejectReason, message?: Message, msgId?: Uint8Array, msgIdKey?: string }
  | { result: TopicValidatorResult.Ignore, reason: IgnoreReason, message?: Message, msgId?: Uint8Array, msgIdKey?: string }

/** What {@link validateMessage} needs. */
export interface ValidateMessageOptions {
  policy: SignaturePolicy
  /** The peer that sent us the message (not necessarily its author). */
  propagationSource: PeerId
  /** Validators per topic; a topic without one accepts. */
  topicValidators?: Map<string, TopicValidatorFn>
  /** The largest message accepted, in encoded bytes. Default {@link MAX_RPC_SIZE}. */
  maxMessageSize?: number
  /** Default {@link defaultMsgIdFn}. */
  msgIdFn?: MsgIdFn
  /**
   * Called with the message id key (see {@link msgIdToKey}) before the
   * signature is verified; return true to drop the message as a duplicate
   * without paying for the verification. Only CHECK the seen cache here:
   * marking an id seen before the message proved valid would let anyone
   * censor a message by sending a forged copy (same from + seqno, bad
   * signature) first. Mark in {@link markSeen}.
   */
  isDuplicate?(msgIdKey: string, msgId: Uint8Array): boolean
  /**
   * Called once the message passed every check; return false if the id was
   * already marked (a copy validated concurrently won), which turns the
   * outcome into Ignore `duplicate`. As go-libp2p-pubsub: check seen,
   * validate, then mark seen.
   */
  markSeen?(msgIdKey: string, msgId: Uint8Array): boolean
  signal?: AbortSignal
}

/**
 * Runs a received message through the pipeline, in order: size, signature
 * policy fields, message id + duplicate check, signature verification (only
 * for new messages), topic validator, mark seen. Never throws for bad
 * input: every failure is an outcome.
 */
export async function validateMessage (rpc: RPCMessage, options: ValidateMessageOptions): Promise<ValidationOutcome> {
  const maxSize = options.maxMessageSize ?? MAX_RPC_SIZE
  if (messageSize(rpc) > maxSize) return { result: TopicValidatorResult.Reject, reason: 'message-too-large' }

  const inspection = inspectMessage(rpc, options.policy)
  if (!inspection.valid) return { result: TopicValidatorResult.Reject, reason: inspection.reason }
  const message = inspection.message

  let msgId: Uint8Array
  try {
    msgId = await (options.msgIdFn ?? defaultMsgIdFn)(message)
  } catch {
    return { result: TopicValidatorResult.Reject, reason: 'message-id-error', message }
  }
  const msgIdKey = msgIdToKey(msgId)
  if (options.isDuplicate?.(msgIdKey, msgId) === true) {
    return { result: TopicValidatorResult.Ignore, reason: 'duplicate', message, msgId, msgIdKey }
  }

  if (message.type === 'signed' && !await verifySignature(rpc, message.key)) {
    return { result: TopicValidatorResult.Reject, reason: 'invalid-signature', message, msgId, msgIdKey }
  }
  if (isAborted(options.signal)) return { result: TopicValidatorResult.Ignore, reason: 'aborted', message, msgId, msgIdKey }

  const validator = options.topicValidators?.get(message.topic)
  if (validator != null) {
    let result: TopicValidatorResult
    try {
      result = await validator(options.propagationSource, message)
    } catch {
      return { result: TopicValidatorResult.Reject, reason: 'validator-error', message, msgId, msgIdKey }
    }
    if (isAborted(options.signal)) return { result: TopicValidatorResult.Ignore, reason: 'aborted', message, msgId, msgIdKey }
    if (result === TopicValidatorResult.Reject) return { result, reason: 'validator-reject', message, msgId, msgIdKey }
    if (result === TopicValidatorResult.Ignore) return { result, reason: 'validator-ignore', message, msgId, msgIdKey }
    if (result !== TopicValidatorResult.Accept) return { result: TopicValidatorResult.Reject, reason: 'validator-error', message, msgId, msgIdKey }
  }
  if (options.markSeen?.(msgIdKey, msgId) === false) {
    return { result: TopicValidatorResult.Ignore, reason: 'duplicate', message, msgId, msgIdKey }
  }
  return { result: TopicValidatorResult.Accept, message, msgId, msgIdKey }
}

function isAborted (signal?: AbortSignal): boolean {
  return signal?.aborted === true
}
