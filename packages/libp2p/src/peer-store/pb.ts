/**
 * The codec of `peer.proto`'s `StoredPeer`, written by hand rather than
 * generated: the store reads back what a datastore on disk holds, and this
 * decoder is strict where protobufjs' generated decoders are lenient (it
 * checks each field's wire type and refuses invalid UTF-8 instead of
 * misreading or substituting), while staying byte-compatible with protobufjs
 * both ways (test/peer-store-pb.spec.ts checks that, property-based).
 * Encoding is deterministic (fields in tag order, minimal varints, repeated
 * fields in the order given); decoding skips unknown fields, as protobuf
 * readers do, so a newer store's entries stay readable, and fails with
 * {@link InvalidStoredPeerError} on anything else.
 */
import { MAX_STORED_PEER_SIZE } from './constants.js'
import { InvalidStoredPeerError } from './errors.js'

/** One stored address. */
export interface StoredAddress {
  multiaddr: Uint8Array
  isCertified: boolean
}

/** One stored tag; `expiry` is milliseconds since the epoch, 0 for never. */
export interface StoredTag {
  name: string
  value: number
  expiry: number
}

/** The decoded `StoredPeer` message. */
export interface StoredPeer {
  addresses: StoredAddress[]
  protocols: string[]
  publicKey?: Uint8Array
  peerRecordEnvelope?: Uint8Array
  metadata: Array<[string, Uint8Array]>
  tags: StoredTag[]
}

const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_LENGTH_DELIMITED = 2
const WIRE_FIXED32 = 5

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder('utf-8', { fatal: true })

class Writer {
  readonly #chunks: Uint8Array[] = []
  #length = 0

  varint (value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Cannot encode ${value} as a varint`)
    const bytes: number[] = []
    while (value >= 0x80) {
      bytes.push((value % 0x80) | 0x80)
      value = Math.floor(value / 0x80)
    }
    bytes.push(value)
    return this.raw(Uint8Array.from(bytes))
  }

  raw (bytes: Uint8Array): this {
    this.#chunks.push(bytes)
    this.#length += bytes.byteLength
    return this
  }

  tag (field: number, wireType: number): this {
    return this.varint(field * 8 + wireType)
  }

  bytes (field: number, value: Uint8Array): this {
    return this.tag(field, WIRE_LENGTH_DELIMITED).varint(value.byteLength).raw(value)
  }

  string (field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value))
  }

  uint (field: number, value: number): this {
    return value === 0 ? this : this.tag(field, WIRE_VARINT).varint(value)
  }

  finish (): Uint8Array {
    const out = new Uint8Array(this.#length)
    let offset = 0
    for (const chunk of this.#chunks) {
      out.set(chunk, offset)
      offset += chunk.byteLength
    }
    return out
  }
}

class Reader {
  #pos = 0
  readonly buf: Uint8Array
  constructor (buf: Uint8Array) { this.buf = buf }

  get done (): boolean { return this.#pos >= this.buf.byteLength }

  varint (): number {
    let value = 0
    for (let shift = 1, i = 0; i < 10; i++, shift *= 128) {
      if (this.#pos >= this.buf.byteLength) throw new InvalidStoredPeerError('Truncated varint in stored peer')
      const byte = this.buf[this.#pos++]
      value += (byte & 0x7f) * shift
      if ((byte & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) throw new InvalidStoredPeerError('Varint out of range in stored peer')
        return value
      }
    }
    throw new InvalidStoredPeerError('Varint longer than 10 bytes in stored peer')
  }

  bytes (): Uint8Array {
    const length = this.varint()
    if (length > this.buf.byteLength - this.#pos) throw new InvalidStoredPeerError('Truncated field in stored peer')
    const out = this.buf.slice(this.#pos, this.#pos + length)
    this.#pos += length
    return out
  }

  string (): string {
    try {
      return textDecoder.decode(this.bytes())
    } catch (err: any) {
      if (err instanceof InvalidStoredPeerError) throw err
      throw new InvalidStoredPeerError('Invalid UTF-8 in stored peer')
    }
  }

  skip (wireType: number): void {
    const advance = (n: number): void => {
      if (n > this.buf.byteLength - this.#pos) throw new InvalidStoredPeerError('Truncated field in stored peer')
      this.#pos += n
    }
    switch (wireType) {
      case WIRE_VARINT: this.varint(); break
      case WIRE_FIXED64: advance(8); break
      case WIRE_LENGTH_DELIMITED: advance(this.varint()); break
      case WIRE_FIXED32: advance(4); break
      default: throw new InvalidStoredPeerError(`Unsupported wire type ${wireType} in stored peer`)
    }
  }

  /** Calls `onField` for every field; `onField` returns false for fields it did not read. */
  fields (onField: (field: number, wireType: number, reader: Reader) => boolean): void {
    while (!this.done) {
      const key = this.varint()
      const field = Math.floor(key / 8)
      const wireType = key % 8
      if (field === 0) throw new InvalidStoredPeerError('Field number 0 in stored peer')
      if (!onField(field, wireType, this)) this.skip(wireType)
    }
  }
}

function expectWire (wireType: number, expected: number, what: string): void {
  if (wireType !== expected) throw new InvalidStoredPeerError(`Wrong wire type ${wireType} for ${what} in stored peer`)
}

/** Encodes a peer entry. */
export function encodeStoredPeer (peer: StoredPeer): Uint8Array {
  const w = new Writer()
  for (const address of peer.addresses) {
    const inner = new Writer().bytes(1, address.multiaddr).uint(2, address.isCertified ? 1 : 0).finish()
    w.bytes(1, inner)
  }
  for (const protocol of peer.protocols) w.string(2, protocol)
  if (peer.publicKey != null) w.bytes(3, peer.publicKey)
  if (peer.peerRecordEnvelope != null) w.bytes(4, peer.peerRecordEnvelope)
  for (const [key, value] of peer.metadata) {
    w.bytes(5, new Writer().string(1, key).bytes(2, value).finish())
  }
  for (const tag of peer.tags) {
    w.bytes(6, new Writer().string(1, tag.name).uint(2, tag.value).uint(3, tag.expiry).finish())
  }
  return w.finish()
}

/** Decodes a peer entry; {@link InvalidStoredPeerError} for anything malformed. */
export function decodeStoredPeer (buf: Uint8Array): StoredPeer {
  if (!(buf instanceof Uint8Array)) throw new InvalidStoredPeerError('A stored peer must be bytes')
  if (buf.byteLength > MAX_STORED_PEER_SIZE) throw new InvalidStoredPeerError(`A stored peer of ${buf.byteLength} bytes is larger than ${MAX_STORED_PEER_SIZE}`)
  const peer: StoredPeer = { addresses: [], protocols: [], metadata: [], tags: [] }
  new Reader(buf).fields((field, wireType, reader) => {
    switch (field) {
      case 1: {
        expectWire(wireType, WIRE_LENGTH_DELIMITED, 'addresses')
        const address: StoredAddress = { multiaddr: new Uint8Array(0), isCertified: false }
        new Reader(reader.bytes()).fields((f, wt, r) => {
          if (f === 1) { expectWire(wt, WIRE_LENGTH_DELIMITED, 'multiaddr'); address.multiaddr = r.bytes(); return true }
          if (f === 2) { expectWire(wt, WIRE_VARINT, 'is_certified'); address.isCertified = r.varint() !== 0; return true }
          return false
        })
        peer.addresses.push(address)
        return true
      }
      case 2:
        expectWire(wireType, WIRE_LENGTH_DELIMITED, 'protocols')
        peer.protocols.push(reader.string())
        return true
      case 3:
        expectWire(wireType, WIRE_LENGTH_DELIMITED, 'public_key')
        peer.publicKey = reader.bytes()
        return true
      case 4:
        expectWire(wireType, WIRE_LENGTH_DELIMITED, 'peer_record_envelope')
        peer.peerRecordEnvelope = reader.bytes()
        return true
      case 5: {
        expectWire(wireType, WIRE_LENGTH_DELIMITED, 'metadata')
        let key = ''
        let value: Uint8Array = new Uint8Array(0)
        new Reader(reader.bytes()).fields((f, wt, r) => {
          if (f === 1) { expectWire(wt, WIRE_LENGTH_DELIMITED, 'metadata key'); key = r.string(); return true }
          if (f === 2) { expectWire(wt, WIRE_LENGTH_DELIMITED, 'metadata value'); value = r.bytes(); return true }
          return false
        })
        peer.metadata.push([key, value])
        return true
      }
      case 6: {
        expectWire(wireType, WIRE_LENGTH_DELIMITED, 'tags')
        const tag: StoredTag = { name: '', value: 0, expiry: 0 }
        new Reader(reader.bytes()).fields((f, wt, r) => {
          if (f === 1) { expectWire(wt, WIRE_LENGTH_DELIMITED, 'tag name'); tag.name = r.string(); return true }
          if (f === 2) { expectWire(wt, WIRE_VARINT, 'tag value'); tag.value = r.varint(); return true }
          if (f === 3) { expectWire(wt, WIRE_VARINT, 'tag expiry'); tag.expiry = r.varint(); return true }
          return false
        })
        peer.tags.push(tag)
        return true
      }
      default:
        return false
    }
  })
  return peer
}
