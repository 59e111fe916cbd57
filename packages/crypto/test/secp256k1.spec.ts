import { secp256k1 } from '@noble/curves/secp256k1.js'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { nodeBackend } from '../src/backend/node.js'
import { portableBackend } from '../src/backend/portable.js'
import { decodePrivateKeyMessage, decodePublicKeyMessage } from '../src/protobuf.js'
import { generateSecp256k1KeyPair, unmarshalSecp256k1PrivateKey, unmarshalSecp256k1PublicKey } from '../src/secp256k1.js'
import { expectErrorNamed, fromHex, toHex } from './fixtures/expect-error.js'
import { specVectors } from './fixtures/spec-vectors.js'

const specPrivate = decodePrivateKeyMessage(fromHex(specVectors.secp256k1PrivateKey)).data
const specPublic = decodePublicKeyMessage(fromHex(specVectors.secp256k1PublicKey)).data
const ORDER = secp256k1.Point.CURVE().n
/** The generator point G (SEC 2 section 2.4.1): the public key of private key 1. */
const G_COMPRESSED = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'
const G_UNCOMPRESSED = '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'

function flipS (der: Uint8Array): Uint8Array {
  const sig = secp256k1.Signature.fromBytes(der, 'der')
  return new secp256k1.Signature(sig.r, ORDER - sig.s).toBytes('der')
}

for (const backend of [nodeBackend, portableBackend]) {
  describe(`secp256k1 (${backend.name} backend)`, () => {
    it('reads the spec vector: the public key is derived from the private key', () => {
      const key = unmarshalSecp256k1PrivateKey(specPrivate, backend)
      expect(key.publicKey.raw).to.deep.equal(specPublic)
      expect(key.raw).to.deep.equal(specPrivate)
    })

    it('signs with DER, low-S ECDSA over SHA-256 and verifies', () => {
      const key = generateSecp256k1KeyPair(backend)
      const data = new TextEncoder().encode('hello secp256k1')
      const sig = key.sign(data)
      expect(sig[0]).to.equal(0x30)
      const parsed = secp256k1.Signature.fromBytes(sig, 'der')
      expect(parsed.s <= ORDER / 2n).to.equal(true)
      // the digest signed is SHA-256 of the data
      expect(secp256k1.verify(sig, backend.sha256(data), key.publicKey.raw, { prehash: false, format: 'der' })).to.equal(true)
      expect(key.publicKey.verify(data, sig)).to.equal(true)
      expect(key.publicKey.verify(new Uint8ArrayList(data.subarray(0, 4), data.subarray(4)), sig)).to.equal(true)
    })

    it('accepts high-S signatures as go-libp2p does', () => {
      const key = generateSecp256k1KeyPair(backend)
      const data = Uint8Array.of(5, 6, 7)
      expect(key.publicKey.verify(data, flipS(key.sign(data)))).to.equal(true)
    })

    it('rejects wrong, malformed and oversized signatures without throwing', () => {
      const key = generateSecp256k1KeyPair(backend)
      const data = Uint8Array.of(1)
      const sig = key.sign(data)
      expect(key.publicKey.verify(Uint8Array.of(2), sig)).to.equal(false)
      expect(key.publicKey.verify(data, sig.subarray(0, sig.length - 1))).to.equal(false)
      expect(key.publicKey.verify(data, Uint8Array.of(...sig, 0))).to.equal(false)
      expect(key.publicKey.verify(data, new Uint8Array(64))).to.equal(false)
      expect(key.publicKey.verify(data, new Uint8Array(200))).to.equal(false)
      expect(key.publicKey.verify(data, null as any)).to.equal(false)
    })
  })
}

describe('secp256k1', () => {
  it('maps private key 1 to the generator point', () => {
    const one = new Uint8Array(32)
    one[31] = 1
    expect(toHex(unmarshalSecp256k1PrivateKey(one).publicKey.raw)).to.equal(G_COMPRESSED)
  })

  it('reads uncompressed public keys and keeps them compressed', () => {
    const key = unmarshalSecp256k1PublicKey(fromHex(G_UNCOMPRESSED))
    expect(toHex(key.raw)).to.equal(G_COMPRESSED)
    expect(key.equals(unmarshalSecp256k1PublicKey(fromHex(G_COMPRESSED)))).to.equal(true)
  })

  it('inlines its peer id (33-byte keys encode to 37 bytes)', () => {
    const key = unmarshalSecp256k1PublicKey(specPublic)
    expect(key.toMultihash().code).to.equal(0x00)
    expect(toHex(key.toMultihash().digest)).to.equal(specVectors.secp256k1PublicKey)
    expect(key.toString()).to.equal('16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY')
  })

  it('refuses public keys that are not curve points', () => {
    // this x has no y on the curve
    const err = expectErrorNamed(() => unmarshalSecp256k1PublicKey(fromHex('02' + '00'.repeat(31) + '05')), 'InvalidPublicKeyError')
    expect(err.message).to.match(/not a point/)
    expectErrorNamed(() => unmarshalSecp256k1PublicKey(fromHex('05' + G_COMPRESSED.slice(2))), 'InvalidPublicKeyError')
    const badUncompressed = fromHex(G_UNCOMPRESSED)
    badUncompressed[64] ^= 1
    expectErrorNamed(() => unmarshalSecp256k1PublicKey(badUncompressed), 'InvalidPublicKeyError')
    expectErrorNamed(() => unmarshalSecp256k1PublicKey(new Uint8Array(33)), 'InvalidPublicKeyError')
  })

  it('refuses public keys of other lengths', () => {
    for (const length of [0, 32, 34, 64, 66]) {
      expectErrorNamed(() => unmarshalSecp256k1PublicKey(new Uint8Array(length)), 'InvalidPublicKeyError')
    }
  })

  it('refuses private keys out of range or of other lengths', () => {
    expectErrorNamed(() => unmarshalSecp256k1PrivateKey(new Uint8Array(32)), 'InvalidPrivateKeyError')
    const order = fromHex(ORDER.toString(16))
    expectErrorNamed(() => unmarshalSecp256k1PrivateKey(order), 'InvalidPrivateKeyError')
    expectErrorNamed(() => unmarshalSecp256k1PrivateKey(new Uint8Array(32).fill(0xff)), 'InvalidPrivateKeyError')
    for (const length of [0, 31, 33]) {
      expectErrorNamed(() => unmarshalSecp256k1PrivateKey(new Uint8Array(length).fill(1)), 'InvalidPrivateKeyError')
    }
  })

  it('honours an aborted signal', () => {
    const key = generateSecp256k1KeyPair()
    expectErrorNamed(() => key.sign(Uint8Array.of(1), { signal: AbortSignal.abort() }), 'AbortError')
  })

  it('compares by type and bytes', () => {
    const key = unmarshalSecp256k1PrivateKey(specPrivate)
    expect(key.equals(unmarshalSecp256k1PrivateKey(specPrivate))).to.equal(true)
    expect(key.equals({ type: 'Ed25519', raw: specPrivate })).to.equal(false)
    expect(key.publicKey.equals(unmarshalSecp256k1PublicKey(specPublic))).to.equal(true)
  })
})
