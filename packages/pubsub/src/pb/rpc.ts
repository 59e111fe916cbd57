/**
 * The pubsub RPC types and their encoder (see rpc.proto beside this file).
 *
 * Encoding is two passes over the object: the size of every field is
 * computed first, one buffer of exactly that size is allocated, and the
 * fields are written into it. A message that came off the wire keeps its
 * exact bytes in `raw`, and the encoder copies those instead of re-encoding,
 * so forwarding a message costs one copy.
 */

/** A topic a peer joins (`subscribe: true`) or leaves. */
export interface RPCSubOpts {
  subscribe?: boolean
  topic?: string
}

/** The wire form of a pubsub message (pubsub/README.md, "The Message"). */
export interface RPCMessage {
  from?: Uint8Array
  data?: Uint8Array
  seqno?: Uint8Array
  topic: string
  signature?: Uint8Array
  key?: Uint8Array
  /**
   * The message's exact encoding, as received (set by the decoder; a view
   * into the RPC frame) or as built by the signer. When present the encoder
   * writes these bytes verbatim, and signature checks strip fields 5 and 6
   * from them, so unknown fields are covered as the spec requires. Clear it
   * (or leave it unset) after changing any field.
   */
  raw?: Uint8Array
}

/** IHAVE: message ids we have for a topic (gossipsub-v1.0.md). */
export interface ControlIHave {
  topicID?: string
  messageIDs: Uint8Array[]
}

/** IWANT: message ids we want (gossipsub-v1.0.md). */
export interface ControlIWant {
  messageIDs: Uint8Array[]
}

/** GRAFT: join the sender's mesh for a topic (gossipsub-v1.0.md). */
export interface ControlGraft {
  topicID?: string
}

/** A peer offered in PRUNE peer exchange (gossipsub-v1.1.md). */
export interface PeerInfo {
  /** The peer id's bytes (its multihash). */
  peerID?: Uint8Array
  /** A signed envelope holding the peer's record. */
  signedPeerRecord?: Uint8Array
}

/** PRUNE: leave the sender's mesh for a topic, with PX and backoff (gossipsub-v1.1.md). */
export interface ControlPrune {
  topicID?: string
  peers?: PeerInfo[]
  /** Backoff in seconds (uint64; values past 2^53 - 1 decode clamped). */
  backoff?: number
}

/** IDONTWANT: message ids the sender already has (gossipsub-v1.2.md). */
export interface ControlIDontWant {
  messageIDs: Uint8Array[]
}

/** The extensions a peer supports (gossipsub-v1.3.md, extensions/extensions.proto). */
export interface ControlExtensions {
  /** The experimental test extension (field 6492434). */
  testExtension?: boolean
}

/** The gossipsub control messages. Decoded RPCs always carry every array. */
export interface ControlMessage {
  ihave?: ControlIHave[]
  iwant?: ControlIWant[]
  graft?: ControlGraft[]
  prune?: ControlPrune[]
  idontwant?: ControlIDontWant[]
  extensions?: ControlExtensions
}

/** The test extension's message (extensions/experimental/test-extension.md): empty. */
export type TestExtension = Record<string, never>

/** One pubsub RPC frame (pubsub/README.md, "The RPC"). */
export interface RPC {
  subscriptions: RPCSubOpts[]
  /** The `publish` field of the proto. */
  messages: RPCMessage[]
  control?: ControlMessage
  /** Present when the RPC carries the v1.3 test extension message. */
  testExtension?: TestExtension
}

/** Field numbers and wire types (rpc.proto). */
export const FIELD_TEST_EXTENSION = 6492434
const WIRE_VARINT = 0
const WIRE_LEN = 2

const textEncoder = new TextEncoder()

/** Bytes of the unsigned varint of `value` (a safe non-negative integer). */
export function varintSize (value: number): number {
  if (value < 0x80) return 1
  if (value < 0x4000) return 2
  if (value < 0x200000) return 3
  if (value < 0x10000000) return 4
  let size = 4
  value = Math.floor(value / 0x10000000)
  while (value > 0) {
    size++
    value = Math.floor(value / 0x80)
  }
  return size
}

/** Bytes of `str` in UTF-8, without encoding it. */
export function utf8Size (str: string): number {
  let size = 0
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i)
    if (c < 0x80) size += 1
    else if (c < 0x800) size += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length && (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size += 4
      i++
    } else size += 3
  }
  return size
}

function tagSize (field: number): number {
  return varintSize(field * 8)
}

function lenFieldSize (field: number, length: number): number {
  return tagSize(field) + varintSize(length) + length
}

function bytesListSize (field: number, list: Uint8Array[]): number {
  let size = 0
  for (const item of list) size += lenFieldSize(field, item.byteLength)
  return size
}

function subOptsSize (sub: RPCSubOpts): number {
  let size = 0
  if (sub.subscribe != null) size += 2
  if (sub.topic != null) size += lenFieldSize(2, utf8Size(sub.topic))
  return size
}

/** Bytes of `message`'s encoding (its `raw` length when it has one). */
export function messageSize (message: RPCMessage): number {
  if (message.raw != null) return message.raw.byteLength
  return messageFieldsSize(message, true)
}

function messageFieldsSize (message: RPCMessage, withSignature: boolean): number {
  let size = lenFieldSize(4, utf8Size(message.topic))
  if (message.from != null) size += lenFieldSize(1, message.from.byteLength)
  if (message.data != null) size += lenFieldSize(2, message.data.byteLength)
  if (message.seqno != null) size += lenFieldSize(3, message.seqno.byteLength)
  if (withSignature) {
    if (message.signature != null) size += lenFieldSize(5, message.signature.byteLength)
    if (message.key != null) size += lenFieldSize(6, message.key.byteLength)
  }
  return size
}

function pruneSize (prune: ControlPrune): number {
  let size = 0
  if (prune.topicID != null) size += lenFieldSize(1, utf8Size(prune.topicID))
  for (const peer of prune.peers ?? []) size += lenFieldSize(2, peerInfoSize(peer))
  if (prune.backoff != null) size += 1 + varintSize(prune.backoff)
  return size
}

function peerInfoSize (peer: PeerInfo): number {
  let size = 0
  if (peer.peerID != null) size += lenFieldSize(1, peer.peerID.byteLength)
  if (peer.signedPeerRecord != null) size += lenFieldSize(2, peer.signedPeerRecord.byteLength)
  return size
}

function ihaveSize (ihave: ControlIHave): number {
  let size = bytesListSize(2, ihave.messageIDs)
  if (ihave.topicID != null) size += lenFieldSize(1, utf8Size(ihave.topicID))
  return size
}

function graftSize (graft: ControlGraft): number {
  return graft.topicID != null ? lenFieldSize(1, utf8Size(graft.topicID)) : 0
}

function extensionsSize (extensions: ControlExtensions): number {
  return extensions.testExtension != null ? tagSize(FIELD_TEST_EXTENSION) + 1 : 0
}

/** Bytes of `control`'s encoding. */
export function controlSize (control: ControlMessage): number {
  let size = 0
  for (const ihave of control.ihave ?? []) size += lenFieldSize(1, ihaveSize(ihave))
  for (const iwant of control.iwant ?? []) size += lenFieldSize(2, bytesListSize(1, iwant.messageIDs))
  for (const graft of control.graft ?? []) size += lenFieldSize(3, graftSize(graft))
  for (const prune of control.prune ?? []) size += lenFieldSize(4, pruneSize(prune))
  for (const idontwant of control.idontwant ?? []) size += lenFieldSize(5, bytesListSize(1, idontwant.messageIDs))
  if (control.extensions != null) size += lenFieldSize(6, extensionsSize(control.extensions))
  return size
}

/** Bytes of `rpc`'s encoding, without a length prefix. */
export function rpcSize (rpc: RPC): number {
  let size = 0
  for (const sub of rpc.subscriptions) size += lenFieldSize(1, subOptsSize(sub))
  for (const message of rpc.messages) size += lenFieldSize(2, messageSize(message))
  if (rpc.control != null) size += lenFieldSize(3, controlSize(rpc.control))
  if (rpc.testExtension != null) size += lenFieldSize(FIELD_TEST_EXTENSION, 0)
  return size
}

/** Buffers smaller than this come from a shared slab (see {@link alloc}). */
const SLAB_THRESHOLD = 4096
/** The size of one slab. */
const SLAB_SIZE = 64 * 1024
let slab = new Uint8Array(0)
let slabOffset = 0

/**
 * A buffer of `size` bytes. Creating a typed array costs a few microseconds
 * (a fresh zeroed ArrayBuffer each time) while encoding a typical RPC costs
 * less, so small buffers are cut from a shared 64 KiB slab, as protobufjs
 * and Node's `Buffer.allocUnsafe` pool do. Every byte is written by the
 * encoder, so the slab's old contents never leak. A retained small buffer
 * keeps its slab alive: at most 64 KiB per live buffer, in practice shared.
 */
function alloc (size: number): Uint8Array {
  if (size >= SLAB_THRESHOLD) return new Uint8Array(size)
  if (slabOffset + size > slab.byteLength) {
    slab = new Uint8Array(SLAB_SIZE)
    slabOffset = 0
  }
  const buf = slab.subarray(slabOffset, slabOffset + size)
  // keep the next buffer 8-byte aligned
  slabOffset = (slabOffset + size + 7) & ~7
  return buf
}

/** Writes protobuf fields into a buffer sized in advance. */
class Writer {
  readonly buf: Uint8Array
  pos: number

  constructor (buf: Uint8Array, pos = 0) {
    this.buf = buf
    this.pos = pos
  }

  varint (value: number): void {
    const buf = this.buf
    if (value < 0x80) {
      buf[this.pos++] = value
      return
    }
    while (value >= 0x80) {
      buf[this.pos++] = (value % 0x80) | 0x80
      value = Math.floor(value / 0x80)
    }
    buf[this.pos++] = value
  }

  tag (field: number, wireType: number): void {
    this.varint(field * 8 + wireType)
  }

  bytes (field: number, value: Uint8Array): void {
    this.tag(field, WIRE_LEN)
    this.varint(value.byteLength)
    this.buf.set(value, this.pos)
    this.pos += value.byteLength
  }

  string (field: number, value: string): void {
    this.tag(field, WIRE_LEN)
    const length = utf8Size(value)
    this.varint(length)
    if (length === value.length) {
      // ASCII, the common case for topics: no encoder call
      for (let i = 0; i < length; i++) this.buf[this.pos + i] = value.charCodeAt(i)
    } else {
      textEncoder.encodeInto(value, this.buf.subarray(this.pos, this.pos + length))
    }
    this.pos += length
  }

  bool (field: number, value: boolean): void {
    this.tag(field, WIRE_VARINT)
    this.buf[this.pos++] = value ? 1 : 0
  }

  header (field: number, length: number): void {
    this.tag(field, WIRE_LEN)
    this.varint(length)
  }
}

function writeMessageFields (w: Writer, message: RPCMessage, withSignature: boolean): void {
  if (message.from != null) w.bytes(1, message.from)
  if (message.data != null) w.bytes(2, message.data)
  if (message.seqno != null) w.bytes(3, message.seqno)
  w.string(4, message.topic)
  if (withSignature) {
    if (message.signature != null) w.bytes(5, message.signature)
    if (message.key != null) w.bytes(6, message.key)
  }
}

function writeMessage (w: Writer, message: RPCMessage): void {
  if (message.raw != null) {
    w.buf.set(message.raw, w.pos)
    w.pos += message.raw.byteLength
  } else {
    writeMessageFields(w, message, true)
  }
}

function writeControl (w: Writer, control: ControlMessage): void {
  for (const ihave of control.ihave ?? []) {
    w.header(1, ihaveSize(ihave))
    if (ihave.topicID != null) w.string(1, ihave.topicID)
    for (const id of ihave.messageIDs) w.bytes(2, id)
  }
  for (const iwant of control.iwant ?? []) {
    w.header(2, bytesListSize(1, iwant.messageIDs))
    for (const id of iwant.messageIDs) w.bytes(1, id)
  }
  for (const graft of control.graft ?? []) {
    w.header(3, graftSize(graft))
    if (graft.topicID != null) w.string(1, graft.topicID)
  }
  for (const prune of control.prune ?? []) {
    w.header(4, pruneSize(prune))
    if (prune.topicID != null) w.string(1, prune.topicID)
    for (const peer of prune.peers ?? []) {
      w.header(2, peerInfoSize(peer))
      if (peer.peerID != null) w.bytes(1, peer.peerID)
      if (peer.signedPeerRecord != null) w.bytes(2, peer.signedPeerRecord)
    }
    if (prune.backoff != null) {
      w.tag(3, WIRE_VARINT)
      w.varint(prune.backoff)
    }
  }
  for (const idontwant of control.idontwant ?? []) {
    w.header(5, bytesListSize(1, idontwant.messageIDs))
    for (const id of idontwant.messageIDs) w.bytes(1, id)
  }
  if (control.extensions != null) {
    w.header(6, extensionsSize(control.extensions))
    if (control.extensions.testExtension != null) w.bool(FIELD_TEST_EXTENSION, control.extensions.testExtension)
  }
}

function writeRpc (w: Writer, rpc: RPC): void {
  for (const sub of rpc.subscriptions) {
    w.header(1, subOptsSize(sub))
    if (sub.subscribe != null) w.bool(1, sub.subscribe)
    if (sub.topic != null) w.string(2, sub.topic)
  }
  for (const message of rpc.messages) {
    w.header(2, messageSize(message))
    writeMessage(w, message)
  }
  if (rpc.control != null) {
    w.header(3, controlSize(rpc.control))
    writeControl(w, rpc.control)
  }
  if (rpc.testExtension != null) w.header(FIELD_TEST_EXTENSION, 0)
}

function checkValues (rpc: RPC): void {
  for (const prune of rpc.control?.prune ?? []) {
    if (prune.backoff != null && (!Number.isSafeInteger(prune.backoff) || prune.backoff < 0)) {
      throw new RangeError(`PRUNE backoff ${prune.backoff} is not a non-negative safe integer`)
    }
  }
}

/** Encodes `rpc` into one buffer of exactly its size. */
export function encodeRpc (rpc: RPC): Uint8Array {
  checkValues(rpc)
  const size = rpcSize(rpc)
  const w = new Writer(alloc(size))
  writeRpc(w, rpc)
  return w.buf
}

/**
 * Encodes `rpc` with its unsigned-varint length prefix, in one buffer: the
 * frame as it goes on a pubsub stream.
 */
export function encodeRpcFrame (rpc: RPC): Uint8Array {
  checkValues(rpc)
  const size = rpcSize(rpc)
  const w = new Writer(alloc(varintSize(size) + size))
  w.varint(size)
  writeRpc(w, rpc)
  return w.buf
}

/** Encodes one message (its `raw` bytes when set). */
export function encodeMessage (message: RPCMessage): Uint8Array {
  if (message.raw != null) return message.raw
  const w = new Writer(alloc(messageFieldsSize(message, true)))
  writeMessageFields(w, message, true)
  return w.buf
}

/**
 * The bytes a signature covers: `libp2p-pubsub:` followed by the message
 * encoded without its `signature` and `key` fields (pubsub/README.md,
 * "Message Signing").
 */
export function encodeSignable (prefix: Uint8Array, message: RPCMessage): Uint8Array {
  const w = new Writer(alloc(prefix.byteLength + messageFieldsSize(message, false)))
  w.buf.set(prefix, 0)
  w.pos = prefix.byteLength
  writeMessageFields(w, message, false)
  return w.buf
}
