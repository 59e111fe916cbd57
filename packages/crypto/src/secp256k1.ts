/**
 * secp256k1 keys (peer-ids spec, "Secp256k1"): the "standard Bitcoin EC
 * encoding" - a 33-byte compressed public key and a 32-byte private scalar -
 * and ECDSA over SHA-256 of the message with a DER signature (BIP 62 / BIP 66).
 *
 * Always @noble/curves: node:crypto has the curve but no faster path worth a
 * second implementation, and the same code runs everywhere. Signing produces
 * low-S signatures (BIP 62 rule 5, what go-libp2p's decred library and
 * js-libp2p produce); verification also accepts high-S ones, as go-libp2p does,
 * so a valid signature from any implementation verifies here.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { InvalidPrivateKeyError, InvalidPublicKeyError } from '@ts-libp2p/interface'
import { platformBackend } from './backend/index.js'
import { MAX_ECDSA_P256_DER_SIGNATURE_LENGTH, SECP256K1_PRIVATE_KEY_LENGTH, SECP256K1_PUBLIC_KEY_LENGTH, SECP256K1_UNCOMPRESSED_PUBLIC_KEY_LENGTH } from './constants.js'
import { digestToCID, digestToString, publicKeyDigest } from './peer-id-digest.js'
import { bytesEqual, copyBytes, secretBytesEqual } from './util.js'
import type { CryptoBackend, SignData } from './backend/interface.js'
import type { AbortOptions, Secp256k1PrivateKey, Secp256k1PublicKey } from '@ts-libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { MultihashDigest } from 'multiformats/hashes/interface'

const inspect = Symbol.for('nodejs.util.inspect.custom')

export class Secp256k1PublicKeyImpl implements Secp256k1PublicKey {
  readonly type = 'secp256k1'
  readonly raw: Uint8Array
  readonly #backend: CryptoBackend
  #digest?: MultihashDigest<0x00>

  /** `raw` must be a checked compressed point; use {@link unmarshalSecp256k1PublicKey}. */
  constructor (raw: Uint8Array, backend: CryptoBackend = platformBackend) {
    this.raw = raw
    this.#backend = backend
  }

  toMultihash (): MultihashDigest<0x00> {
    // 33-byte keys encode to 37 bytes: always inlined
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
    if (!(sig instanceof Uint8Array) || sig.byteLength > MAX_ECDSA_P256_DER_SIGNATURE_LENGTH) {
      return false
    }
    try {
      return secp256k1.verify(sig, this.#backend.sha256(data), this.raw, { prehash: false, format: 'der', lowS: false })
    } catch {
      return false
    }
  }

  [inspect] (): string {
    return `Secp256k1PublicKey(${this.toString()})`
  }
}

export class Secp256k1PrivateKeyImpl implements Secp256k1PrivateKey {
  readonly type = 'secp256k1'
  readonly publicKey: Secp256k1PublicKeyImpl
  readonly raw: Uint8Array
  readonly #backend: CryptoBackend

  /** `raw` must be a checked scalar; use {@link unmarshalSecp256k1PrivateKey}. */
  constructor (raw: Uint8Array, publicKey: Uint8Array, backend: CryptoBackend = platformBackend) {
    this.raw = raw
    this.#backend = backend
    this.publicKey = new Secp256k1PublicKeyImpl(publicKey, backend)
  }

  equals (key?: any): boolean {
    return key != null && key.type === this.type && key.raw instanceof Uint8Array && secretBytesEqual(this.raw, key.raw)
  }

  sign (data: SignData, options?: AbortOptions): Uint8Array {
    options?.signal?.throwIfAborted()
    return secp256k1.sign(this.#backend.sha256(data), this.raw, { prehash: false, format: 'der' })
  }

  [inspect] (): string {
    return `Secp256k1PrivateKey(${this.publicKey.toString()})`
  }
}

/**
 * Reads a secp256k1 public key: 33 bytes compressed, or 65 bytes uncompressed
 * (also "standard Bitcoin encoding", and accepted by go-libp2p); it is kept
 * compressed, the form every implementation writes.
 */
export function unmarshalSecp256k1PublicKey (bytes: Uint8Array, backend: CryptoBackend = platformBackend): Secp256k1PublicKeyImpl {
  if (bytes.byteLength !== SECP256K1_PUBLIC_KEY_LENGTH && bytes.byteLength !== SECP256K1_UNCOMPRESSED_PUBLIC_KEY_LENGTH) {
    throw new InvalidPublicKeyError(`secp256k1 public key must be ${SECP256K1_PUBLIC_KEY_LENGTH} (compressed) or ${SECP256K1_UNCOMPRESSED_PUBLIC_KEY_LENGTH} bytes, got ${bytes.byteLength}`)
  }
  let point
  try {
    point = secp256k1.Point.fromBytes(bytes)
    point.assertValidity()
  } catch (err: any) {
    throw new InvalidPublicKeyError(`secp256k1 public key is not a point of the curve: ${String(err?.message ?? err)}`)
  }
  return new Secp256k1PublicKeyImpl(point.toBytes(true), backend)
}

/** Reads a 32-byte secp256k1 private key, which must be in [1, n-1]. */
export function unmarshalSecp256k1PrivateKey (bytes: Uint8Array, backend: CryptoBackend = platformBackend): Secp256k1PrivateKeyImpl {
  if (bytes.byteLength !== SECP256K1_PRIVATE_KEY_LENGTH) {
    throw new InvalidPrivateKeyError(`secp256k1 private key must be ${SECP256K1_PRIVATE_KEY_LENGTH} bytes, got ${bytes.byteLength}`)
  }
  if (!secp256k1.utils.isValidSecretKey(bytes)) {
    throw new InvalidPrivateKeyError('secp256k1 private key is not in the range [1, n-1]')
  }
  const raw = copyBytes(bytes)
  return new Secp256k1PrivateKeyImpl(raw, secp256k1.getPublicKey(raw, true), backend)
}

/** A new random key pair. */
export function generateSecp256k1KeyPair (backend: CryptoBackend = platformBackend): Secp256k1PrivateKeyImpl {
  const raw = secp256k1.utils.randomSecretKey(backend.randomBytes(48))
  return new Secp256k1PrivateKeyImpl(raw, secp256k1.getPublicKey(raw, true), backend)
}
