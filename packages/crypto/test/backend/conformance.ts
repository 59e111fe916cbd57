/**
 * Behaviour every crypto backend must have, run against each backend by its
 * spec file. Vectors are from the RFCs and FIPS documents named beside them.
 */
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { fromHex, toHex } from '../fixtures/expect-error.js'
import type { CryptoBackend } from '../../src/backend/interface.js'

/** RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72). */
export const RFC8032 = [{
  seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  message: '',
  signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
}, {
  seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
  publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  message: '72',
  signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'
}]

/** P-256 key pair from RFC 6979 appendix A.2.5. */
export const P256_KEY = {
  d: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
  x: '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6',
  y: '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299'
}

export function backendConformance (backend: CryptoBackend): void {
  it('hashes with SHA-256, whole or in chunks (FIPS 180-2 "abc")', () => {
    const abc = new TextEncoder().encode('abc')
    const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    expect(toHex(backend.sha256(abc))).to.equal(expected)
    expect(toHex(backend.sha256(new Uint8ArrayList(abc.subarray(0, 1), abc.subarray(1))))).to.equal(expected)
  })

  it('returns fresh random bytes', () => {
    const a = backend.randomBytes(32)
    expect(a).to.have.length(32)
    expect(toHex(a)).to.not.equal(toHex(backend.randomBytes(32)))
  })

  it('derives Ed25519 public keys and signatures as RFC 8032 says', () => {
    for (const vector of RFC8032) {
      const seed = fromHex(vector.seed)
      const publicKey = backend.ed25519.publicKeyFromSeed(seed)
      expect(toHex(publicKey)).to.equal(vector.publicKey)
      const signature = backend.ed25519.createSigner(seed, publicKey)(fromHex(vector.message))
      expect(toHex(signature)).to.equal(vector.signature)
      const verify = backend.ed25519.createVerifier(publicKey)
      expect(verify(fromHex(vector.message), signature)).to.equal(true)
      expect(verify(Uint8Array.of(1), signature)).to.equal(false)
    }
  })

  it('answers false, not an exception, for malformed Ed25519 input', () => {
    const verify = backend.ed25519.createVerifier(fromHex(RFC8032[0].publicKey))
    expect(verify(new Uint8Array(0), new Uint8Array(10))).to.equal(false)
    expect(verify(new Uint8Array(0), new Uint8Array(64).fill(0xff))).to.equal(false)
  })

  it('derives the P-256 public point of RFC 6979 A.2.5 and recognises points on the curve', () => {
    const point = backend.p256.publicKeyFromPrivate(fromHex(P256_KEY.d))
    expect(toHex(point)).to.equal('04' + P256_KEY.x + P256_KEY.y)
    expect(backend.p256.isValidPublicKey(point)).to.equal(true)
    const offCurve = point.slice()
    offCurve[64] ^= 1
    expect(backend.p256.isValidPublicKey(offCurve)).to.equal(false)
    expect(backend.p256.isValidPublicKey(point.subarray(0, 33))).to.equal(false)
    expect(backend.p256.isValidPublicKey(new Uint8Array(65))).to.equal(false)
  })

  it('signs and verifies P-256 over SHA-256 with DER signatures', () => {
    const d = fromHex(P256_KEY.d)
    const point = backend.p256.publicKeyFromPrivate(d)
    const message = new TextEncoder().encode('sample')
    const signature = backend.p256.createSigner(d, point)(message)
    expect(signature[0]).to.equal(0x30)
    const verify = backend.p256.createVerifier(point)
    expect(verify(message, signature)).to.equal(true)
    expect(verify(new Uint8ArrayList(message.subarray(0, 2), message.subarray(2)), signature)).to.equal(true)
    expect(verify(new TextEncoder().encode('test'), signature)).to.equal(false)
    expect(verify(message, signature.subarray(1))).to.equal(false)
    expect(verify(message, new Uint8Array(0))).to.equal(false)
  })
}
