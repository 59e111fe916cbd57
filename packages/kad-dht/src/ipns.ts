import { publicKeyFromMultihash, publicKeyFromProtobuf } from '@ts-libp2p/crypto'
import { decode as decodeCbor } from 'cborg'
import { equals as equalBytes } from 'multiformats/bytes'
import * as Digest from 'multiformats/hashes/digest'
import protobuf from 'protobufjs/minimal.js'
import { InvalidRecordError } from './errors.js'
import type { Selector, Validator } from './records.js'
import type { PublicKey } from '@ts-libp2p/interface'

/**
 * IPNS record validation and selection for `/ipns/` keys, per the IPNS
 * record spec (https://specs.ipfs.tech/ipns/ipns-record/): the V2 signature
 * over `"ipns-signature:" + data` (data being the DAG-CBOR document), the
 * signer's key matching the name, the EOL validity not passed, and among
 * valid records the highest sequence wins, then the longest validity.
 */

/** "IPNS implementations MUST support sending and receiving a serialized IpnsEntry less than or equal to 10 KiB" (IPNS spec, "Record Size Limit"). */
export const MAX_IPNS_RECORD_SIZE = 10 * 1024

/** The prefix of the bytes a V2 signature covers (IPNS spec, "Record Signing"). */
export const IPNS_SIGNATURE_PREFIX = new TextEncoder().encode('ipns-signature:')

/** The fields of an IpnsEntry protobuf we use. */
export interface IpnsEntry {
  value?: Uint8Array
  signatureV1?: Uint8Array
  validityType?: number
  validity?: Uint8Array
  sequence?: bigint
  ttl?: bigint
  pubKey?: Uint8Array
  signatureV2?: Uint8Array
  data?: Uint8Array
}

/** The DAG-CBOR `data` document of a V2 record. */
export interface IpnsData {
  Value: Uint8Array
  Validity: Uint8Array
  ValidityType: number
  Sequence: bigint
  TTL: bigint
}

/** Parses the IpnsEntry protobuf (IPNS spec, "Record Serialization Format"). */
export function decodeIpnsEntry (bytes: Uint8Array): IpnsEntry {
  const reader = protobuf.Reader.create(bytes)
  const entry: IpnsEntry = {}
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      const field = tag >>> 3
      const wire = tag & 7
      if (wire === 2 && [1, 2, 4, 7, 8, 9].includes(field)) {
        const value = reader.bytes()
        if (field === 1) entry.value = value
        else if (field === 2) entry.signatureV1 = value
        else if (field === 4) entry.validity = value
        else if (field === 7) entry.pubKey = value
        else if (field === 8) entry.signatureV2 = value
        else entry.data = value
      } else if (wire === 0 && [3, 5, 6].includes(field)) {
        const long = reader.uint64()
        const value = BigInt(long.toString())
        if (field === 3) entry.validityType = Number(value)
        else if (field === 5) entry.sequence = value
        else entry.ttl = value
      } else {
        reader.skipType(wire)
      }
    }
  } catch (err: any) {
    throw new InvalidRecordError(`Not an IPNS record: ${String(err?.message ?? err)}`)
  }
  return entry
}

/** Decodes and checks the shape of the V2 `data` field. */
export function decodeIpnsData (data: Uint8Array): IpnsData {
  let doc: any
  try {
    doc = decodeCbor(data, { useMaps: false })
  } catch (err: any) {
    throw new InvalidRecordError(`The IPNS record data is not CBOR: ${String(err?.message ?? err)}`)
  }
  if (doc == null || typeof doc !== 'object') throw new InvalidRecordError('The IPNS record data is not a map')
  const toBig = (v: unknown): bigint | undefined => typeof v === 'bigint' ? v : (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? BigInt(v) : undefined)
  const sequence = toBig(doc.Sequence)
  const ttl = toBig(doc.TTL)
  if (!(doc.Value instanceof Uint8Array) || !(doc.Validity instanceof Uint8Array) || typeof doc.ValidityType !== 'number' || sequence == null || ttl == null) {
    throw new InvalidRecordError('The IPNS record data lacks Value, Validity, ValidityType, Sequence or TTL')
  }
  return { Value: doc.Value, Validity: doc.Validity, ValidityType: doc.ValidityType, Sequence: sequence, TTL: ttl }
}

/** The EOL of a validity field (RFC 3339, nanoseconds allowed) in ms since the epoch. */
export function parseValidity (validity: Uint8Array): number {
  const text = new TextDecoder().decode(validity)
  // Date.parse wants at most milliseconds: cut a longer fraction
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'))
  if (Number.isNaN(ms)) throw new InvalidRecordError(`The IPNS validity "${text.slice(0, 64)}" is not an RFC 3339 time`)
  return ms
}

/** The public key that must have signed a record for the name in `key` (`/ipns/<multihash>`). */
function signerOf (key: Uint8Array, entry: IpnsEntry): PublicKey {
  const nameBytes = key.subarray(6) // '/ipns/'
  let name: ReturnType<typeof Digest.decode>
  try {
    name = Digest.decode(nameBytes)
  } catch {
    throw new InvalidRecordError('An /ipns/ key must be followed by a multihash')
  }
  if (entry.pubKey != null) {
    let publicKey: PublicKey
    try {
      publicKey = publicKeyFromProtobuf(entry.pubKey)
    } catch (err: any) {
      throw new InvalidRecordError(`The IPNS record's pubKey is not a public key: ${String(err?.message ?? err)}`)
    }
    if (!equalBytes(publicKey.toMultihash().bytes, nameBytes)) throw new InvalidRecordError('The IPNS record\'s pubKey is not the key of the name')
    return publicKey
  }
  if (name.code !== 0x00) throw new InvalidRecordError('The IPNS record has no pubKey and its name does not embed the key')
  try {
    return publicKeyFromMultihash(name as any)
  } catch (err: any) {
    throw new InvalidRecordError(`The IPNS name does not embed a usable key: ${String(err?.message ?? err)}`)
  }
}

/**
 * Validates an IPNS record for `key` at time `now`: size, V2 signature by
 * the name's key, V1 fields (when present) agreeing with the signed data,
 * and an EOL validity in the future.
 */
export async function validateIpnsRecord (key: Uint8Array, value: Uint8Array, now: number = Date.now()): Promise<void> {
  if (value.byteLength > MAX_IPNS_RECORD_SIZE) throw new InvalidRecordError(`The IPNS record is ${value.byteLength} bytes, over the ${MAX_IPNS_RECORD_SIZE} limit`)
  const entry = decodeIpnsEntry(value)
  if (entry.signatureV2 == null || entry.data == null) throw new InvalidRecordError('The IPNS record has no signatureV2 or data (V1-only records are not accepted)')
  const publicKey = signerOf(key, entry)
  const signed = new Uint8Array(IPNS_SIGNATURE_PREFIX.byteLength + entry.data.byteLength)
  signed.set(IPNS_SIGNATURE_PREFIX)
  signed.set(entry.data, IPNS_SIGNATURE_PREFIX.byteLength)
  if (!await publicKey.verify(signed, entry.signatureV2)) throw new InvalidRecordError('The IPNS record\'s signatureV2 does not verify')
  const data = decodeIpnsData(entry.data)
  // fields outside the signed data must not disagree with it (IPNS spec, "Record Verification")
  if ((entry.value != null && !equalBytes(entry.value, data.Value)) ||
    (entry.validity != null && !equalBytes(entry.validity, data.Validity)) ||
    (entry.validityType != null && entry.validityType !== data.ValidityType) ||
    (entry.sequence != null && entry.sequence !== data.Sequence) ||
    (entry.ttl != null && entry.ttl !== data.TTL)) {
    throw new InvalidRecordError('The IPNS record\'s protobuf fields disagree with its signed data')
  }
  if (data.ValidityType !== 0) throw new InvalidRecordError(`Unknown IPNS ValidityType ${data.ValidityType}`)
  if (parseValidity(data.Validity) <= now) throw new InvalidRecordError('The IPNS record has expired (Validity EOL passed)')
}

/** The validator registered for the `ipns` namespace. */
export const ipnsValidator: Validator = async (key, value) => { await validateIpnsRecord(key, value) }

/** Highest Sequence wins; on a tie the later Validity EOL; then the first. */
export const ipnsSelector: Selector = (_key, values) => {
  let best = -1
  let bestSeq = -1n
  let bestEol = -Infinity
  values.forEach((value, i) => {
    try {
      const entry = decodeIpnsEntry(value)
      if (entry.data == null) return
      const data = decodeIpnsData(entry.data)
      const eol = parseValidity(data.Validity)
      if (data.Sequence > bestSeq || (data.Sequence === bestSeq && eol > bestEol)) {
        best = i
        bestSeq = data.Sequence
        bestEol = eol
      }
    } catch {}
  })
  return best < 0 ? 0 : best
}
