/**
 * RSA keys (peer-ids spec, "RSA"): the public key is a PKIX
 * SubjectPublicKeyInfo in DER, the private key PKCS#1 RSAPrivateKey in DER,
 * and signatures are RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 section 8.2).
 *
 * Moduli from 2048 to 8192 bits are accepted, the window go-libp2p enforces
 * when reading keys and rust-libp2p when verifying (see constants.ts); the
 * spec itself names no size. Keys are parsed with a strict DER reader and
 * written back canonically, so the bytes round-trip unchanged.
 */
import { InvalidParametersError, InvalidPrivateKeyError, InvalidPublicKeyError } from '@ts-libp2p/interface'
import { platformBackend } from './backend/index.js'
import { DEFAULT_RSA_KEY_BITS, MAX_RSA_KEY_BITS, MAX_RSA_PUBLIC_EXPONENT, MIN_RSA_KEY_BITS } from './constants.js'
import { DER_NULL, DerReader, bigIntToBytes, bitLength, bytesToBigInt, encodeBitString, encodeOid, encodeSequence, encodeUnsignedInteger } from './der.js'
import { digestToCID, digestToString, publicKeyDigest } from './peer-id-digest.js'
import { bytesEqual, fromBase64url, secretBytesEqual, toBase64url } from './util.js'
import type { CryptoBackend, RSAJsonWebKey, SignData } from './backend/interface.js'
import type { ErrorClass } from './der.js'
import type { AbortOptions, RSAPrivateKey, RSAPublicKey } from '@ts-libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { MultihashDigest } from 'multiformats/hashes/interface'

const inspect = Symbol.for('nodejs.util.inspect.custom')

/** rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 appendix C). */
export const OID_RSA_ENCRYPTION = Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01])

/** The public half of an RSA key. */
export interface RSAPublicComponents {
  n: bigint
  e: bigint
}

/** An RSA private key with its CRT values (RFC 8017 section 3.2, second representation). */
export interface RSAPrivateComponents extends RSAPublicComponents {
  d: bigint
  p: bigint
  q: bigint
  dp: bigint
  dq: bigint
  qi: bigint
}

function b64 (value: bigint): string {
  return toBase64url(bigIntToBytes(value))
}

function checkPublic ({ n, e }: RSAPublicComponents, error: ErrorClass): void {
  const bits = bitLength(n)
  if (bits < MIN_RSA_KEY_BITS) {
    throw new error(`RSA key is ${bits} bits, less than the ${MIN_RSA_KEY_BITS} libp2p implementations accept`)
  }
  if (bits > MAX_RSA_KEY_BITS) {
    throw new error(`RSA key is ${bits} bits, more than the ${MAX_RSA_KEY_BITS} libp2p implementations accept`)
  }
  if ((n & 1n) === 0n) {
    throw new error('RSA modulus is even')
  }
  if (e < 3n || (e & 1n) === 0n || e > MAX_RSA_PUBLIC_EXPONENT) {
    throw new error('RSA public exponent must be odd, at least 3 and fit in 31 bits')
  }
}

/** The checks go's crypto/rsa Validate makes, which also catch a corrupt key before it signs garbage. */
function checkPrivate (key: RSAPrivateComponents): void {
  checkPublic(key, InvalidPrivateKeyError)
  const { n, e, d, p, q, dp, dq, qi } = key
  if (p <= 1n || q <= 1n || p * q !== n) {
    throw new InvalidPrivateKeyError('RSA primes do not multiply to the modulus')
  }
  if (d <= 1n || d >= n || (d * e) % (p - 1n) !== 1n || (d * e) % (q - 1n) !== 1n) {
    throw new InvalidPrivateKeyError('RSA private exponent does not invert the public exponent')
  }
  if (dp !== d % (p - 1n) || dq !== d % (q - 1n) || (qi * q) % p !== 1n || qi >= p) {
    throw new InvalidPrivateKeyError('RSA CRT values are inconsistent with the key')
  }
}

/** SubjectPublicKeyInfo of an RSA key (RFC 8017 appendix A.1.1 inside RFC 5280 section 4.1). */
export function encodeRSAPkix ({ n, e }: RSAPublicComponents): Uint8Array {
  return encodeSequence(
    encodeSequence(encodeOid(OID_RSA_ENCRYPTION), DER_NULL),
    encodeBitString(encodeSequence(encodeUnsignedInteger(n), encodeUnsignedInteger(e)))
  )
}

/** RSAPrivateKey, two-prime version 0 (RFC 8017 appendix A.1.2). */
export function encodeRSAPkcs1 (key: RSAPrivateComponents): Uint8Array {
  return encodeSequence(
    encodeUnsignedInteger(0n),
    ...[key.n, key.e, key.d, key.p, key.q, key.dp, key.dq, key.qi].map(encodeUnsignedInteger)
  )
}

export class RSAPublicKeyImpl implements RSAPublicKey {
  readonly type = 'RSA'
  readonly raw: Uint8Array
  readonly components: RSAPublicComponents
  readonly #backend: CryptoBackend
  #verifier?: (data: SignData, signature: Uint8Array) => boolean | Promise<boolean>
  #digest?: MultihashDigest<0x12>

  /** `components` must be checked; use {@link unmarshalRSAPublicKey}. */
  constructor (components: RSAPublicComponents, backend: CryptoBackend = platformBackend) {
    this.components = { n: components.n, e: components.e }
    this.raw = encodeRSAPkix(components)
    this.#backend = backend
  }

  get jwk (): JsonWebKey {
    return { kty: 'RSA', n: b64(this.components.n), e: b64(this.components.e) }
  }

  /** Size of the modulus in bits. */
  get bits (): number {
    return bitLength(this.components.n)
  }

  toMultihash (): MultihashDigest<0x12> {
    // even a 2048-bit key encodes to about 300 bytes: always sha2-256
    this.#digest ??= publicKeyDigest(this.type, this.raw, this.#backend) as MultihashDigest<0x12>
    return this.#digest
  }

  toCID (): CID<unknown, 0x72, 0x12, 1> {
    return digestToCID(this.toMultihash())
  }

  toString (): string {
    return digestToString(this.toMultihash())
  }

  equals (key?: any): boolean {
    return key != null && key.type === this.type && key.raw instanceof Uint8Array && bytesEqual(this.raw, key.raw)
  }

  verify (data: SignData, sig: Uint8Array, options?: AbortOptions): boolean | Promise<boolean> {
    options?.signal?.throwIfAborted()
    // a PKCS#1 v1.5 signature is exactly as long as the modulus
    if (!(sig instanceof Uint8Array) || sig.byteLength !== Math.ceil(this.bits / 8)) {
      return false
    }
    this.#verifier ??= this.#backend.rsa.createVerifier(this.jwk as RSAJsonWebKey)
    return this.#verifier(data, sig)
  }

  [inspect] (): string {
    return `RSAPublicKey(${this.toString()})`
  }
}

export class RSAPrivateKeyImpl implements RSAPrivateKey {
  readonly type = 'RSA'
  readonly publicKey: RSAPublicKeyImpl
  readonly raw: Uint8Array
  readonly #components: RSAPrivateComponents
  readonly #backend: CryptoBackend
  #signer?: (data: SignData) => Uint8Array | Promise<Uint8Array>

  /** `components` must be checked; use {@link unmarshalRSAPrivateKey}. */
  constructor (components: RSAPrivateComponents, backend: CryptoBackend = platformBackend) {
    this.#components = components
    this.#backend = backend
    this.publicKey = new RSAPublicKeyImpl(components, backend)
    this.raw = encodeRSAPkcs1(components)
  }

  get jwk (): JsonWebKey {
    const { n, e, d, p, q, dp, dq, qi } = this.#components
    return { kty: 'RSA', n: b64(n), e: b64(e), d: b64(d), p: b64(p), q: b64(q), dp: b64(dp), dq: b64(dq), qi: b64(qi) }
  }

  equals (key?: any): boolean {
    return key != null && key.type === this.type && key.raw instanceof Uint8Array && secretBytesEqual(this.raw, key.raw)
  }

  sign (data: SignData, options?: AbortOptions): Uint8Array | Promise<Uint8Array> {
    options?.signal?.throwIfAborted()
    this.#signer ??= this.#backend.rsa.createSigner(this.jwk as RSAJsonWebKey)
    const signature = this.#signer(data)
    if (signature instanceof Promise) {
      return signature.then(sig => {
        options?.signal?.throwIfAborted()
        return sig
      })
    }
    return signature
  }

  [inspect] (): string {
    return `RSAPrivateKey(${this.publicKey.toString()})`
  }
}

/** Reads a PKIX SubjectPublicKeyInfo holding an RSA key. */
export function unmarshalRSAPublicKey (bytes: Uint8Array, backend: CryptoBackend = platformBackend): RSAPublicKeyImpl {
  const reader = new DerReader(bytes, InvalidPublicKeyError, 'RSA PKIX public key')
  const spki = reader.sequence()
  reader.end()
  const algorithm = spki.sequence()
  if (!bytesEqual(algorithm.oid(), OID_RSA_ENCRYPTION)) {
    reader.fail('algorithm is not rsaEncryption')
  }
  // go's crypto/x509 requires the NULL parameters too
  algorithm.null()
  algorithm.end()
  const keyBytes = spki.bitString()
  spki.end()
  const keyReader = new DerReader(keyBytes, InvalidPublicKeyError, 'RSA PKIX public key')
  const key = keyReader.sequence()
  keyReader.end()
  const components = { n: key.unsignedInteger(), e: key.unsignedInteger() }
  key.end()
  checkPublic(components, InvalidPublicKeyError)
  return new RSAPublicKeyImpl(components, backend)
}

/** Reads a PKCS#1 RSAPrivateKey (two primes) and checks its values agree. */
export function unmarshalRSAPrivateKey (bytes: Uint8Array, backend: CryptoBackend = platformBackend): RSAPrivateKeyImpl {
  const reader = new DerReader(bytes, InvalidPrivateKeyError, 'RSA PKCS#1 private key')
  const key = reader.sequence()
  reader.end()
  key.version(0)
  const components: RSAPrivateComponents = {
    n: key.unsignedInteger(),
    e: key.unsignedInteger(),
    d: key.unsignedInteger(),
    p: key.unsignedInteger(),
    q: key.unsignedInteger(),
    dp: key.unsignedInteger(),
    dq: key.unsignedInteger(),
    qi: key.unsignedInteger()
  }
  key.end()
  checkPrivate(components)
  return new RSAPrivateKeyImpl(components, backend)
}

function fromJwkField (jwk: RSAJsonWebKey, field: keyof RSAJsonWebKey): bigint {
  const value = jwk[field]
  if (typeof value !== 'string' || value === '') {
    throw new InvalidPrivateKeyError(`RSA JSON Web Key lacks "${field}"`)
  }
  return bytesToBigInt(fromBase64url(value))
}

/** Builds a private key from a JSON Web Key (RFC 7518 section 6.3). */
export function rsaPrivateKeyFromJwk (jwk: RSAJsonWebKey, backend: CryptoBackend = platformBackend): RSAPrivateKeyImpl {
  const components: RSAPrivateComponents = {
    n: fromJwkField(jwk, 'n'),
    e: fromJwkField(jwk, 'e'),
    d: fromJwkField(jwk, 'd'),
    p: fromJwkField(jwk, 'p'),
    q: fromJwkField(jwk, 'q'),
    dp: fromJwkField(jwk, 'dp'),
    dq: fromJwkField(jwk, 'dq'),
    qi: fromJwkField(jwk, 'qi')
  }
  checkPrivate(components)
  return new RSAPrivateKeyImpl(components, backend)
}

/** Checks a requested key size. */
export function rsaKeyBits (bits?: number): number {
  const size = bits ?? DEFAULT_RSA_KEY_BITS
  if (!Number.isSafeInteger(size) || size < MIN_RSA_KEY_BITS || size > MAX_RSA_KEY_BITS || size % 8 !== 0) {
    throw new InvalidParametersError(`RSA key size must be a multiple of 8 from ${MIN_RSA_KEY_BITS} to ${MAX_RSA_KEY_BITS} bits, got ${String(bits)}`)
  }
  return size
}

/** A new key pair with public exponent 65537. */
export async function generateRSAKeyPair (bits?: number, backend: CryptoBackend = platformBackend): Promise<RSAPrivateKeyImpl> {
  const size = rsaKeyBits(bits)
  return rsaPrivateKeyFromJwk(await backend.rsa.generate(size), backend)
}
