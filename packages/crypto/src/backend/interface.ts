/**
 * The primitives the key classes need, behind one interface so that a
 * node:crypto implementation (fast, used in Node) and a portable one
 * (@noble/curves, @noble/hashes and WebCrypto, used elsewhere) can be swapped
 * without the key classes knowing. The choice is internal to this package: the
 * `browser` field of package.json swaps `index.js` for `index.browser.js`.
 *
 * Signers and verifiers are created once per key and reused: building a
 * node:crypto KeyObject costs about as much as a signature check, so a key
 * pays for it at most once (PERF-NOTES: rebuilding key objects from DER was
 * js-libp2p's largest single cost in connection setup).
 */
import type { Uint8ArrayList } from 'uint8arraylist'

/** Bytes to sign or verify: one buffer or a list of chunks. */
export type SignData = Uint8Array | Uint8ArrayList

/** An RSA key in JSON Web Key form (RFC 7518 section 6.3), base64url fields. */
export interface RSAJsonWebKey {
  kty: 'RSA'
  n: string
  e: string
  d?: string
  p?: string
  q?: string
  dp?: string
  dq?: string
  qi?: string
}

export interface Ed25519Backend {
  /** The 32-byte public key of a 32-byte seed (RFC 8032 section 5.1.5). */
  publicKeyFromSeed(seed: Uint8Array): Uint8Array
  /** A signing function bound to one key pair. */
  createSigner(seed: Uint8Array, publicKey: Uint8Array): (data: Uint8Array) => Uint8Array
  /** A verifying function bound to one public key; false for any malformed input. */
  createVerifier(publicKey: Uint8Array): (data: Uint8Array, signature: Uint8Array) => boolean
}

export interface P256Backend {
  /** The uncompressed public point `04 || X || Y` of a private scalar already checked to be in [1, n-1]. */
  publicKeyFromPrivate(d: Uint8Array): Uint8Array
  /** True when `point` (65 bytes, uncompressed) is a point of the curve other than infinity. */
  isValidPublicKey(point: Uint8Array): boolean
  /** ECDSA over SHA-256 of the data; the signature is DER. */
  createSigner(d: Uint8Array, publicKey: Uint8Array): (data: SignData) => Uint8Array
  /** Checks a DER ECDSA signature over SHA-256 of the data; false for any malformed input. */
  createVerifier(publicKey: Uint8Array): (data: SignData, signature: Uint8Array) => boolean
}

export interface RSABackend {
  /** A new key pair with public exponent 65537, as a private JWK. */
  generate(bits: number): Promise<RSAJsonWebKey>
  /** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 section 8.2). */
  createSigner(jwk: RSAJsonWebKey): (data: SignData) => Uint8Array | Promise<Uint8Array>
  /** Checks an RSASSA-PKCS1-v1_5 SHA-256 signature; false for any malformed input. */
  createVerifier(jwk: RSAJsonWebKey): (data: SignData, signature: Uint8Array) => boolean | Promise<boolean>
}

export interface CryptoBackend {
  /** Which implementation this is, for tests and debugging. */
  readonly name: 'node' | 'portable'
  sha256(data: SignData): Uint8Array
  randomBytes(length: number): Uint8Array
  readonly ed25519: Ed25519Backend
  readonly p256: P256Backend
  readonly rsa: RSABackend
}
