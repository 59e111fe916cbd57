import { inspect } from 'node:util'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { nodeBackend } from '../src/backend/node.js'
import { portableBackend } from '../src/backend/portable.js'
import { ed25519PrivateKeyFromSeed, generateEd25519KeyPair, unmarshalEd25519PrivateKey, unmarshalEd25519PublicKey } from '../src/ed25519.js'
import { decodePrivateKeyMessage, decodePublicKeyMessage } from '../src/protobuf.js'
import { RFC8032 } from './backend/conformance.js'
import { expectErrorNamed, fromHex, toHex } from './fixtures/expect-error.js'
import { specVectors } from './fixtures/spec-vectors.js'

const specPrivate = decodePrivateKeyMessage(fromHex(specVectors.ed25519PrivateKey)).data
const specPublic = decodePublicKeyMessage(fromHex(specVectors.ed25519PublicKey)).data

for (const backend of [nodeBackend, portableBackend]) {
  describe(`ed25519 (${backend.name} backend)`, () => {
    it('reads the spec vector: the public key is the one the private key holds', () => {
      const key = unmarshalEd25519PrivateKey(specPrivate, backend)
      expect(key.raw).to.have.length(64)
      expect(key.publicKey.raw).to.deep.equal(specPublic)
      expect(key.publicKey.equals(unmarshalEd25519PublicKey(specPublic, backend))).to.equal(true)
    })

    it('derives its peer id from the identity multihash of the protobuf key', () => {
      const key = unmarshalEd25519PublicKey(specPublic, backend)
      const digest = key.toMultihash()
      expect(digest.code).to.equal(0x00)
      expect(toHex(digest.digest)).to.equal(specVectors.ed25519PublicKey)
      expect(key.toString()).to.equal('12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq')
      expect(key.toCID().code).to.equal(0x72)
      expect(key.toCID().version).to.equal(1)
      expect(key.toCID().multihash.bytes).to.deep.equal(digest.bytes)
    })

    it('derives keys from a seed as RFC 8032 does', () => {
      for (const vector of RFC8032) {
        const key = ed25519PrivateKeyFromSeed(fromHex(vector.seed), backend)
        expect(toHex(key.publicKey.raw)).to.equal(vector.publicKey)
        expect(toHex(key.raw)).to.equal(vector.seed + vector.publicKey)
        expect(toHex(key.sign(fromHex(vector.message)))).to.equal(vector.signature)
      }
    })

    it('signs and verifies, whole or chunked data', () => {
      const key = generateEd25519KeyPair(backend)
      const data = new TextEncoder().encode('a message to sign')
      const sig = key.sign(data)
      expect(sig).to.have.length(64)
      expect(key.publicKey.verify(data, sig)).to.equal(true)
      expect(key.publicKey.verify(new Uint8ArrayList(data.subarray(0, 3), data.subarray(3)), sig)).to.equal(true)
      expect(key.sign(new Uint8ArrayList(data.subarray(0, 5), data.subarray(5)))).to.deep.equal(sig)
    })

    it('rejects tampered, truncated and non-byte signatures without throwing', () => {
      const key = generateEd25519KeyPair(backend)
      const data = Uint8Array.of(1, 2, 3)
      const sig = key.sign(data)
      const tampered = sig.slice()
      tampered[10] ^= 1
      expect(key.publicKey.verify(data, tampered)).to.equal(false)
      expect(key.publicKey.verify(Uint8Array.of(1, 2), sig)).to.equal(false)
      expect(key.publicKey.verify(data, sig.subarray(0, 63))).to.equal(false)
      expect(key.publicKey.verify(data, new Uint8Array(0))).to.equal(false)
      expect(key.publicKey.verify(data, 'sig' as any)).to.equal(false)
      expect(generateEd25519KeyPair(backend).publicKey.verify(data, sig)).to.equal(false)
    })

    it('verifies nothing with a public key that is not a curve point', () => {
      // y = 2 does not decode to a point of edwards25519
      const notAPoint = new Uint8Array(32)
      notAPoint[0] = 2
      const key = unmarshalEd25519PublicKey(notAPoint, backend)
      expect(key.verify(Uint8Array.of(1), new Uint8Array(64))).to.equal(false)
    })

    it('honours an aborted signal', () => {
      const key = generateEd25519KeyPair(backend)
      const signal = AbortSignal.abort()
      expectErrorNamed(() => key.sign(Uint8Array.of(1), { signal }), 'AbortError')
      expectErrorNamed(() => key.publicKey.verify(Uint8Array.of(1), new Uint8Array(64), { signal }), 'AbortError')
    })
  })
}

describe('ed25519', () => {
  it('refuses public keys that are not 32 bytes', () => {
    for (const length of [0, 31, 33, 64]) {
      expectErrorNamed(() => unmarshalEd25519PublicKey(new Uint8Array(length)), 'InvalidPublicKeyError')
    }
  })

  it('reads the legacy 96-byte private key form when both public keys agree', () => {
    const legacy = new Uint8Array(96)
    legacy.set(specPrivate)
    legacy.set(specPublic, 64)
    expect(unmarshalEd25519PrivateKey(legacy).raw).to.deep.equal(specPrivate)
    legacy[95] ^= 1
    const err = expectErrorNamed(() => unmarshalEd25519PrivateKey(legacy), 'InvalidPrivateKeyError')
    expect(err.message).to.match(/two different public keys/)
  })

  it('refuses a private key whose public half is not derived from its seed', () => {
    const bad = specPrivate.slice()
    bad[40] ^= 1
    const err = expectErrorNamed(() => unmarshalEd25519PrivateKey(bad), 'InvalidPrivateKeyError')
    expect(err.message).to.match(/does not derive/)
  })

  it('refuses private keys of other lengths', () => {
    for (const length of [0, 32, 63, 65, 95, 97]) {
      expectErrorNamed(() => unmarshalEd25519PrivateKey(new Uint8Array(length)), 'InvalidPrivateKeyError')
    }
  })

  it('refuses seeds that are not 32 bytes', () => {
    expectErrorNamed(() => ed25519PrivateKeyFromSeed(new Uint8Array(31)), 'InvalidParametersError')
    expectErrorNamed(() => ed25519PrivateKeyFromSeed('x'.repeat(32) as any), 'InvalidParametersError')
  })

  it('keeps its own copy of the bytes it was read from', () => {
    const input = specPublic.slice()
    const key = unmarshalEd25519PublicKey(input)
    input[0] ^= 1
    expect(key.raw).to.deep.equal(specPublic)
  })

  it('compares by type and bytes', () => {
    const key = unmarshalEd25519PrivateKey(specPrivate)
    expect(key.equals(unmarshalEd25519PrivateKey(specPrivate.slice()))).to.equal(true)
    expect(key.equals(generateEd25519KeyPair())).to.equal(false)
    expect(key.equals({ type: 'secp256k1', raw: specPrivate })).to.equal(false)
    expect(key.equals(undefined)).to.equal(false)
    expect(key.publicKey.equals({ type: 'Ed25519', raw: specPublic })).to.equal(true)
    expect(key.publicKey.equals(key)).to.equal(false)
  })

  it('never shows private bytes when inspected', () => {
    const key = unmarshalEd25519PrivateKey(specPrivate)
    const shown = inspect(key)
    expect(shown).to.equal('Ed25519PrivateKey(12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq)')
    expect(inspect(key.publicKey)).to.equal('Ed25519PublicKey(12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq)')
  })
})
