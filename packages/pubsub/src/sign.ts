/**
 * Building, signing and checking messages under the two strict signature
 * policies (pubsub/README.md, "Message Signing", "Signature Policy Options").
 */
import { StrictNoSign, StrictSign } from '@ts-libp2p/interface'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { peerIdFromMultihash, peerIdFromPublicKey } from '@ts-libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { SEQNO_LENGTH, SIGN_PREFIX_BYTES } from './constants.js'
import { MessageSigningError } from './errors.js'
import { signableFromRaw } from './pb/decode.js'
import { encodeMessage, encodeSignable } from './pb/rpc.js'
import type { RPCMessage } from './pb/rpc.js'
import type { Message, PeerId, PrivateKey, PublicKey, SignaturePolicy } from '@ts-libp2p/interface'

const EMPTY = new Uint8Array(0)
const IDENTITY_CODE = 0x00

/** The 8 bytes of a sequence number, big-endian (pubsub/README.md, "The Message"). */
export function seqnoToBytes (seqno: bigint): Uint8Array {
  const bytes = new Uint8Array(SEQNO_LENGTH)
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, seqno), false)
  return bytes
}

/** The sequence number in `bytes`, which must be exactly 8 bytes. */
export function seqnoFromBytes (bytes: Uint8Array): bigint {
  if (bytes.byteLength !== SEQNO_LENGTH) throw new RangeError(`A seqno is ${SEQNO_LENGTH} bytes, not ${bytes.byteLength}`)
  return new DataView(bytes.buffer, bytes.byteOffset, SEQNO_LENGTH).getBigUint64(0, false)
}

/**
 * Hands out increasing sequence numbers. The spec asks for a "linearly
 * increasing number that is unique among messages originating from each
 * given peer"; starting from the wall clock in nanoseconds (as go-libp2p-pubsub
 * does) keeps them increasing across restarts of the same peer.
 */
export class SeqnoGenerator {
  #next: bigint

  constructor (start?: bigint) {
    this.#next = start ?? BigInt(Date.now()) * 1_000_000n
  }

  /** The next sequence number, as its 8 wire bytes. */
  next (): Uint8Array {
    const seqno = this.#next
    this.#next = BigInt.asUintN(64, this.#next + 1n)
    return seqnoToBytes(seqno)
  }
}

/** What {@link buildMessage} needs. */
export interface BuildMessageOptions {
  policy: SignaturePolicy
  topic: string
  data: Uint8Array
  /** Our key; required for StrictSign. */
  privateKey?: PrivateKey
  /** Our peer id (derived from `privateKey` when absent). */
  peerId?: PeerId
  /** Sequence numbers for StrictSign. */
  seqno?: SeqnoGenerator
}

/**
 * Builds the wire message we publish. Under StrictSign it carries `from`,
 * `seqno`, the signature and, when the key is not inlined in the peer id
 * (RSA, ECDSA), `key`. Under StrictNoSign it carries only topic and data.
 * `raw` is set to the encoding.
 */
export async function buildMessage (options: BuildMessageOptions): Promise<RPCMessage> {
  const { policy, topic, data } = options
  if (policy === StrictNoSign) {
    const message: RPCMessage = { data, topic }
    message.raw = encodeMessage(message)
    return message
  }
  if (policy !== StrictSign) throw new MessageSigningError(`Unknown signature policy ${String(policy)}`)
  const privateKey = options.privateKey
  if (privateKey == null) throw new MessageSigningError('StrictSign needs the node\'s private key')
  const peerId = options.peerId ?? peerIdFromPublicKey(privateKey.publicKey)
  const message: RPCMessage = {
    from: peerId.toMultihash().bytes,
    data,
    seqno: (options.seqno ?? new SeqnoGenerator()).next(),
    topic
  }
  message.signature = await privateKey.sign(encodeSignable(SIGN_PREFIX_BYTES, message))
  // the key travels only when the peer id does not inline it (an identity multihash inlines it)
  if (peerId.toMultihash().code !== IDENTITY_CODE) message.key = publicKeyToProtobuf(privateKey.publicKey)
  message.raw = encodeMessage(message)
  return message
}

/** Why a message failed its signature policy. */
export type SignatureFailure =
  | 'missing-fields' // StrictSign: from, seqno or signature absent
  | 'unexpected-fields' // StrictNoSign: from, seqno, signature or key present
  | 'invalid-peer-id' // `from` is not a peer id
  | 'invalid-seqno' // seqno is not 8 bytes
  | 'invalid-key' // `key` does not parse, or does not match `from`
  | 'missing-key' // the key is neither inlined in `from` nor carried in `key`
  | 'invalid-signature' // the signature does not verify

/** The result of {@link inspectMessage}: the message in its application form, or why it breaks the policy. */
export type MessageInspection =
  | { valid: true, message: Message }
  | { valid: false, reason: SignatureFailure }

/**
 * Checks which fields `message` carries against `policy` and builds its
 * application form (pubsub/README.md, "StrictSign option" / "StrictNoSign
 * option", consuming side). Does NOT verify the signature: routers first
 * compute the message id and drop duplicates, then call
 * {@link verifySignature} (or use {@link checkSignaturePolicy} for both).
 */
export function inspectMessage (message: RPCMessage, policy: SignaturePolicy): MessageInspection {
  const data = message.data ?? EMPTY
  if (policy === StrictNoSign) {
    if (message.from != null || message.seqno != null || message.signature != null || message.key != null) {
      return { valid: false, reason: 'unexpected-fields' }
    }
    return { valid: true, message: { type: 'unsigned', topic: message.topic, data } }
  }
  if (message.from == null || message.seqno == null || message.signature == null) {
    return { valid: false, reason: 'missing-fields' }
  }
  if (message.seqno.byteLength !== SEQNO_LENGTH) return { valid: false, reason: 'invalid-seqno' }
  let from: PeerId
  try {
    from = peerIdFromMultihash(Digest.decode(message.from))
  } catch {
    return { valid: false, reason: 'invalid-peer-id' }
  }
  let key: PublicKey | undefined
  if (message.key != null) {
    try {
      key = publicKeyFromProtobuf(message.key)
    } catch {
      return { valid: false, reason: 'invalid-key' }
    }
    // "When present, it must match the peer ID."
    if (!peerIdFromPublicKey(key).equals(from)) return { valid: false, reason: 'invalid-key' }
  } else {
    key = from.publicKey
    if (key == null) return { valid: false, reason: 'missing-key' }
  }
  return {
    valid: true,
    message: { type: 'signed', from, topic: message.topic, data, sequenceNumber: seqnoFromBytes(message.seqno), signature: message.signature, key }
  }
}

/**
 * Verifies the signature of a signed message: over `libp2p-pubsub:` + the
 * message without `signature` and `key`, taken from `message.raw` when
 * present so unknown fields count as the spec requires.
 */
export async function verifySignature (message: RPCMessage, key: PublicKey): Promise<boolean> {
  if (message.signature == null) return false
  const signable = message.raw != null
    ? signableFromRaw(SIGN_PREFIX_BYTES, message.raw)
    : encodeSignable(SIGN_PREFIX_BYTES, message)
  try {
    return await key.verify(signable, message.signature)
  } catch {
    return false
  }
}

/** {@link inspectMessage} then, for signed messages, {@link verifySignature}. */
export async function checkSignaturePolicy (message: RPCMessage, policy: SignaturePolicy): Promise<MessageInspection> {
  const inspection = inspectMessage(message, policy)
  if (!inspection.valid || inspection.message.type === 'unsigned') return inspection
  if (!await verifySignature(message, inspection.message.key)) return { valid: false, reason: 'invalid-signature' }
  return inspection
}
