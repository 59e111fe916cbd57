import { expect } from 'chai'
import fc from 'fast-check'
import * as Digest from 'multiformats/hashes/digest'
import { generateKeyPair, generateKeyPairFromSeed, privateKeyFromProtobuf, privateKeyFromRaw, privateKeyToProtobuf, publicKeyFromMultihash, publicKeyFromProtobuf, publicKeyFromRaw, publicKeyToProtobuf } from '../src/index.js'
import { encodePrivateKeyMessage, encodePublicKeyMessage } from '../src/protobuf.js'
import { expectErrorNamed, expectRejectionNamed, fromHex, toHex } from './fixtures/expect-error.js'
import { specVectors } from './fixtures/spec-vectors.js'
import type { KeyType, PrivateKey } from '@ts-libp2p/interface'

const PAIRS = [
  { type: 'Ed25519', privateKey: specVectors.ed25519PrivateKey, publicKey: specVectors.ed25519PublicKey },
  { type: 'secp256k1', privateKey: specVectors.secp256k1PrivateKey, publicKey: specVectors.secp256k1PublicKey },
  { type: 'ECDSA', privateKey: specVectors.ecdsaPrivateKey, publicKey: specVectors.ecdsaPublicKey },
  { type: 'RSA', privateKey: specVectors.rsaPrivateKey, publicKey: specVectors.rsaPublicKey }
] as const

const PUBLIC_KEY_ERRORS = ['InvalidPublicKeyError', 'UnsupportedKeyTypeError']
const PRIVATE_KEY_ERRORS = ['InvalidPrivateKeyError', 'UnsupportedKeyTypeError']

/** Runs `fn` and fails unless it returns or throws one of the named errors. */
function onlyTyped (fn: () => unknown, names: string[]): void {
  try {
    fn()
  } catch (err: any) {
    if (!names.includes(err?.name)) {
      throw new Error(`untyped failure ${String(err?.name)}: ${String(err?.message)}`)
    }
  }
}

describe('keys', () => {
  describe('the spec test vectors', () => {
    for (const { type, privateKey, publicKey } of PAIRS) {
      it(`${type}: decode, re-encode byte for byte, derive the public key from the private key`, async () => {
        const priv = privateKeyFromProtobuf(fromHex(privateKey))
        const pub = publicKeyFromProtobuf(fromHex(publicKey))
        expect(priv.type).to.equal(type)
        expect(pub.type).to.equal(type)
        expect(toHex(privateKeyToProtobuf(priv))).to.equal(privateKey.toLowerCase())
        expect(toHex(publicKeyToProtobuf(pub))).to.equal(publicKey.toLowerCase())
        expect(toHex(publicKeyToProtobuf(priv.publicKey))).to.equal(publicKey.toLowerCase())
        expect(priv.publicKey.equals(pub)).to.equal(true)
        const data = new TextEncoder().encode(`signed by the ${type} vector`)
        expect(await pub.verify(data, await priv.sign(data))).to.equal(true)
      })
    }

    it('give the peer ids the spec rules imply', () => {
      const ids = PAIRS.map(({ publicKey }) => publicKeyFromProtobuf(fromHex(publicKey)).toString())
      expect(ids[0]).to.equal('12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq')
      expect(ids[1]).to.equal('16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY')
      expect(ids[2]).to.match(/^Qm/)
      expect(ids[3]).to.match(/^Qm/)
    })
  })

  describe('generateKeyPair', () => {
    for (const type of ['Ed25519', 'secp256k1', 'ECDSA', 'RSA'] as const) {
      it(`makes ${type} keys that survive protobuf and raw round trips`, async () => {
        const key: PrivateKey = await generateKeyPair(type)
        expect(key.type).to.equal(type)
        expect(privateKeyFromProtobuf(privateKeyToProtobuf(key)).equals(key)).to.equal(true)
        expect(publicKeyFromProtobuf(publicKeyToProtobuf(key.publicKey)).equals(key.publicKey)).to.equal(true)
        expect(privateKeyFromRaw(key.raw).equals(key)).to.equal(true)
        expect(publicKeyFromRaw(key.publicKey.raw).equals(key.publicKey)).to.equal(true)
        const data = Uint8Array.of(1, 2, 3)
        expect(await key.publicKey.verify(data, await key.sign(data))).to.equal(true)
        expect(key.equals(await generateKeyPair(type))).to.equal(false)
      })
    }

    it('takes the curve for ECDSA and the size for RSA', async () => {
      expect((await generateKeyPair('ECDSA', 'P-256')).type).to.equal('ECDSA')
      await expectRejectionNamed(async () => generateKeyPair('ECDSA', 'P-384' as any), 'InvalidParametersError')
      await expectRejectionNamed(async () => generateKeyPair('RSA', 1024), 'InvalidParametersError')
      await expectRejectionNamed(async () => generateKeyPair('RSA', '2048' as any), 'InvalidParametersError')
    })

    it('refuses unknown key types', async () => {
      await expectRejectionNamed(async () => generateKeyPair('DSA' as KeyType), 'UnsupportedKeyTypeError')
    })
  })

  describe('generateKeyPairFromSeed', () => {
    it('derives the same Ed25519 key from the same seed', async () => {
      const seed = new Uint8Array(32).fill(7)
      const a = await generateKeyPairFromSeed('Ed25519', seed)
      const b = await generateKeyPairFromSeed('Ed25519', seed.slice())
      expect(a.equals(b)).to.equal(true)
      expect(a.raw.subarray(0, 32)).to.deep.equal(seed)
    })

    it('refuses other key types and bad seeds', async () => {
      await expectRejectionNamed(async () => generateKeyPairFromSeed('secp256k1', new Uint8Array(32)), 'UnsupportedKeyTypeError')
      await expectRejectionNamed(async () => generateKeyPairFromSeed('Ed25519', new Uint8Array(16)), 'InvalidParametersError')
    })
  })

  describe('publicKeyFromRaw / privateKeyFromRaw', () => {
    it('tell the key type from the bytes', () => {
      for (const { type, privateKey, publicKey } of PAIRS) {
        const priv = privateKeyFromProtobuf(fromHex(privateKey))
        expect(privateKeyFromRaw(priv.raw).type).to.equal(type)
        expect(publicKeyFromRaw(publicKeyFromProtobuf(fromHex(publicKey)).raw).type).to.equal(type)
      }
    })

    it('read the legacy 96-byte Ed25519 private key', () => {
      const raw = privateKeyFromProtobuf(fromHex(specVectors.ed25519PrivateKey)).raw
      expect(privateKeyFromRaw(Uint8Array.of(...raw, ...raw.subarray(32))).equals(privateKeyFromRaw(raw))).to.equal(true)
    })

    it('refuse bytes of no known form', () => {
      for (const bytes of [new Uint8Array(0), new Uint8Array(31), new Uint8Array(40), fromHex('3000'), fromHex('300302010a')]) {
        expectErrorNamed(() => publicKeyFromRaw(bytes), ...PUBLIC_KEY_ERRORS)
        expectErrorNamed(() => privateKeyFromRaw(bytes), ...PRIVATE_KEY_ERRORS)
      }
      expectErrorNamed(() => publicKeyFromRaw('abc' as any), 'InvalidPublicKeyError')
      expectErrorNamed(() => privateKeyFromRaw(null as any), 'InvalidPrivateKeyError')
    })

    it('refuse PKIX keys of other algorithms as unsupported', () => {
      // an Ed25519 SubjectPublicKeyInfo (RFC 8410): the right key in the wrong form
      const spki = fromHex('302a300506032b6570032100' + '11'.repeat(32))
      expectErrorNamed(() => publicKeyFromRaw(spki), 'UnsupportedKeyTypeError')
    })
  })

  describe('publicKeyFromMultihash', () => {
    it('returns the key inlined in an identity multihash', () => {
      const key = publicKeyFromProtobuf(fromHex(specVectors.ed25519PublicKey))
      expect(publicKeyFromMultihash(key.toMultihash()).equals(key)).to.equal(true)
      const secp = publicKeyFromProtobuf(fromHex(specVectors.secp256k1PublicKey))
      expect(publicKeyFromMultihash(secp.toMultihash()).equals(secp)).to.equal(true)
    })

    it('refuses sha2-256 multihashes, which hold no key', () => {
      const rsa = publicKeyFromProtobuf(fromHex(specVectors.rsaPublicKey))
      expectErrorNamed(() => publicKeyFromMultihash(rsa.toMultihash()), 'InvalidParametersError')
    })

    it('refuses identity multihashes over 42 bytes, and garbage', () => {
      const ecdsaInline = Digest.create(0x00, fromHex(specVectors.ecdsaPublicKey))
      expectErrorNamed(() => publicKeyFromMultihash(ecdsaInline), 'InvalidPublicKeyError')
      expectErrorNamed(() => publicKeyFromMultihash(Digest.create(0x00, Uint8Array.of(1, 2, 3))), 'InvalidPublicKeyError')
    })
  })

  describe('hostile input only ever produces typed errors', () => {
    it('random bytes as a PublicKey or PrivateKey protobuf', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyTyped(() => publicKeyFromProtobuf(bytes), PUBLIC_KEY_ERRORS)
        onlyTyped(() => privateKeyFromProtobuf(bytes), PRIVATE_KEY_ERRORS)
      }), { numRuns: 1000 })
    })

    it('well-formed messages of any type around random key bytes', () => {
      const keyType = fc.constantFrom<KeyType>('RSA', 'Ed25519', 'secp256k1', 'ECDSA')
      fc.assert(fc.property(keyType, fc.uint8Array({ maxLength: 140 }), (type, data) => {
        onlyTyped(() => publicKeyFromProtobuf(encodePublicKeyMessage(type, data)), PUBLIC_KEY_ERRORS)
        onlyTyped(() => privateKeyFromProtobuf(encodePrivateKeyMessage(type, data)), PRIVATE_KEY_ERRORS)
        onlyTyped(() => publicKeyFromRaw(data), PUBLIC_KEY_ERRORS)
        onlyTyped(() => privateKeyFromRaw(data), PRIVATE_KEY_ERRORS)
      }), { numRuns: 1000 })
    })

    it('the spec vectors with one byte changed or cut short', () => {
      const vectors = PAIRS.filter(({ type }) => type !== 'RSA')
      fc.assert(fc.property(fc.constantFrom(...vectors), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (pair, position, delta, truncate) => {
        for (const [hex, parse, names] of [[pair.publicKey, publicKeyFromProtobuf, PUBLIC_KEY_ERRORS], [pair.privateKey, privateKeyFromProtobuf, PRIVATE_KEY_ERRORS]] as const) {
          const bytes = fromHex(hex)
          const index = position % bytes.length
          const mutated = truncate ? bytes.subarray(0, index) : bytes
          if (!truncate) mutated[index] = (mutated[index] + delta) & 0xff
          onlyTyped(() => parse(mutated), names)
        }
      }), { numRuns: 1000 })
    })

    it('the RSA vectors with one byte changed', () => {
      const publicKey = fromHex(specVectors.rsaPublicKey)
      fc.assert(fc.property(fc.nat({ max: publicKey.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const mutated = publicKey.slice()
        mutated[index] = (mutated[index] + delta) & 0xff
        onlyTyped(() => publicKeyFromProtobuf(mutated), PUBLIC_KEY_ERRORS)
      }), { numRuns: 300 })
    })
  })
})
