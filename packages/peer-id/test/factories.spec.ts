import { generateKeyPair, generateKeyPairFromSeed, publicKeyFromProtobuf } from '@ts-libp2p/crypto'
import { expect } from 'chai'
import fc from 'fast-check'
import { base36 } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { peerIdFromCID, peerIdFromMultihash, peerIdFromPrivateKey, peerIdFromPublicKey, peerIdFromString } from '../src/index.js'
import { expectErrorNamed, fromHex, specExamples, specPublicKeys } from './fixtures/helpers.js'
import type { ECDSAPublicKey, PublicKey } from '@ts-libp2p/interface'

const PEER_ID_ERRORS = ['InvalidPeerIdError', 'InvalidCIDError', 'InvalidMultihashError']

describe('factories', () => {
  describe('the spec', () => {
    it('derives peer ids from the spec vector keys: inline Ed25519 and secp256k1, hash ECDSA', () => {
      const ed = peerIdFromPublicKey(publicKeyFromProtobuf(fromHex(specPublicKeys.Ed25519)))
      expect(ed.type).to.equal('Ed25519')
      expect(ed.toString()).to.equal('12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq')
      expect(ed.toMultihash().digest).to.deep.equal(fromHex(specPublicKeys.Ed25519))

      const secp = peerIdFromPublicKey(publicKeyFromProtobuf(fromHex(specPublicKeys.secp256k1)))
      expect(secp.type).to.equal('secp256k1')
      expect(secp.toString()).to.equal('16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY')

      const ecdsa = peerIdFromPublicKey(publicKeyFromProtobuf(fromHex(specPublicKeys.ECDSA)) as ECDSAPublicKey)
      expect(ecdsa.type).to.equal('ECDSA')
      expect(ecdsa.toMultihash().code).to.equal(0x12)
      expect(ecdsa.toString()).to.equal('QmVMT29id3TUASyfZZ6k9hmNyc2nYabCo4uMSpDw4zrgDk')
    })

    it('reads the spec\'s examples: one sha2-256 peer in both forms, one Ed25519 peer', () => {
      const fromCID = peerIdFromString(specExamples.sha256AsCID)
      const fromBase58 = peerIdFromString(specExamples.sha256AsBase58)
      expect(fromCID.type).to.equal('RSA')
      expect(fromCID.publicKey).to.equal(undefined)
      expect(fromCID.equals(fromBase58)).to.equal(true)
      expect(fromBase58.toString()).to.equal(specExamples.sha256AsBase58)
      expect(fromBase58.toCID().toString()).to.equal(specExamples.sha256AsCID)

      const ed = peerIdFromString(specExamples.ed25519AsBase58)
      expect(ed.type).to.equal('Ed25519')
      expect(ed.publicKey?.toString()).to.equal(specExamples.ed25519AsBase58)
      expect(peerIdFromString(ed.toCID().toString()).equals(ed)).to.equal(true)
    })
  })

  describe('peerIdFromPublicKey / peerIdFromPrivateKey', () => {
    for (const type of ['Ed25519', 'secp256k1', 'ECDSA', 'RSA'] as const) {
      it(`${type}: same id from the private key, the public key and every string form`, async () => {
        const key = await generateKeyPair(type)
        const id = peerIdFromPrivateKey(key)
        expect(id.type).to.equal(type)
        expect(id.publicKey).to.equal(key.publicKey)
        expect(id.equals(peerIdFromPublicKey(key.publicKey))).to.equal(true)
        expect(id.toString()).to.equal(key.publicKey.toString())
        expect(id.toMultihash().code).to.equal(type === 'Ed25519' || type === 'secp256k1' ? 0x00 : 0x12)
        for (const text of [id.toString(), id.toCID().toString(), id.toCID().toString(base36)]) {
          const parsed = peerIdFromString(text)
          expect(parsed.equals(id), text).to.equal(true)
          // sha2-256 ids cannot give their key back; inline ids do
          expect(parsed.publicKey?.equals(key.publicKey) ?? false).to.equal(type === 'Ed25519' || type === 'secp256k1')
        }
        expect(peerIdFromCID(id.toCID()).equals(id)).to.equal(true)
        expect(peerIdFromMultihash(id.toMultihash()).equals(id)).to.equal(true)
      })
    }

    it('uses the spec rule even for a key object that inlines a long key', () => {
      // @libp2p/crypto 5 ECDSA keys inline their 95-byte encoding; the spec hashes it
      const ours = publicKeyFromProtobuf(fromHex(specPublicKeys.ECDSA))
      const foreign = {
        type: 'ECDSA',
        raw: ours.raw,
        jwk: (ours as ECDSAPublicKey).jwk,
        toMultihash: () => Digest.create(0x00, fromHex(specPublicKeys.ECDSA)),
        toCID: () => { throw new Error('unused') },
        toString: () => 'unused',
        equals: () => false,
        verify: () => false
      } as unknown as PublicKey
      const id = peerIdFromPublicKey(foreign)
      expect(id.toMultihash().code).to.equal(0x12)
      expect(id.equals(peerIdFromPublicKey(ours))).to.equal(true)
    })

    it('refuses things that are not keys', () => {
      expectErrorNamed(() => peerIdFromPublicKey({} as any), 'InvalidParametersError')
      expectErrorNamed(() => peerIdFromPublicKey(undefined as any), 'InvalidParametersError')
      expectErrorNamed(() => peerIdFromPrivateKey({ publicKey: 'x' } as any), 'InvalidParametersError')
      expectErrorNamed(() => peerIdFromPrivateKey(null as any), 'InvalidParametersError')
    })
  })

  describe('peerIdFromMultihash', () => {
    it('makes RSA-type ids without a key from sha2-256', () => {
      const id = peerIdFromMultihash(Digest.create(0x12, new Uint8Array(32).fill(1)))
      expect(id.type).to.equal('RSA')
      expect(id.publicKey).to.equal(undefined)
    })

    it('refuses identity multihashes that hold no Ed25519 or secp256k1 key', () => {
      const err = expectErrorNamed(() => peerIdFromMultihash(Digest.create(0x00, Uint8Array.of(1, 2, 3))), 'InvalidMultihashError')
      expect(err.message).to.match(/does not hold a valid/)
      // a valid encoding of a key with a bad length
      expectErrorNamed(() => peerIdFromMultihash(Digest.create(0x00, fromHex('08011203010203'))), 'InvalidMultihashError')
      // an ECDSA key is too long to inline
      expectErrorNamed(() => peerIdFromMultihash(Digest.create(0x00, fromHex(specPublicKeys.ECDSA))), 'InvalidMultihashError')
    })

    it('refuses other multihash codes and sizes', () => {
      expectErrorNamed(() => peerIdFromMultihash(Digest.create(0x13, new Uint8Array(64))), 'InvalidMultihashError')
      expectErrorNamed(() => peerIdFromMultihash(Digest.create(0x12, new Uint8Array(20))), 'InvalidMultihashError')
    })
  })

  describe('peerIdFromCID', () => {
    it('makes URL peer ids from transport-ipfs-gateway-http CIDs', () => {
      const cid = CID.createV1(0x0920, Digest.create(0x00, new TextEncoder().encode('https://example.com/')))
      const id = peerIdFromCID(cid)
      expect(id.type).to.equal('url')
      expect(id.toString()).to.equal(cid.toString())
      expect(peerIdFromString(cid.toString()).equals(id)).to.equal(true)
    })

    it('refuses CIDs of other codecs', () => {
      const err = expectErrorNamed(() => peerIdFromCID(CID.createV1(0x71, Digest.create(0x12, new Uint8Array(32)))), 'InvalidCIDError')
      expect(err.message).to.match(/0x71/)
    })
  })

  describe('peerIdFromString', () => {
    const bad: Array<[string, string, string]> = [
      ['empty', '', 'InvalidPeerIdError'],
      ['bad base58', '12D3KooW0OIl', 'InvalidPeerIdError'],
      ['a CID with the wrong codec', 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', 'InvalidCIDError'],
      ['oversized', 'Qm' + '1'.repeat(2000), 'InvalidPeerIdError'],
      ['an Ed25519 id cut short', specExamples.ed25519AsBase58.slice(0, 40), 'InvalidMultihashError']
    ]
    for (const [what, text, name] of bad) {
      it(`refuses ${what}`, () => {
        expectErrorNamed(() => peerIdFromString(text), name)
      })
    }

    it('refuses multihashes of codes other than identity and sha2-256', () => {
      const sha512 = Digest.create(0x13, new Uint8Array(64))
      const err = expectErrorNamed(() => peerIdFromString(CID.createV1(0x72, sha512).toString()), 'InvalidMultihashError')
      expect(err.message).to.match(/0x13/)
      // in base58btc a sha2-512 multihash starts with 8, neither 1 nor Qm: no peer id form
      const legacy = base58btc.baseEncode(sha512.bytes)
      expect(legacy[0]).to.equal('8')
      expectErrorNamed(() => peerIdFromString(legacy), 'InvalidPeerIdError')
    })
  })

  describe('properties', () => {
    it('every string form of any Ed25519 peer id parses back to the same peer', async () => {
      await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (seed) => {
        const id = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', seed))
        expect(peerIdFromString(id.toString()).equals(id)).to.equal(true)
        expect(peerIdFromString(id.toCID().toString()).equals(id)).to.equal(true)
        expect(peerIdFromString(id.toCID().toString(base36)).toString()).to.equal(id.toString())
      }), { numRuns: 100 })
    })

    it('random bytes as a multihash or in a CID only ever give typed errors', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), fc.constantFrom(0x00, 0x12, 0x13, 0x72), (bytes, code) => {
        for (const attempt of [
          () => peerIdFromMultihash(Digest.create(code, bytes)),
          () => peerIdFromCID(CID.createV1(0x72, Digest.create(code, bytes))),
          () => peerIdFromString(CID.createV1(0x72, Digest.create(code, bytes)).toString())
        ]) {
          try {
            attempt()
          } catch (err: any) {
            expect(PEER_ID_ERRORS).to.include(err.name)
          }
        }
      }), { numRuns: 1000 })
    })
  })
})
