/**
 * Ed25519 keys (peer-ids spec, "Ed25519"): a 32-byte public key, a private key
 * stored as `seed || public key` (64 bytes), plain RFC 8032 signatures.
 */
import { InvalidParametersError, InvalidPrivateKeyError, InvalidPublicKeyError } from '@ts-libp2p/interface'
import { ED25519_LEGACY_PRIVATE_KEY_LENGTH, ED25519_PRIVATE_KEY_LENGTH, ED25519_PUBLIC_KEY_LENGTH, ED25519_SEED_LENGTH, ED25519_SIGNATURE_LENGTH } from './constants.js'
import { platformBackend } from './backend/index.js'
import { digestToCID, digestToString, publicKeyDigest } from './peer-id-digest.js'
import { bytesEqual, contiguous, copyBytes, secretBytesEqual } from './util.js'
import type { CryptoBackend, SignData } from './backend/interface.js'
import type { AbortOptions, Ed25519PrivateKey, Ed25519PublicKey } from '@ts-libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { MultihashDigest } from 'multiformats/hashes/interface'

const inspect = Symbol.for('nodejs.util.inspect.custom')

export class Ed25519PublicKeyImpl implements Ed25519PublicKey {
  readonly type = 'Ed25519'
  readonly raw: Uint8Array
  readonly #backend: CryptoBackend
  #verifier?: (data: Uint8Array, signature: Uint8Array) => boolean
  #digest?: MultihashDigest<0x00>

  /** `raw` must already be checked to be 32 bytes; use {@link unmarshalEd25519PublicKey}. */
  constructor (raw: Uint8Array, backend: CryptoBackend = platformBackend) {
    this.raw = raw
    this.#backend = backend
  }

  toMultihash (): MultihashDigest<0x00> {
    // 32-byte keys encode to 36 bytes: always inlined
    this.#digest ??= publicKeyDigest(this.type, this.raw, this.#backend) as MultihashDigest<0x00>
    return this.#digest
  }

  toCID (): CID<unknown, 0x72, 0x00, 1> {
    return digestToCID(this.toMultihash())
  }

  toString (): string {
    return digestToString(this.toMultihash())
  }

  equals (key?: any): boolean {
    return key != null && key.type === this.type && key.raw instanceof Uint8Array && bytesEqual(this.raw, key.raw)
  }

  verify (data: SignData, sig: Uint8Array, options?: AbortOptions): boolean {
    options?.signal?.throwIfAborted()
    if (!(sig instanceof Uint8Array) || sig.byteLength !== ED25519_SIGNATURE_LENGTH) {
      return false
    }
    // Points that do not decode are caught here rather than when the key is
    // read: checking costs a square root, and every peer id parsed from a
    // string would pay it. Such a key verifies nothing.
    this.#verifier ??= this.#backend.ed25519.createVerifier(this.raw)
    return this.#verifier(contiguous(data), sig)
  }

  [inspect] (): string {
    return `Ed25519PublicKey(${this.toString()})`
  }
}

export class Ed25519PrivateKeyImpl implements Ed25519PrivateKey {
  readonly type = 'Ed25519'
  readonly publicKey: Ed25519PublicKeyImpl
  readonly raw: Uint8Array
  readonly #backend: CryptoBackend
  #signer?: (data: Uint8Array) => Uint8Array

  /** `raw` must be a checked `seed || public key`; use {@link unmarshalEd25519PrivateKey}. */
  constructor (raw: Uint8Array, backend: CryptoBackend = platformBackend) {
    this.raw = raw
    this.#backend = backend
    this.publicKey = new Ed25519PublicKeyImpl(raw.subarray(ED25519_SEED_LENGTH), backend)
  }

  equals (key?: any): boolean {
    return key != null && key.type === this.type && key.raw instanceof Uint8Array && secretBytesEqual(this.raw, key.raw)
  }

  sign (data: SignData, options?: AbortOptions): Uint8Array {
    options?.signal?.throwIfAborted()
    this.#signer ??= this.#backend.ed25519.createSigner(this.raw.subarray(0, ED25519_SEED_LENGTH), this.publicKey.raw)
    return this.#signer(contiguous(data))
  }

  [inspect] (): string {
    return `Ed25519PrivateKey(${this.publicKey.toString()})`
  }
}

/** Reads a 32-byte Ed25519 public key. */
export function unmarshalEd25519PublicKey (bytes: Uint8Array, backend: CryptoBackend = platformBackend): Ed25519PublicKeyImpl {
  if (bytes.byteLength !== ED25519_PUBLIC_KEY_LENGTH) {
    throw new InvalidPublicKeyError(`Ed25519 public key must be ${ED25519_PUBLIC_KEY_LENGTH} bytes, got ${bytes.byteLength}`)
  }
  return new Ed25519PublicKeyImpl(copyBytes(bytes), backend)
}

/**
 * Reads an Ed25519 private key: `seed || public key` (64 bytes), or the older
 * `seed || public key || public key` (96 bytes) whose two public keys must
 * match. The public key must be the one the seed derives.
 */
export function unmarshalEd25519PrivateKey (bytes: Uint8Array, backend: CryptoBackend = platformBackend): Ed25519PrivateKeyImpl {
  if (bytes.byteLength === ED25519_LEGACY_PRIVATE_KEY_LENGTH) {
    const publicKey = bytes.subarray(ED25519_SEED_LENGTH, ED25519_PRIVATE_KEY_LENGTH)
    const repeated = bytes.subarray(ED25519_PRIVATE_KEY_LENGTH)
    if (!bytesEqual(publicKey, repeated)) {
      throw new InvalidPrivateKeyError('Ed25519 private key in the 96-byte form has two different public keys')
    }
    bytes = bytes.subarray(0, ED25519_PRIVATE_KEY_LENGTH)
  }
  if (bytes.byteLength !== ED25519_PRIVATE_KEY_LENGTH) {
    throw new InvalidPrivateKeyError(`Ed25519 private key must be ${ED25519_PRIVATE_KEY_LENGTH} (or legacy ${ED25519_LEGACY_PRIVATE_KEY_LENGTH}) bytes, got ${bytes.byteLength}`)
  }
  const seed = bytes.subarray(0, ED25519_SEED_LENGTH)
  const derived = backend.ed25519.publicKeyFromSeed(seed)
  if (!bytesEqual(derived, bytes.subarray(ED25519_SEED_LENGTH))) {
    throw new InvalidPrivateKeyError('Ed25519 private key holds a public key that its seed does not derive')
  }
  return new Ed25519PrivateKeyImpl(copyBytes(bytes), backend)
}

/** A key pair from a 32-byte seed (RFC 8032 section 5.1.5): the same seed always gives the same key. */
export function ed25519PrivateKeyFromSeed (seed: Uint8Array, backend: CryptoBackend = platformBackend): Ed25519PrivateKeyImpl {
  if (!(seed instanceof Uint8Array) || seed.byteLength !== ED25519_SEED_LENGTH) {
    throw new InvalidParametersError(`Ed25519 seed must be a Uint8Array of ${ED25519_SEED_LENGTH} bytes`)
  }
  const raw = new Uint8Array(ED25519_PRIVATE_KEY_LENGTH)
  raw.set(seed)
  raw.set(backend.ed25519.publicKeyFromSeed(seed), ED25519_SEED_LENGTH)
  return new Ed25519PrivateKeyImpl(raw, backend)
}

/** A new random key pair. */
export function generateEd25519KeyPair (backend: CryptoBackend = platformBackend): Ed25519PrivateKeyImpl {
  return ed25519PrivateKeyFromSeed(backend.randomBytes(ED25519_SEED_LENGTH), backend)
}
