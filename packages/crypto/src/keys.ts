/**
 * The key functions of the package: protobuf and raw conversions, generation.
 */
import { InvalidParametersError, InvalidPrivateKeyError, InvalidPublicKeyError, UnsupportedKeyTypeError } from '@ts-libp2p/interface'
import { platformBackend } from './backend/index.js'
import { ED25519_LEGACY_PRIVATE_KEY_LENGTH, ED25519_PRIVATE_KEY_LENGTH, ED25519_PUBLIC_KEY_LENGTH, IDENTITY_MULTIHASH_CODE, MAX_INLINE_KEY_LENGTH, P256_JWK_CURVE, SECP256K1_PRIVATE_KEY_LENGTH, SECP256K1_PUBLIC_KEY_LENGTH } from './constants.js'
import { DerReader, TAG_INTEGER, TAG_OCTET_STRING } from './der.js'
import { ed25519PrivateKeyFromSeed, generateEd25519KeyPair, unmarshalEd25519PrivateKey, unmarshalEd25519PublicKey } from './ed25519.js'
import { OID_EC_PUBLIC_KEY, generateECDSAKeyPair, unmarshalECDSAPrivateKey, unmarshalECDSAPublicKey } from './ecdsa.js'
import { decodePrivateKeyMessage, decodePublicKeyMessage, encodePrivateKeyMessage, encodePublicKeyMessage } from './protobuf.js'
import { OID_RSA_ENCRYPTION, generateRSAKeyPair, unmarshalRSAPrivateKey, unmarshalRSAPublicKey } from './rsa.js'
import { generateSecp256k1KeyPair, unmarshalSecp256k1PrivateKey, unmarshalSecp256k1PublicKey } from './secp256k1.js'
import { bytesEqual } from './util.js'
import type { CryptoBackend } from './backend/interface.js'
import type { ECDSAPrivateKey, Ed25519PrivateKey, Ed25519PublicKey, KeyType, PrivateKey, PublicKey, RSAPrivateKey, Secp256k1PrivateKey, Secp256k1PublicKey } from '@ts-libp2p/interface'
import type { MultihashDigest } from 'multiformats/hashes/interface'

/** The `bits` argument of generateKeyPair for ECDSA keys: the curve. Only P-256 is supported. */
export type Curve = 'P-256'

/** Builds the public key of a decoded `PublicKey.Data`. */
export function publicKeyFromData (type: KeyType, data: Uint8Array, backend: CryptoBackend = platformBackend): PublicKey {
  switch (type) {
    case 'Ed25519': return unmarshalEd25519PublicKey(data, backend)
    case 'secp256k1': return unmarshalSecp256k1PublicKey(data, backend)
    case 'ECDSA': return unmarshalECDSAPublicKey(data, backend)
    case 'RSA': return unmarshalRSAPublicKey(data, backend)
    default: throw new UnsupportedKeyTypeError(`Unsupported key type ${String(type)}`)
  }
}

/** Builds the private key of a decoded `PrivateKey.Data`. */
export function privateKeyFromData (type: KeyType, data: Uint8Array, backend: CryptoBackend = platformBackend): PrivateKey {
  switch (type) {
    case 'Ed25519': return unmarshalEd25519PrivateKey(data, backend)
    case 'secp256k1': return unmarshalSecp256k1PrivateKey(data, backend)
    case 'ECDSA': return unmarshalECDSAPrivateKey(data, backend)
    case 'RSA': return unmarshalRSAPrivateKey(data, backend)
    default: throw new UnsupportedKeyTypeError(`Unsupported key type ${String(type)}`)
  }
}

/**
 * Reads a protobuf `PublicKey` (peer-ids spec), as peers send it in handshakes
 * and records. Throws `InvalidPublicKeyError` for a malformed, oversized or
 * non-deterministically encoded message or bad key bytes, and
 * `UnsupportedKeyTypeError` for a key type or ECDSA curve we do not support.
 */
export function publicKeyFromProtobuf (bytes: Uint8Array): PublicKey {
  const { type, data } = decodePublicKeyMessage(bytes)
  return publicKeyFromData(type, data, platformBackend)
}

/** Writes a public key as a protobuf `PublicKey`, deterministically encoded as the spec requires. */
export function publicKeyToProtobuf (key: PublicKey): Uint8Array {
  return encodePublicKeyMessage(key.type, key.raw)
}

/**
 * Reads a protobuf `PrivateKey`, the form libp2p implementations store keys
 * in on disk. Throws `InvalidPrivateKeyError` or `UnsupportedKeyTypeError`.
 */
export function privateKeyFromProtobuf (bytes: Uint8Array): PrivateKey {
  const { type, data } = decodePrivateKeyMessage(bytes)
  return privateKeyFromData(type, data, platformBackend)
}

/** Writes a private key as a protobuf `PrivateKey`, for storage. */
export function privateKeyToProtobuf (key: PrivateKey): Uint8Array {
  return encodePrivateKeyMessage(key.type, key.raw)
}

/**
 * The public key inlined in an identity multihash (an Ed25519 or secp256k1
 * peer id). Throws `InvalidParametersError` for other multihashes: a sha2-256
 * peer id does not contain its key.
 */
export function publicKeyFromMultihash (digest: MultihashDigest): Ed25519PublicKey | Secp256k1PublicKey {
  if (digest?.code !== IDENTITY_MULTIHASH_CODE) {
    throw new InvalidParametersError('Only an identity multihash carries its public key; a sha2-256 peer id needs the key from elsewhere')
  }
  if (digest.digest.byteLength > MAX_INLINE_KEY_LENGTH) {
    throw new InvalidPublicKeyError(`An inlined public key is at most ${MAX_INLINE_KEY_LENGTH} bytes, this one is ${digest.digest.byteLength}`)
  }
  const { type, data } = decodePublicKeyMessage(digest.digest)
  const key = publicKeyFromData(type, data, platformBackend)
  if (key.type !== 'Ed25519' && key.type !== 'secp256k1') {
    // unreachable for valid keys: RSA and ECDSA keys are longer than 42 bytes
    throw new InvalidPublicKeyError(`A ${key.type} key cannot be inlined in a multihash`)
  }
  return key
}

/** The algorithm OID of a SubjectPublicKeyInfo, or undefined when the bytes are not one. */
function spkiAlgorithm (bytes: Uint8Array): Uint8Array | undefined {
  try {
    return new DerReader(bytes, Error, 'key').sequence().sequence().oid()
  } catch {
    return undefined
  }
}

/** The tag that follows the version INTEGER of a DER private key, or undefined when there is none. */
function tagAfterVersion (bytes: Uint8Array): number | undefined {
  try {
    const key = new DerReader(bytes, Error, 'key').sequence()
    key.read(TAG_INTEGER)
    return key.peekTag()
  } catch {
    return undefined
  }
}

/**
 * Reads a public key from its `raw` bytes, recognising the type by form:
 * 32 bytes Ed25519, 33 bytes secp256k1, PKIX DER RSA or ECDSA.
 */
export function publicKeyFromRaw (bytes: Uint8Array): PublicKey {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidPublicKeyError('A raw public key must be a Uint8Array')
  }
  if (bytes.byteLength === ED25519_PUBLIC_KEY_LENGTH) {
    return unmarshalEd25519PublicKey(bytes, platformBackend)
  }
  if (bytes.byteLength === SECP256K1_PUBLIC_KEY_LENGTH) {
    return unmarshalSecp256k1PublicKey(bytes, platformBackend)
  }
  const algorithm = spkiAlgorithm(bytes)
  if (algorithm == null) {
    throw new InvalidPublicKeyError(`${bytes.byteLength} bytes are neither an Ed25519 (32) or secp256k1 (33) key nor a PKIX DER key`)
  }
  if (bytesEqual(algorithm, OID_RSA_ENCRYPTION)) {
    return unmarshalRSAPublicKey(bytes, platformBackend)
  }
  if (bytesEqual(algorithm, OID_EC_PUBLIC_KEY)) {
    return unmarshalECDSAPublicKey(bytes, platformBackend)
  }
  throw new UnsupportedKeyTypeError('PKIX public key of an algorithm other than RSA or ECDSA')
}

/**
 * Reads a private key from its `raw` bytes, recognising the type by form:
 * 64 (or legacy 96) bytes Ed25519, 32 bytes secp256k1, PKCS#1 DER RSA or
 * SEC 1 DER ECDSA.
 */
export function privateKeyFromRaw (bytes: Uint8Array): PrivateKey {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidPrivateKeyError('A raw private key must be a Uint8Array')
  }
  if (bytes.byteLength === ED25519_PRIVATE_KEY_LENGTH || bytes.byteLength === ED25519_LEGACY_PRIVATE_KEY_LENGTH) {
    return unmarshalEd25519PrivateKey(bytes, platformBackend)
  }
  if (bytes.byteLength === SECP256K1_PRIVATE_KEY_LENGTH) {
    return unmarshalSecp256k1PrivateKey(bytes, platformBackend)
  }
  // RSAPrivateKey: version then INTEGER n; ECPrivateKey: version then OCTET STRING d
  const next = tagAfterVersion(bytes)
  if (next === TAG_INTEGER) {
    return unmarshalRSAPrivateKey(bytes, platformBackend)
  }
  if (next === TAG_OCTET_STRING) {
    return unmarshalECDSAPrivateKey(bytes, platformBackend)
  }
  throw new InvalidPrivateKeyError(`${bytes.byteLength} bytes are neither an Ed25519 (64) or secp256k1 (32) key nor a PKCS#1 or SEC 1 DER key`)
}

/**
 * Generates a new key pair. `bits` is the RSA modulus size (default 2048,
 * 2048 to 8192) or, for ECDSA, the curve (`'P-256'`, the default and only one).
 */
export async function generateKeyPair (type: 'Ed25519'): Promise<Ed25519PrivateKey>
export async function generateKeyPair (type: 'secp256k1'): Promise<Secp256k1PrivateKey>
export async function generateKeyPair (type: 'ECDSA', curve?: Curve): Promise<ECDSAPrivateKey>
export async function generateKeyPair (type: 'RSA', bits?: number): Promise<RSAPrivateKey>
export async function generateKeyPair (type: KeyType, bits?: number | string): Promise<PrivateKey>
export async function generateKeyPair (type: KeyType, bits?: number | string): Promise<PrivateKey> {
  return generateKeyPairWith(platformBackend, type, bits)
}

/** generateKeyPair on a given backend (tests use it to compare backends). */
export async function generateKeyPairWith (backend: CryptoBackend, type: KeyType, bits?: number | string): Promise<PrivateKey> {
  switch (type) {
    case 'Ed25519': return generateEd25519KeyPair(backend)
    case 'secp256k1': return generateSecp256k1KeyPair(backend)
    case 'ECDSA':
      if (bits != null && bits !== P256_JWK_CURVE) {
        throw new InvalidParametersError(`ECDSA keys are generated on ${P256_JWK_CURVE} only, not ${String(bits)}`)
      }
      return generateECDSAKeyPair(backend)
    case 'RSA':
      if (bits != null && typeof bits !== 'number') {
        throw new InvalidParametersError(`RSA key size must be a number of bits, got ${String(bits)}`)
      }
      return generateRSAKeyPair(bits, backend)
    default:
      throw new UnsupportedKeyTypeError(`Cannot generate keys of type ${String(type)}`)
  }
}

/**
 * Derives an Ed25519 key pair from a 32-byte seed: the same seed always gives
 * the same key, and so the same peer id.
 */
export async function generateKeyPairFromSeed (type: 'Ed25519', seed: Uint8Array): Promise<Ed25519PrivateKey>
export async function generateKeyPairFromSeed (type: KeyType, seed: Uint8Array): Promise<PrivateKey>
export async function generateKeyPairFromSeed (type: KeyType, seed: Uint8Array): Promise<PrivateKey> {
  if (type !== 'Ed25519') {
    throw new UnsupportedKeyTypeError(`Keys from a seed are defined for Ed25519 only, not ${String(type)}`)
  }
  return ed25519PrivateKeyFromSeed(seed, platformBackend)
}
