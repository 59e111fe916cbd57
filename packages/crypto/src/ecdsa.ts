/**
 * ECDSA keys on NIST P-256 (peer-ids spec, "ECDSA"): the public key is a PKIX
 * SubjectPublicKeyInfo in DER, the private key an RFC 5915 (SEC 1) ECPrivateKey
 * in DER - the spec's "DER-encoded PKIX" for the private key is what go-libp2p
 * writes with x509.MarshalECPrivateKey, and what its test vector holds - and a
 * signature is ECDSA over SHA-256 of the message, DER encoded.
 *
 * Keys are re-encoded canonically (uncompressed point, curve parameters and
 * public key present), byte for byte what go-libp2p writes, so a key read and
 * written again is unchanged. Only P-256 is accepted: it is the curve
 * go-libp2p generates, and the one the spec's test vector uses.
 */
import { InvalidPrivateKeyError, InvalidPublicKeyError, UnsupportedKeyTypeError } from '@ts-libp2p/interface'
import { platformBackend } from './backend/index.js'
import { MAX_ECDSA_P256_DER_SIGNATURE_LENGTH, P256_JWK_CURVE, P256_PRIVATE_KEY_LENGTH, P256_UNCOMPRESSED_POINT_LENGTH } from './constants.js'
import { DerReader, TAG_CONTEXT_0, TAG_CONTEXT_1, bigIntToBytes, bytesToBigInt, encodeBitString, encodeElement, encodeOctetString, encodeOid, encodeSequence, encodeUnsignedInteger } from './der.js'
import { digestToCID, digestToString, publicKeyDigest } from './peer-id-digest.js'
import { bytesEqual, copyBytes, secretBytesEqual, toBase64url } from './util.js'
import type { CryptoBackend, SignData } from './backend/interface.js'
import type { ErrorClass } from './der.js'
import type { AbortOptions, ECDSAPrivateKey, ECDSAPublicKey } from '@ts-libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { MultihashDigest } from 'multiformats/hashes/interface'

const inspect = Symbol.for('nodejs.util.inspect.custom')

/** id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 section 2.1.1). */
export const OID_EC_PUBLIC_KEY = Uint8Array.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01])
/** secp256r1 / prime256v1, 1.2.840.10045.3.1.7 (RFC 5480 section 2.1.1.1). */
const OID_P256 = Uint8Array.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07])
/** Other named curves, to say which one a refused key used. */
const OTHER_CURVES: Array<[string, Uint8Array]> = [
  ['P-384', Uint8Array.from([0x2b, 0x81, 0x04, 0x00, 0x22])],
  ['P-521', Uint8Array.from([0x2b, 0x81, 0x04, 0x00, 0x23])],
  ['secp256k1', Uint8Array.from([0x2b, 0x81, 0x04, 0x00, 0x0a])]
]
/** The order n of the P-256 group (FIPS 186-4 appendix D.1.2.3). */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n

function checkCurve (oid: Uint8Array): void {
  if (bytesEqual(oid, OID_P256)) {
    return
  }
  const name = OTHER_CURVES.find(([, other]) => bytesEqual(other, oid))?.[0] ?? 'with an unknown OID'
  throw new UnsupportedKeyTypeError(`ECDSA keys on curve ${name} are not supported, only P-256`)
}

function checkPoint (point: Uint8Array, error: ErrorClass, backend: CryptoBackend): void {
  if (point.byteLength !== P256_UNCOMPRESSED_POINT_LENGTH || point[0] !== 0x04) {
    throw new error(`ECDSA P-256 public point must be uncompressed (${P256_UNCOMPRESSED_POINT_LENGTH} bytes starting 0x04), got ${point.byteLength} bytes`)
  }
  if (!backend.p256.isValidPublicKey(point)) {
    throw new error('ECDSA P-256 public point is not on the curve')
  }
}

function jwkOf (point: Uint8Array, d?: Uint8Array): JsonWebKey {
  const jwk: JsonWebKey = {
    kty: 'EC',
    crv: P256_JWK_CURVE,
    x: toBase64url(point.subarray(1, 33)),
    y: toBase64url(point.subarray(33))
  }
  if (d != null) {
    jwk.d = toBase64url(d)
  }
  return jwk
}

/** SubjectPublicKeyInfo of a P-256 point (RFC 5480 section 2). */
function encodeSpki (point: Uint8Array): Uint8Array {
  return encodeSequence(encodeSequence(encodeOid(OID_EC_PUBLIC_KEY), encodeOid(OID_P256)), encodeBitString(point))
}

/** ECPrivateKey with parameters and public key (RFC 5915 section 3), as go's x509.MarshalECPrivateKey writes it. */
function encodeSec1 (d: Uint8Array, point: Uint8Array): Uint8Array {
  return encodeSequence(
    encodeUnsignedInteger(1n),
    encodeOctetString(d),
    encodeElement(TAG_CONTEXT_0, encodeOid(OID_P256)),
    encodeElement(TAG_CONTEXT_1, encodeBitString(point))
  )
}

export class ECDSAPublicKeyImpl implements ECDSAPublicKey {
  readonly type = 'ECDSA'
  /** The SubjectPublicKeyInfo DER. */
  readonly raw: Uint8Array
  /** The uncompressed point. */
  readonly point: Uint8Array
  readonly #backend: CryptoBackend
  #verifier?: (data: SignData, signature: Uint8Array) => boolean
  #digest?: MultihashDigest<0x12>
  #jwk?: JsonWebKey

  /** `point` must be checked; use {@link unmarshalECDSAPublicKey}. */
  constructor (point: Uint8Array, backend: CryptoBackend = platformBackend) {
    this.point = point
    this.raw = encodeSpki(point)
    this.#backend = backend
  }

  get jwk (): JsonWebKey {
    this.#jwk ??= jwkOf(this.point)
    return { ...this.#jwk }
  }

  /**
   * The peer id multihash. A P-256 key encodes to 95 bytes, more than the
   * spec's 42-byte inline limit, so it is sha2-256 - as go-libp2p and
   * rust-libp2p compute it. The shared interface types ECDSA multihashes as
   * identity (0x00), copying @libp2p/interface, whose implementation inlines
   * ECDSA keys against the spec; the type is kept for compatibility and the
   * value follows the spec.
   */
  toMultihash (): MultihashDigest<0x00> {
    this.#digest ??= publicKeyDigest(this.type, this.raw, this.#backend) as MultihashDigest<0x12>
    return this.#digest as unknown as MultihashDigest<0x00>
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
    this.#verifier ??= this.#backend.p256.createVerifier(this.point)
    return this.#verifier(data, sig)
  }

  [inspect] (): string {
    return `ECDSAPublicKey(${this.toString()})`
  }
}

export class ECDSAPrivateKeyImpl implements ECDSAPrivateKey {
  readonly type = 'ECDSA'
  readonly publicKey: ECDSAPublicKeyImpl
  /** The ECPrivateKey DER. */
  readonly raw: Uint8Array
  readonly #d: Uint8Array
  readonly #backend: CryptoBackend
  #signer?: (data: SignData) => Uint8Array

  /** `d` and `point` must be checked; use {@link unmarshalECDSAPrivateKey}. */
  constructor (d: Uint8Array, point: Uint8Array, backend: CryptoBackend = platformBackend) {
    this.#d = d
    this.#backend = backend
    this.publicKey = new ECDSAPublicKeyImpl(point, backend)
    this.raw = encodeSec1(d, point)
  }

  get jwk (): JsonWebKey {
    return jwkOf(this.publicKey.point, this.#d)
  }

  equals (key?: any): boolean {
    return key != null && key.type === this.type && key.raw instanceof Uint8Array && secretBytesEqual(this.raw, key.raw)
  }

  sign (data: SignData, options?: AbortOptions): Uint8Array {
    options?.signal?.throwIfAborted()
    this.#signer ??= this.#backend.p256.createSigner(this.#d, this.publicKey.point)
    return this.#signer(data)
  }

  [inspect] (): string {
    return `ECDSAPrivateKey(${this.publicKey.toString()})`
  }
}

/** Reads a PKIX SubjectPublicKeyInfo holding a P-256 key. */
export function unmarshalECDSAPublicKey (bytes: Uint8Array, backend: CryptoBackend = platformBackend): ECDSAPublicKeyImpl {
  const reader = new DerReader(bytes, InvalidPublicKeyError, 'ECDSA PKIX public key')
  const spki = reader.sequence()
  reader.end()
  const algorithm = spki.sequence()
  if (!bytesEqual(algorithm.oid(), OID_EC_PUBLIC_KEY)) {
    reader.fail('algorithm is not id-ecPublicKey')
  }
  checkCurve(algorithm.oid())
  algorithm.end()
  const point = spki.bitString()
  spki.end()
  checkPoint(point, InvalidPublicKeyError, backend)
  return new ECDSAPublicKeyImpl(copyBytes(point), backend)
}

/** Reads an RFC 5915 ECPrivateKey on P-256; its public key, when present, must match the scalar. */
export function unmarshalECDSAPrivateKey (bytes: Uint8Array, backend: CryptoBackend = platformBackend): ECDSAPrivateKeyImpl {
  const reader = new DerReader(bytes, InvalidPrivateKeyError, 'ECDSA private key')
  const key = reader.sequence()
  reader.end()
  key.version(1)
  const scalar = key.octetString()
  if (scalar.byteLength === 0 || scalar.byteLength > P256_PRIVATE_KEY_LENGTH) {
    key.fail(`private scalar is ${scalar.byteLength} bytes`)
  }
  // go's crypto/x509 needs the curve named here to read the key, so do we
  if (key.peekTag() !== TAG_CONTEXT_0) {
    key.fail('curve parameters are missing')
  }
  const parameters = key.explicit(TAG_CONTEXT_0)
  checkCurve(parameters.oid())
  parameters.end()
  let embedded: Uint8Array | undefined
  if (key.peekTag() === TAG_CONTEXT_1) {
    const publicKey = key.explicit(TAG_CONTEXT_1)
    embedded = publicKey.bitString()
    publicKey.end()
  }
  key.end()
  const value = bytesToBigInt(scalar)
  if (value === 0n || value >= P256_ORDER) {
    throw new InvalidPrivateKeyError('ECDSA private scalar is not in the range [1, n-1]')
  }
  const d = bigIntToBytes(value, P256_PRIVATE_KEY_LENGTH)
  const point = backend.p256.publicKeyFromPrivate(d)
  if (embedded != null && !bytesEqual(embedded, point)) {
    throw new InvalidPrivateKeyError('ECDSA private key holds a public key that its scalar does not derive')
  }
  return new ECDSAPrivateKeyImpl(d, point, backend)
}

/** A new random P-256 key pair. */
export function generateECDSAKeyPair (backend: CryptoBackend = platformBackend): ECDSAPrivateKeyImpl {
  for (;;) {
    // rejection sampling keeps the scalar uniform in [1, n-1]; a retry happens with probability about 2^-32
    const d = backend.randomBytes(P256_PRIVATE_KEY_LENGTH)
    const value = bytesToBigInt(d)
    if (value !== 0n && value < P256_ORDER) {
      return new ECDSAPrivateKeyImpl(d, backend.p256.publicKeyFromPrivate(d), backend)
    }
  }
}
