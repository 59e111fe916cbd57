/**
 * Property tests of the key decoders on peer bytes (keys arrive in noise
 * payloads, identify, envelopes, TLS certificates and peer ids). Run longer
 * with `npm run fuzz -- --target crypto`.
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { generateKeyPairFromSeed, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromProtobuf, publicKeyFromRaw, publicKeyToProtobuf } from '../src/index.js'

const KEY_ERRORS = ['InvalidPublicKeyError', 'InvalidPrivateKeyError', 'UnsupportedKeyTypeError', 'InvalidKeyError', 'InvalidParametersError'] as const
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('fuzz: crypto keys', function () {
  this.timeout(Math.max(10_000, RUNS * 100))

  it('publicKeyFromProtobuf decodes or throws a typed key error; accepted keys re-encode to the same bytes', () => {
    fc.assert(fc.property(peerBytes(corpus('public-key'), 600), (bytes) => {
      try {
        const key = publicKeyFromProtobuf(bytes)
        // deterministic encoding is required (peer ids hash these bytes)
        expect(hex(publicKeyToProtobuf(key))).to.equal(hex(bytes))
      } catch (err) { expectTyped(err, KEY_ERRORS) }
    }), params())
  })

  it('privateKeyFromProtobuf decodes or throws a typed key error', () => {
    fc.assert(fc.property(peerBytes(corpus('private-key'), 600), (bytes) => {
      try {
        const key = privateKeyFromProtobuf(bytes)
        expect(hex(privateKeyToProtobuf(key))).to.equal(hex(bytes))
      } catch (err) { expectTyped(err, KEY_ERRORS) }
    }), params())
  })

  it('publicKeyFromRaw decodes or throws a typed key error', () => {
    fc.assert(fc.property(peerBytes(corpus('public-key').map(b => b.subarray(4)), 600), (bytes) => {
      try { publicKeyFromRaw(bytes) } catch (err) { expectTyped(err, KEY_ERRORS) }
    }), params())
  })

  it('a key verifies only its own signatures, whatever the signature bytes', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(3))
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 80 }), async (data, sig) => {
      let ok = false
      try { ok = await key.publicKey.verify(data, sig) } catch (err) { expectTyped(err, KEY_ERRORS) }
      expect(ok).to.equal(false)
      expect(await key.publicKey.verify(data, await key.sign(data))).to.equal(true)
    }), params(Math.ceil(RUNS / 3)))
  })
})
