import { publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { encode as encodeCbor } from 'cborg'
import protobuf from 'protobufjs/minimal.js'
import { IPNS_SIGNATURE_PREFIX } from '../src/ipns.js'
import type { PrivateKey } from '@ts-libp2p/interface'

/** How to build (or spoil) a test IPNS record. */
export interface Make {
  sequence?: number
  validity?: string
  value?: string
  withPubKey?: boolean
  v1Value?: string
  signWith?: PrivateKey
  padding?: number
  noV2?: boolean
}

/** An IPNS record per the spec, signed by `key` (V2), with optional tampering. */
export async function ipnsRecord (key: PrivateKey, make: Make = {}): Promise<Uint8Array> {
  const value = new TextEncoder().encode(make.value ?? '/ipfs/bafkqaaa')
  const validity = new TextEncoder().encode(make.validity ?? new Date(Date.now() + 3_600_000).toISOString())
  const data = encodeCbor({ Value: value, Validity: validity, ValidityType: 0, Sequence: make.sequence ?? 1, TTL: 60_000_000_000 })
  const signed = new Uint8Array([...IPNS_SIGNATURE_PREFIX, ...data])
  const signature = await (make.signWith ?? key).sign(signed)
  const w = protobuf.Writer.create()
  w.uint32(10).bytes(make.v1Value != null ? new TextEncoder().encode(make.v1Value) : value)
  w.uint32(24).uint64(0)
  w.uint32(34).bytes(validity)
  w.uint32(40).uint64(make.sequence ?? 1)
  w.uint32(48).uint64(60_000_000_000)
  if (make.withPubKey === true) w.uint32(58).bytes(publicKeyToProtobuf(key.publicKey))
  if (make.noV2 !== true) w.uint32(66).bytes(signature)
  w.uint32(74).bytes(data)
  if (make.padding != null) w.uint32(8 * 100 + 2).bytes(new Uint8Array(make.padding))
  return w.finish()
}

export function ipnsKey (key: PrivateKey): Uint8Array {
  return new Uint8Array([...new TextEncoder().encode('/ipns/'), ...key.publicKey.toMultihash().bytes])
}

