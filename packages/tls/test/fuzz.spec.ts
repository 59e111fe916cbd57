/**
 * Property tests of the TLS certificate checks on peer bytes: the libp2p
 * Public Key Extension (`SignedKey` DER) and whole certificates, mutated from
 * real ones. Run longer with `npm run fuzz -- --target tls`.
 */
import { generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import fc from 'fast-check'
import { corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { decodeSignedKey, encodeSignedKey, generateCertificate, verifyCertificate } from '../src/certificate.js'

describe('fuzz: tls certificates', function () {
  this.timeout(Math.max(10_000, RUNS * 100))

  it('decodeSignedKey reads a SignedKey or throws InvalidCertificateError', () => {
    fc.assert(fc.property(peerBytes(corpus('tls-extension'), 300), (bytes) => {
      try {
        const { publicKey, signature } = decodeSignedKey(bytes)
        expect(publicKey.byteLength + signature.byteLength).to.be.below(bytes.byteLength)
      } catch (err) { expectTyped(err, ['InvalidCertificateError']) }
    }), params())
  })

  it('decodeSignedKey wraps asn1js errors in InvalidCertificateError (found by fuzzing, seed 535684196)', () => {
    expect(() => decodeSignedKey(Uint8Array.from([0x30, 0x80, 0x04, 0x00, 0x18, 0x00, 0x00, 0x00]))).to.throw().with.property('name', 'InvalidCertificateError')
    expect(() => decodeSignedKey(Uint8Array.from([0x1c, 0x01, 0x67, 0xfc, 0xf4, 0x34]))).to.throw().with.property('name', 'InvalidCertificateError')
  })

  it('SignedKey round-trips', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ maxLength: 600 }), (publicKey, signature) => {
      const decoded = decodeSignedKey(encodeSignedKey(publicKey, signature))
      expect(Buffer.from(decoded.publicKey).equals(Buffer.from(publicKey))).to.equal(true)
      expect(Buffer.from(decoded.signature).equals(Buffer.from(signature))).to.equal(true)
    }), params())
  })

  it('verifyCertificate on mutated certificates proves the right peer or throws a typed error', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
    const peerId = peerIdFromPrivateKey(key)
    const fresh = (await generateCertificate(key)).der
    await fc.assert(fc.asyncProperty(peerBytes([fresh, ...corpus('tls-cert')], 1200), async (der) => {
      try {
        const verified = await verifyCertificate(der)
        // accepted: a mutation that kept the signatures valid proves the key that signed it
        expect(verified.peerId.toString()).to.be.a('string')
        if (Buffer.from(der).equals(Buffer.from(fresh))) expect(verified.peerId.equals(peerId)).to.equal(true)
      } catch (err) { expectTyped(err, ['InvalidCertificateError', 'UnexpectedPeerError']) }
    }), params(Math.ceil(RUNS / 2)))
  })
})
