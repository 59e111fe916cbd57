/**
 * Message ids (pubsub/README.md, "Message Identification"). Every peer of a
 * topic must compute them the same way, so the defaults follow the other
 * implementations.
 */
import { sha256 } from './sha256.js'
import { seqnoToBytes } from './sign.js'
import type { Message } from '@ts-libp2p/interface'

/** Computes a message's id. Async functions are allowed (official js shape). */
export interface MsgIdFn {
  (message: Message): Uint8Array | Promise<Uint8Array>
}

/**
 * The default id of a signed message: the author's peer id bytes followed
 * by the 8 seqno bytes ("origin-stamping"; go-libp2p-pubsub's
 * `DefaultMsgIdFn` and the official js `msgIdFnStrictSign`).
 */
export function msgIdFromSeqno (message: Message): Uint8Array {
  if (message.type !== 'signed') throw new TypeError('msgIdFromSeqno needs a signed message (from + seqno)')
  const from = message.from.toMultihash().bytes
  const id = new Uint8Array(from.byteLength + 8)
  id.set(from, 0)
  id.set(seqnoToBytes(message.sequenceNumber), from.byteLength)
  return id
}

/**
 * The default id of an unsigned message: the SHA-256 of its data
 * ("content-addressed messaging"; the official js `msgIdFnStrictNoSign`).
 * go-libp2p-pubsub has no default for this case and asks applications for
 * one; a go network without author must agree on this function.
 */
export function msgIdFromData (message: Message): Uint8Array {
  return sha256(message.data)
}

/** The default id function: {@link msgIdFromSeqno} for signed messages, {@link msgIdFromData} otherwise. */
export function defaultMsgIdFn (message: Message): Uint8Array {
  return message.type === 'signed' ? msgIdFromSeqno(message) : msgIdFromData(message)
}

/**
 * A message id as a string usable as a map key: one UTF-16 code unit per
 * byte (latin1). Cheap to compute and compare; not for display.
 */
export function msgIdToKey (id: Uint8Array): string {
  if (id.byteLength <= 4096) return String.fromCharCode.apply(null, id as unknown as number[])
  let out = ''
  for (let i = 0; i < id.byteLength; i += 4096) {
    out += String.fromCharCode.apply(null, id.subarray(i, i + 4096) as unknown as number[])
  }
  return out
}

/** The bytes of a {@link msgIdToKey} string. */
export function msgIdFromKey (key: string): Uint8Array {
  const id = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) id[i] = key.charCodeAt(i)
  return id
}
