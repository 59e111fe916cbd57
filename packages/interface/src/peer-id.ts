import { peerIdSymbol } from './symbols.js'
import type { Ed25519PublicKey, KeyType, RSAPublicKey, Secp256k1PublicKey } from './keys.js'
import type { CID } from 'multiformats/cid'
import type { MultihashDigest } from 'multiformats/hashes/interface'

/** The kind of key behind a peer id, or `url` for URL peer ids. */
export type PeerIdType = KeyType | string

/** A peer id derived from an RSA key: a sha2-256 multihash, so the key may be unknown. */
export interface RSAPeerId {
  readonly type: 'RSA'
  /** Present when the key was known when the id was made. */
  readonly publicKey?: RSAPublicKey
  /** base58btc of the multihash. */
  toString(): string
  toMultihash(): MultihashDigest<0x12>
  toCID(): CID<Uint8Array, 0x72, 0x12, 1>
  equals(other?: any): boolean
}

/** A peer id carrying an Ed25519 key inline (identity multihash). */
export interface Ed25519PeerId {
  readonly type: 'Ed25519'
  readonly publicKey: Ed25519PublicKey
  toString(): string
  toMultihash(): MultihashDigest<0x0>
  toCID(): CID<Uint8Array, 0x72, 0x0, 1>
  equals(other?: any): boolean
}

/** A peer id carrying a secp256k1 key inline (identity multihash). */
export interface Secp256k1PeerId {
  readonly type: 'secp256k1'
  readonly publicKey: Secp256k1PublicKey
  toString(): string
  toMultihash(): MultihashDigest<0x0>
  toCID(): CID<Uint8Array, 0x72, 0x0, 1>
  equals(other?: any): boolean
}

/** A peer id that is a URL (used by HTTP-based routers); it has no key. */
export interface URLPeerId {
  readonly type: 'url'
  readonly publicKey: undefined
  toString(): string
  toMultihash(): MultihashDigest<0x0>
  toCID(): CID<Uint8Array, 0x0920, 0x0, 1>
  equals(other?: any): boolean
}

/**
 * The identity of a peer (peer-ids spec): the multihash of its public key's
 * protobuf form. Keys whose encoding is at most 42 bytes (Ed25519, secp256k1)
 * are inlined with the identity hash; longer ones (RSA, ECDSA) are hashed with
 * sha2-256, so the key itself must be learnt another way (identify, noise).
 */
export type PeerId = RSAPeerId | Ed25519PeerId | Secp256k1PeerId | URLPeerId

/** True when `other` carries the ecosystem's peer id brand. */
export function isPeerId (other?: any): other is PeerId {
  return other != null && other[peerIdSymbol] === true
}
