/**
 * A strict decoder for the pubsub RPC (rpc.proto). Byte fields are views
 * into the input (no copies). Anything malformed throws InvalidRpcError;
 * more entries than the limits allow throws RpcLimitExceededError as soon
 * as the limit is crossed, before more objects are built. Unknown fields
 * are skipped, as protobuf requires.
 */
import { Uint8ArrayList } from 'uint8arraylist'
import {
  MAX_CONTROL_ENTRIES_PER_RPC, MAX_IDONTWANT_MESSAGE_IDS_PER_RPC, MAX_IHAVE_MESSAGE_IDS_PER_RPC,
  MAX_IWANT_MESSAGE_IDS_PER_RPC, MAX_MESSAGES_PER_RPC, MAX_PEER_INFOS_PER_RPC, MAX_RPC_SIZE, MAX_SUBSCRIPTIONS_PER_RPC
} from '../constants.js'
import { InvalidRpcError, RpcLimitExceededError, RpcTooLargeError } from '../errors.js'
import { FIELD_TEST_EXTENSION } from './rpc.js'
import type { ControlExtensions, ControlIDontWant, ControlIHave, ControlIWant, ControlMessage, ControlPrune, PeerInfo, RPC, RPCMessage, RPCSubOpts } from './rpc.js'

/** How many entries of each kind one RPC may carry. Every count is across the whole RPC. */
export interface DecodeRpcLimits {
  /** Largest RPC in bytes. Default {@link MAX_RPC_SIZE} (1 MiB). */
  maxRpcSize: number
  maxSubscriptions: number
  maxMessages: number
  /** Entries of each control kind (IHAVE, IWANT, GRAFT, PRUNE, IDONTWANT). */
  maxControlEntries: number
  maxIHaveMessageIDs: number
  maxIWantMessageIDs: number
  maxIDontWantMessageIDs: number
  maxPeerInfos: number
}

/** The default decode limits (see constants.ts for the reasons). */
export const defaultDecodeRpcLimits: Readonly<DecodeRpcLimits> = Object.freeze({
  maxRpcSize: MAX_RPC_SIZE,
  maxSubscriptions: MAX_SUBSCRIPTIONS_PER_RPC,
  maxMessages: MAX_MESSAGES_PER_RPC,
  maxControlEntries: MAX_CONTROL_ENTRIES_PER_RPC,
  maxIHaveMessageIDs: MAX_IHAVE_MESSAGE_IDS_PER_RPC,
  maxIWantMessageIDs: MAX_IWANT_MESSAGE_IDS_PER_RPC,
  maxIDontWantMessageIDs: MAX_IDONTWANT_MESSAGE_IDS_PER_RPC,
  maxPeerInfos: MAX_PEER_INFOS_PER_RPC
})

const textDecoder = new TextDecoder('utf-8', { fatal: true })

const WIRE_VARINT = 0
const WIRE_I64 = 1
const WIRE_LEN = 2
const WIRE_I32 = 5

/** Running totals checked against the limits. */
interface Counts {
  subscriptions: number
  messages: number
  ihave: number
  iwant: number
  graft: number
  prune: number
  idontwant: number
  ihaveIds: number
  iwantIds: number
  idontwantIds: number
  peerInfos: number
}

class Reader {
  readonly buf: Uint8Array
  pos: number
  end: number

  constructor (buf: Uint8Array, pos: number, end: number) {
    this.buf = buf
    this.pos = pos
    this.end = end
  }

  /** An unsigned varint of up to 10 bytes; values past 2^53 - 1 come back clamped to it. */
  varint (): number {
    const buf = this.buf
    if (this.pos < this.end && buf[this.pos] < 0x80) return buf[this.pos++]
    let value = 0
    let multiplier = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new InvalidRpcError('Truncated varint')
      const byte = buf[this.pos++]
      value += (byte & 0x7f) * multiplier
      if (byte < 0x80) {
        return value > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : value
      }
      multiplier *= 0x80
    }
    throw new InvalidRpcError('Varint longer than 10 bytes')
  }

  /** The end of a length-delimited field starting here. */
  lenEnd (): number {
    const length = this.varint()
    const end = this.pos + length
    if (length > this.end - this.pos) throw new InvalidRpcError(`Field of ${length} bytes runs past the end of its message`)
    return end
  }

  bytes (): Uint8Array {
    const end = this.lenEnd()
    const value = this.buf.subarray(this.pos, end)
    this.pos = end
    return value
  }

  string (): string {
    const end = this.lenEnd()
    const start = this.pos
    this.pos = end
    // ASCII fast path (topics are nearly always ASCII)
    let ascii = end - start <= 64
    if (ascii) {
      for (let i = start; i < end; i++) {
        if (this.buf[i] >= 0x80) { ascii = false; break }
      }
    }
    if (ascii) return String.fromCharCode.apply(null, this.buf.subarray(start, end) as unknown as number[])
    try {
      return textDecoder.decode(this.buf.subarray(start, end))
    } catch {
      throw new InvalidRpcError('String field is not valid UTF-8')
    }
  }

  skip (wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT: this.varint(); return
      case WIRE_I64: this.advance(8); return
      case WIRE_LEN: this.pos = this.lenEnd(); return
      case WIRE_I32: this.advance(4); return
      default: throw new InvalidRpcError(`Unsupported wire type ${wireType}`)
    }
  }

  advance (n: number): void {
    if (this.end - this.pos < n) throw new InvalidRpcError('Truncated fixed-width field')
    this.pos += n
  }

  /** Reads a tag; returns [field, wireType]. */
  tag (): number {
    const tag = this.varint()
    if (tag < 8) throw new InvalidRpcError(`Invalid field number 0 (tag ${tag})`)
    return tag
  }
}

function expect (wireType: number, expected: number, what: string): void {
  if (wireType !== expected) throw new InvalidRpcError(`${what} has wire type ${wireType}, expected ${expected}`)
}

/** Runs `fn` over a nested message of the reader and checks it ended exactly at its length. */
function nested<T> (r: Reader, fn: (sub: Reader) => T): T {
  const end = r.lenEnd()
  const savedEnd = r.end
  r.end = end
  const value = fn(r)
  if (r.pos !== end) throw new InvalidRpcError('Nested message overran its length')
  r.end = savedEnd
  return value
}

function decodeSubOpts (r: Reader): RPCSubOpts {
  const sub: RPCSubOpts = {}
  while (r.pos < r.end) {
    const tag = r.tag()
    const field = Math.floor(tag / 8)
    const wt = tag & 7
    if (field === 1) { expect(wt, WIRE_VARINT, 'SubOpts.subscribe'); sub.subscribe = r.varint() !== 0 } else if (field === 2) { expect(wt, WIRE_LEN, 'SubOpts.topicid'); sub.topic = r.string() } else r.skip(wt)
  }
  return sub
}

function decodeMessage (r: Reader): RPCMessage {
  const start = r.pos
  let topic: string | undefined
  const message: Partial<RPCMessage> = {}
  while (r.pos < r.end) {
    const tag = r.tag()
    const field = Math.floor(tag / 8)
    const wt = tag & 7
    switch (field) {
      case 1: expect(wt, WIRE_LEN, 'Message.from'); message.from = r.bytes(); break
      case 2: expect(wt, WIRE_LEN, 'Message.data'); message.data = r.bytes(); break
      case 3: expect(wt, WIRE_LEN, 'Message.seqno'); message.seqno = r.bytes(); break
      case 4: expect(wt, WIRE_LEN, 'Message.topic'); topic = r.string(); break
      case 5: expect(wt, WIRE_LEN, 'Message.signature'); message.signature = r.bytes(); break
      case 6: expect(wt, WIRE_LEN, 'Message.key'); message.key = r.bytes(); break
      default: r.skip(wt)
    }
  }
  // pubsub/README.md: `required string topic = 4`
  if (topic == null) throw new InvalidRpcError('Message without the required topic field')
  message.topic = topic
  message.raw = r.buf.subarray(start, r.end)
  return message as RPCMessage
}

function decodeIds (r: Reader, field: number, ids: Uint8Array[], counts: Counts, key: 'ihaveIds' | 'iwantIds' | 'idontwantIds', max: number, what: string): string | undefined {
  let topic: string | undefined
  while (r.pos < r.end) {
    const tag = r.tag()
    const f = Math.floor(tag / 8)
    const wt = tag & 7
    if (f === field) {
      expect(wt, WIRE_LEN, `${what}.messageIDs`)
      if (++counts[key] > max) throw new RpcLimitExceededError(`More than ${max} ${what} message ids in one RPC`)
      ids.push(r.bytes())
    } else if (f === 1 && field === 2) {
      expect(wt, WIRE_LEN, `${what}.topicID`)
      topic = r.string()
    } else r.skip(wt)
  }
  return topic
}

function decodePeerInfo (r: Reader): PeerInfo {
  const peer: PeerInfo = {}
  while (r.pos < r.end) {
    const tag = r.tag()
    const field = Math.floor(tag / 8)
    const wt = tag & 7
    if (field === 1) { expect(wt, WIRE_LEN, 'PeerInfo.peerID'); peer.peerID = r.bytes() } else if (field === 2) { expect(wt, WIRE_LEN, 'PeerInfo.signedPeerRecord'); peer.signedPeerRecord = r.bytes() } else r.skip(wt)
  }
  return peer
}

function decodePrune (r: Reader, counts: Counts, limits: DecodeRpcLimits): ControlPrune {
  const prune: ControlPrune = { peers: [] }
  while (r.pos < r.end) {
    const tag = r.tag()
    const field = Math.floor(tag / 8)
    const wt = tag & 7
    if (field === 1) { expect(wt, WIRE_LEN, 'ControlPrune.topicID'); prune.topicID = r.string() } else if (field === 2) {
      expect(wt, WIRE_LEN, 'ControlPrune.peers')
      if (++counts.peerInfos > limits.maxPeerInfos) throw new RpcLimitExceededError(`More than ${limits.maxPeerInfos} PRUNE peer infos in one RPC`)
      prune.peers!.push(nested(r, decodePeerInfo))
    } else if (field === 3) { expect(wt, WIRE_VARINT, 'ControlPrune.backoff'); prune.backoff = r.varint() } else r.skip(wt)
  }
  return prune
}

function decodeExtensions (r: Reader, extensions: ControlExtensions): ControlExtensions {
  while (r.pos < r.end) {
    const tag = r.tag()
    const field = Math.floor(tag / 8)
    const wt = tag & 7
    if (field === FIELD_TEST_EXTENSION) { expect(wt, WIRE_VARINT, 'ControlExtensions.testExtension'); extensions.testExtension = r.varint() !== 0 } else r.skip(wt)
  }
  return extensions
}

function countEntry (counts: Counts, key: 'ihave' | 'iwant' | 'graft' | 'prune' | 'idontwant', limits: DecodeRpcLimits): void {
  if (++counts[key] > limits.maxControlEntries) throw new RpcLimitExceededError(`More than ${limits.maxControlEntries} ${key.toUpperCase()} entries in one RPC`)
}

function decodeControl (r: Reader, control: Required<Omit<ControlMessage, 'extensions'>> & ControlMessage, counts: Counts, limits: DecodeRpcLimits): void {
  while (r.pos < r.end) {
    const tag = r.tag()
    const field = Math.floor(tag / 8)
    const wt = tag & 7
    switch (field) {
      case 1: {
        expect(wt, WIRE_LEN, 'ControlMessage.ihave')
        countEntry(counts, 'ihave', limits)
        const ihave: ControlIHave = { messageIDs: [] }
        const topic = nested(r, sub => decodeIds(sub, 2, ihave.messageIDs, counts, 'ihaveIds', limits.maxIHaveMessageIDs, 'IHAVE'))
        if (topic != null) ihave.topicID = topic
        control.ihave.push(ihave)
        break
      }
      case 2: {
        expect(wt, WIRE_LEN, 'ControlMessage.iwant')
        countEntry(counts, 'iwant', limits)
        const iwant: ControlIWant = { messageIDs: [] }
        nested(r, sub => decodeIds(sub, 1, iwant.messageIDs, counts, 'iwantIds', limits.maxIWantMessageIDs, 'IWANT'))
        control.iwant.push(iwant)
        break
      }
      case 3: {
        expect(wt, WIRE_LEN, 'ControlMessage.graft')
        countEntry(counts, 'graft', limits)
        control.graft.push(nested(r, sub => {
          const graft: { topicID?: string } = {}
          while (sub.pos < sub.end) {
            const t = sub.tag()
            if (Math.floor(t / 8) === 1) { expect(t & 7, WIRE_LEN, 'ControlGraft.topicID'); graft.topicID = sub.string() } else sub.skip(t & 7)
          }
          return graft
        }))
        break
      }
      case 4:
        expect(wt, WIRE_LEN, 'ControlMessage.prune')
        countEntry(counts, 'prune', limits)
        control.prune.push(nested(r, sub => decodePrune(sub, counts, limits)))
        break
      case 5: {
        expect(wt, WIRE_LEN, 'ControlMessage.idontwant')
        countEntry(counts, 'idontwant', limits)
        const idontwant: ControlIDontWant = { messageIDs: [] }
        nested(r, sub => decodeIds(sub, 1, idontwant.messageIDs, counts, 'idontwantIds', limits.maxIDontWantMessageIDs, 'IDONTWANT'))
        control.idontwant.push(idontwant)
        break
      }
      case 6:
        expect(wt, WIRE_LEN, 'ControlMessage.extensions')
        // a repeated embedded message merges (protobuf semantics)
        control.extensions = nested(r, sub => decodeExtensions(sub, control.extensions ?? {}))
        break
      default: r.skip(wt)
    }
  }
}

/**
 * Decodes one RPC frame (without its length prefix). Throws
 * RpcTooLargeError, InvalidRpcError or RpcLimitExceededError.
 */
export function decodeRpc (data: Uint8Array | Uint8ArrayList, limits: Partial<DecodeRpcLimits> = {}): RPC {
  const l: DecodeRpcLimits = { ...defaultDecodeRpcLimits, ...limits }
  if (data.byteLength > l.maxRpcSize) throw new RpcTooLargeError(`RPC of ${data.byteLength} bytes is over the limit of ${l.maxRpcSize}`)
  const buf = data instanceof Uint8Array ? data : data.subarray()
  const r = new Reader(buf, 0, buf.byteLength)
  const counts: Counts = { subscriptions: 0, messages: 0, ihave: 0, iwant: 0, graft: 0, prune: 0, idontwant: 0, ihaveIds: 0, iwantIds: 0, idontwantIds: 0, peerInfos: 0 }
  const rpc: RPC = { subscriptions: [], messages: [] }
  let control: (Required<Omit<ControlMessage, 'extensions'>> & ControlMessage) | undefined
  while (r.pos < r.end) {
    const tag = r.tag()
    const field = Math.floor(tag / 8)
    const wt = tag & 7
    if (field === 1) {
      expect(wt, WIRE_LEN, 'RPC.subscriptions')
      if (++counts.subscriptions > l.maxSubscriptions) throw new RpcLimitExceededError(`More than ${l.maxSubscriptions} subscriptions in one RPC`)
      rpc.subscriptions.push(nested(r, decodeSubOpts))
    } else if (field === 2) {
      expect(wt, WIRE_LEN, 'RPC.publish')
      if (++counts.messages > l.maxMessages) throw new RpcLimitExceededError(`More than ${l.maxMessages} messages in one RPC`)
      rpc.messages.push(nested(r, decodeMessage))
    } else if (field === 3) {
      expect(wt, WIRE_LEN, 'RPC.control')
      control ??= { ihave: [], iwant: [], graft: [], prune: [], idontwant: [] }
      const c = control
      nested(r, sub => { decodeControl(sub, c, counts, l) })
    } else if (field === FIELD_TEST_EXTENSION) {
      expect(wt, WIRE_LEN, 'RPC.testExtension')
      nested(r, sub => { while (sub.pos < sub.end) sub.skip(sub.tag() & 7) })
      rpc.testExtension = {}
    } else {
      r.skip(wt)
    }
  }
  if (control != null) rpc.control = control
  return rpc
}

/**
 * The bytes a message's signature covers, from its received encoding:
 * `prefix` followed by every field of `raw` except `signature` (5) and
 * `key` (6), unknown fields included (pubsub/README.md, "Message Signing").
 */
export function signableFromRaw (prefix: Uint8Array, raw: Uint8Array): Uint8Array {
  const r = new Reader(raw, 0, raw.byteLength)
  const out = new Uint8Array(prefix.byteLength + raw.byteLength)
  out.set(prefix, 0)
  let pos = prefix.byteLength
  while (r.pos < r.end) {
    const start = r.pos
    const tag = r.tag()
    const field = Math.floor(tag / 8)
    r.skip(tag & 7)
    if (field !== 5 && field !== 6) {
      out.set(raw.subarray(start, r.pos), pos)
      pos += r.pos - start
    }
  }
  return out.subarray(0, pos)
}
