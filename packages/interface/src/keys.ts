import type { AbortOptions } from './index.js'
import type { CID } from 'multiformats/cid'
import type { MultihashDigest } from 'multiformats/hashes/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** The key types of the peer-ids spec (`KeyType` enum in its protobuf). */
export type KeyType = 'RSA' | 'Ed25519' | 'secp256k1' | 'ECDSA'

interface PublicKeyBase<T extends KeyType, Code extends number> {
  /** The key algorithm. */
  readonly type: T
  /** The key bytes in the form the peer-ids spec puts in `PublicKey.Data`. */
  readonly raw: Uint8Array
  /** True when `key` is a public key with the same type and bytes. */
  equals(key?: any): boolean
  /** The multihash a peer id is made of: identity for small keys, sha2-256 for RSA. */
  toMultihash(): MultihashDigest<Code>
  /** The peer id as a CIDv1 with the libp2p-key codec (0x72). */
  toCID(): CID<unknown, 0x72, Code, 1>
  /** Checks `sig` over `data`. */
  verify(data: Uint8Array | Uint8ArrayList, sig: Uint8Array, options?: AbortOptions): boolean | Promise<boolean>
  /** The peer id string (base58btc of the multihash). */
  toString(): string
}

/** An RSA public key (PKIX DER in `raw`). */
export interface RSAPublicKey extends PublicKeyBase<'RSA', 0x12> {
  /** The key as a JSON Web Key. */
  readonly jwk: JsonWebKey
}
/** An Ed25519 public key (32 bytes). */
export interface Ed25519PublicKey extends PublicKeyBase<'Ed25519', 0x0> {}
/** A secp256k1 public key (33-byte compressed point). */
export interface Secp256k1PublicKey extends PublicKeyBase<'secp256k1', 0x0> {}
/** An ECDSA public key (PKIX DER in `raw`). */
export interface ECDSAPublicKey extends PublicKeyBase<'ECDSA', 0x0> {
  /** The key as a JSON Web Key. */
  readonly jwk: JsonWebKey
}

/** Any public key a peer can have. */
export type PublicKey = RSAPublicKey | Ed25519PublicKey | Secp256k1PublicKey | ECDSAPublicKey

interface PrivateKeyBase<T extends KeyType, Pub> {
  /** The key algorithm. */
  readonly type: T
  /** The matching public key. */
  readonly publicKey: Pub
  /** The key bytes in the form the peer-ids spec puts in `PrivateKey.Data`. */
  readonly raw: Uint8Array
  /** True when `key` is a private key with the same type and bytes. */
  equals(key?: any): boolean
  /** Signs `data`. */
  sign(data: Uint8Array | Uint8ArrayList, options?: AbortOptions): Uint8Array | Promise<Uint8Array>
}

/** An RSA private key (PKCS#1 DER in `raw`). */
export interface RSAPrivateKey extends PrivateKeyBase<'RSA', RSAPublicKey> {
  /** The key as a JSON Web Key. */
  readonly jwk: JsonWebKey
}
/** An Ed25519 private key (64 bytes: seed then public key). */
export interface Ed25519PrivateKey extends PrivateKeyBase<'Ed25519', Ed25519PublicKey> {}
/** A secp256k1 private key (32 bytes). */
export interface Secp256k1PrivateKey extends PrivateKeyBase<'secp256k1', Secp256k1PublicKey> {}
/** An ECDSA private key (DER in `raw`). */
export interface ECDSAPrivateKey extends PrivateKeyBase<'ECDSA', ECDSAPublicKey> {
  /** The key as a JSON Web Key. */
  readonly jwk: JsonWebKey
}

/** Any private key a node can have. */
export type PrivateKey = RSAPrivateKey | Ed25519PrivateKey | Secp256k1PrivateKey | ECDSAPrivateKey

const KEY_TYPES = new Set<string>(['RSA', 'Ed25519', 'secp256k1', 'ECDSA'])

/** True when `key` looks like a public key of a known type. */
export function isPublicKey (key?: any): key is PublicKey {
  return key != null && KEY_TYPES.has(key.type) && key.raw instanceof Uint8Array &&
    typeof key.verify === 'function' && typeof key.toMultihash === 'function'
}

/** True when `key` looks like a private key of a known type. */
export function isPrivateKey (key?: any): key is PrivateKey {
  return key != null && KEY_TYPES.has(key.type) && key.raw instanceof Uint8Array &&
    typeof key.sign === 'function' && isPublicKey(key.publicKey)
}
