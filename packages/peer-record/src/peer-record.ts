import { InvalidParametersError } from '@ts-libp2p/interface'
import { peerIdFromMultihash, peerIdFromPublicKey } from '@ts-libp2p/peer-id'
import { multiaddr as toMultiaddr, isMultiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_ADDRESSES_PER_RECORD, MAX_MULTIADDR_LENGTH, PEER_RECORD_CODEC, PEER_RECORD_DOMAIN } from './constants.js'
import { RecordEnvelope } from './envelope.js'
import { InvalidPeerRecordError, WrongPayloadTypeError } from './errors.js'
import * as pb from './pb/peer-record.js'
import { bytesEqual, copyBytes } from './varint.js'
import type { AbortOptions, PeerId, Record } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const MAX_UINT64 = (1n << 64n) - 1n

/** What a {@link PeerRecord} is made of. */
export interface PeerRecordInit {
  peerId: PeerId
  /** The peer's public listen addresses (at most {@link MAX_ADDRESSES_PER_RECORD}). */
  multiaddrs?: Multiaddr[]
  /** Orders records of one peer in time; defaults to {@link timestampSeq}. */
  seq?: bigint
}

let lastSeq = 0n

/**
 * A strictly increasing sequence number from the wall clock, in nanoseconds
 * since the epoch like go-libp2p's `TimestampSeq` (RFC 0003 lets a peer use
 * epoch time so it keeps no state across restarts). Two calls in the same
 * nanosecond, or a clock that steps back, still get increasing numbers.
 */
export function timestampSeq (): bigint {
  let now = BigInt(Date.now()) * 1_000_000n
  if (now <= lastSeq) now = lastSeq + 1n
  lastSeq = now
  return now
}

function toUint64Parts (value: bigint): { low: number, high: number, unsigned: true } {
  return { low: Number(value & 0xffffffffn) | 0, high: Number(value >> 32n) | 0, unsigned: true }
}

function fromUint64 (value: number | { low: number, high: number }): bigint {
  if (typeof value === 'number') return BigInt(value)
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0)
}

/**
 * A peer record (RFC 0003): a peer's listen addresses and a sequence number
 * that orders its records, to be carried in a signed envelope under the
 * `libp2p-peer-record` domain with payload type 0x03 0x01.
 */
export class PeerRecord implements Record {
  /** The signature domain of peer records. */
  static DOMAIN = PEER_RECORD_DOMAIN
  /** The payload type of peer records: 0x0301 as the bytes 0x03 0x01 (see {@link PEER_RECORD_CODEC}). */
  static CODEC = PEER_RECORD_CODEC

  readonly peerId: PeerId
  readonly multiaddrs: Multiaddr[]
  readonly seq: bigint
  readonly domain = PEER_RECORD_DOMAIN
  readonly codec = PEER_RECORD_CODEC
  #marshaled?: Uint8Array

  constructor (init: PeerRecordInit) {
    const { peerId, multiaddrs = [], seq = timestampSeq() } = init
    if (peerId == null || typeof peerId.toMultihash !== 'function') {
      throw new InvalidParametersError('A peer record needs a peer id')
    }
    if (typeof seq !== 'bigint' || seq < 0n || seq > MAX_UINT64) {
      throw new InvalidParametersError('A peer record seq must be a bigint between 0 and 2^64 - 1')
    }
    if (!Array.isArray(multiaddrs) || multiaddrs.length > MAX_ADDRESSES_PER_RECORD || !multiaddrs.every(isMultiaddr)) {
      throw new InvalidParametersError(`A peer record carries at most ${MAX_ADDRESSES_PER_RECORD} multiaddrs`)
    }
    this.peerId = peerId
    this.multiaddrs = [...multiaddrs]
    this.seq = seq
  }

  /**
   * Parses a marshalled peer record. Malformed protobuf, a bad peer id or
   * multiaddr, or more than {@link MAX_ADDRESSES_PER_RECORD} addresses fail
   * with {@link InvalidPeerRecordError}.
   */
  static createFromProtobuf (data: Uint8Array | Uint8ArrayList): PeerRecord {
    const bytes = data instanceof Uint8ArrayList ? data.subarray() : data
    if (!(bytes instanceof Uint8Array)) {
      throw new InvalidPeerRecordError('A peer record must be a Uint8Array or Uint8ArrayList')
    }
    let message: pb.PeerRecord
    try {
      message = pb.PeerRecord.decode(bytes)
    } catch (err: any) {
      throw new InvalidPeerRecordError(`Could not decode the peer record: ${String(err?.message ?? err)}`)
    }
    if (message.addresses.length > MAX_ADDRESSES_PER_RECORD) {
      throw new InvalidPeerRecordError(`The peer record has ${message.addresses.length} addresses, more than the ${MAX_ADDRESSES_PER_RECORD} allowed`)
    }
    let peerId: PeerId
    try {
      peerId = peerIdFromMultihash(Digest.decode(copyBytes(message.peerId)))
    } catch (err: any) {
      throw new InvalidPeerRecordError(`The peer record has no valid peer id: ${String(err?.message ?? err)}`)
    }
    const multiaddrs = message.addresses.map((info, i) => {
      const raw = info.multiaddr ?? new Uint8Array(0)
      if (raw.byteLength === 0 || raw.byteLength > MAX_MULTIADDR_LENGTH) {
        throw new InvalidPeerRecordError(`Address ${i} of the peer record is ${raw.byteLength} bytes, not 1 to ${MAX_MULTIADDR_LENGTH}`)
      }
      try {
        return toMultiaddr(copyBytes(raw))
      } catch (err: any) {
        throw new InvalidPeerRecordError(`Address ${i} of the peer record is not a valid multiaddr: ${String(err?.message ?? err)}`)
      }
    })
    const record = new PeerRecord({ peerId, multiaddrs, seq: fromUint64(message.seq) })
    return record
  }

  /** The record's protobuf form. */
  marshal (): Uint8Array {
    this.#marshaled ??= copyBytes(pb.PeerRecord.encode({
      peerId: this.peerId.toMultihash().bytes,
      seq: toUint64Parts(this.seq) as any,
      addresses: this.multiaddrs.map(ma => ({ multiaddr: ma.bytes }))
    }).finish())
    return this.#marshaled
  }

  /** True when `other` is a peer record of the same peer, seq and addresses in the same order. */
  equals (other: Record): boolean {
    if (!(other instanceof PeerRecord)) return false
    return this.peerId.equals(other.peerId) &&
      this.seq === other.seq &&
      this.multiaddrs.length === other.multiaddrs.length &&
      this.multiaddrs.every((ma, i) => bytesEqual(ma.bytes, other.multiaddrs[i].bytes))
  }
}

/** A verified peer record and the envelope that carried it. */
export interface OpenedPeerRecord {
  envelope: RecordEnvelope
  record: PeerRecord
}

/**
 * Opens a marshalled envelope that must carry a peer record signed by the
 * record's own peer: checks the signature under `libp2p-peer-record`
 * ({@link InvalidSignatureError}), the payload type
 * ({@link WrongPayloadTypeError}), parses the record
 * ({@link InvalidPeerRecordError}) and checks that the signing key is the
 * key of the record's peer id ({@link InvalidPeerRecordError}), as RFC 0003
 * "Certification / Verification" requires.
 */
export async function openPeerRecord (data: Uint8Array | Uint8ArrayList, options?: AbortOptions): Promise<OpenedPeerRecord> {
  const envelope = await RecordEnvelope.openAndCertify(data, PEER_RECORD_DOMAIN, options)
  if (!bytesEqual(envelope.payloadType, PEER_RECORD_CODEC)) {
    throw new WrongPayloadTypeError('The envelope does not carry a peer record (payload type is not 0x03 0x01)')
  }
  const record = PeerRecord.createFromProtobuf(envelope.payload)
  let signer: PeerId
  try {
    signer = peerIdFromPublicKey(envelope.publicKey)
  } catch (err: any) {
    throw new InvalidPeerRecordError(`Cannot derive a peer id from the signing key: ${String(err?.message ?? err)}`)
  }
  if (!signer.equals(record.peerId)) {
    throw new InvalidPeerRecordError(`The peer record of ${record.peerId.toString()} is signed by ${signer.toString()}`)
  }
  return { envelope, record }
}
