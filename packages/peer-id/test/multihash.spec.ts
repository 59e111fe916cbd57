import { expect } from 'chai'
import fc from 'fast-check'
import { bases } from 'multiformats/basics'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { MAX_PEER_ID_STRING_LENGTH } from '../src/constants.js'
import { checkPeerIdMultihash, decodeMultihash, parseCID, parseString } from '../src/multihash.js'
import { expectErrorNamed, specExamples } from './fixtures/helpers.js'

const sha256Id = parseString(specExamples.sha256AsBase58).multihash

describe('multihash', () => {
  describe('parseString', () => {
    it('reads the legacy base58btc form and the CIDv1 form of the spec examples alike', () => {
      const fromCID = parseString(specExamples.sha256AsCID)
      expect(fromCID.kind).to.equal('key')
      expect(fromCID.multihash.bytes).to.deep.equal(sha256Id.bytes)
      expect(sha256Id.code).to.equal(0x12)
      expect(parseString(specExamples.ed25519AsBase58).multihash.code).to.equal(0x00)
    })

    it('reads a libp2p-key CID in every multibase (RFC 0001)', () => {
      const cid = CID.createV1(0x72, sha256Id)
      for (const base of Object.values(bases)) {
        const text = cid.toString(base.encoder as any)
        expect(parseString(text).multihash.bytes, base.name).to.deep.equal(sha256Id.bytes)
      }
    })

    it('uses only the given multibase decoder when one is passed', () => {
      const cid = CID.createV1(0x72, sha256Id)
      expect(parseString(cid.toString(bases.base36), bases.base36.decoder).multihash.bytes).to.deep.equal(sha256Id.bytes)
      expectErrorNamed(() => parseString(cid.toString(bases.base32), bases.base36.decoder), 'InvalidPeerIdError')
    })

    const bad: Array<[string, string, string, RegExp]> = [
      ['an empty string', '', 'InvalidPeerIdError', /empty/],
      ['bad base58', 'Qm0OIl', 'InvalidPeerIdError', /not base58btc/],
      ['a truncated base58 multihash', specExamples.sha256AsBase58.slice(0, -2), 'InvalidMultihashError', /length/i],
      ['no known form', 'hello world', 'InvalidPeerIdError', /neither/],
      ['an unknown multibase prefix', 'xyz', 'InvalidPeerIdError', /neither/],
      ['bad characters for the multibase', 'b!!!!', 'InvalidPeerIdError', /neither/],
      ['a multibase string that is no CID', 'b' + bases.base32.baseEncode(Uint8Array.of(1, 0x72)), 'InvalidCIDError', /does not hold a CID/],
      ['a CID with the dag-pb codec', 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', 'InvalidCIDError', /0x70 is not libp2p-key/],
      ['a multibase CIDv0', 'z' + specExamples.sha256AsBase58, 'InvalidCIDError', /CIDv0/]
    ]
    for (const [what, text, name, message] of bad) {
      it(`refuses ${what}`, () => {
        expect(expectErrorNamed(() => parseString(text), name).message).to.match(message)
      })
    }

    it('refuses strings longer than any peer id before decoding them', () => {
      const err = expectErrorNamed(() => parseString('Qm' + 'a'.repeat(MAX_PEER_ID_STRING_LENGTH)), 'InvalidPeerIdError')
      expect(err.message).to.match(/more than/)
    })

    it('refuses things that are not strings', () => {
      expectErrorNamed(() => parseString(42 as any), 'InvalidPeerIdError')
      expectErrorNamed(() => parseString(undefined as any), 'InvalidPeerIdError')
    })

    it('only ever throws typed errors for arbitrary strings', () => {
      const prefixes = fc.constantFrom('', '1', 'Qm', 'b', 'z', 'k', 'f', 'm', 'u', '0', '🚀')
      fc.assert(fc.property(prefixes, fc.string({ maxLength: 120 }), (prefix, rest) => {
        try {
          parseString(prefix + rest)
        } catch (err: any) {
          expect(['InvalidPeerIdError', 'InvalidCIDError', 'InvalidMultihashError']).to.include(err.name)
        }
      }), { numRuns: 2000 })
    })
  })

  describe('checkPeerIdMultihash', () => {
    it('accepts identity up to 42 bytes and sha2-256 of 32 bytes', () => {
      checkPeerIdMultihash(Digest.create(0x00, new Uint8Array(42)))
      checkPeerIdMultihash(Digest.create(0x12, new Uint8Array(32)))
    })

    it('refuses other sizes and codes', () => {
      expect(expectErrorNamed(() => { checkPeerIdMultihash(Digest.create(0x00, new Uint8Array(43))) }, 'InvalidMultihashError').message).to.match(/at most 42/)
      expect(expectErrorNamed(() => { checkPeerIdMultihash(Digest.create(0x12, new Uint8Array(31))) }, 'InvalidMultihashError').message).to.match(/32-byte/)
      expect(expectErrorNamed(() => { checkPeerIdMultihash(Digest.create(0x13, new Uint8Array(64))) }, 'InvalidMultihashError').message).to.match(/0x13/)
      expectErrorNamed(() => { checkPeerIdMultihash({} as any) }, 'InvalidMultihashError')
      expectErrorNamed(() => { checkPeerIdMultihash(undefined as any) }, 'InvalidMultihashError')
    })
  })

  describe('decodeMultihash', () => {
    it('refuses truncated and padded multihashes', () => {
      expectErrorNamed(() => decodeMultihash(sha256Id.bytes.subarray(0, 20)), 'InvalidMultihashError')
      expectErrorNamed(() => decodeMultihash(Uint8Array.of(...sha256Id.bytes, 0)), 'InvalidMultihashError')
      expectErrorNamed(() => decodeMultihash(new Uint8Array(0)), 'InvalidMultihashError')
    })
  })

  describe('parseCID', () => {
    it('accepts CIDv1 libp2p-key and CIDv0 (the legacy form)', () => {
      expect(parseCID(CID.createV1(0x72, sha256Id)).multihash.bytes).to.deep.equal(sha256Id.bytes)
      expect(parseCID(CID.createV0(sha256Id as any)).multihash.bytes).to.deep.equal(sha256Id.bytes)
    })

    it('reads URL peer id CIDs', () => {
      const cid = CID.createV1(0x0920, Digest.create(0x00, new TextEncoder().encode('https://example.com/routing')))
      const parsed = parseCID(cid)
      expect(parsed).to.include({ kind: 'url', url: 'https://example.com/routing' })
      const notUrl = CID.createV1(0x0920, Digest.create(0x00, new TextEncoder().encode('not a url')))
      expectErrorNamed(() => parseCID(notUrl), 'InvalidCIDError')
      const badUtf8 = CID.createV1(0x0920, Digest.create(0x00, Uint8Array.of(0xff, 0xfe)))
      expectErrorNamed(() => parseCID(badUtf8), 'InvalidCIDError')
      expectErrorNamed(() => parseCID(CID.createV1(0x0920, sha256Id)), 'InvalidCIDError')
    })

    it('refuses other codecs, bad multihashes and non-CIDs', () => {
      expectErrorNamed(() => parseCID(CID.createV1(0x55, sha256Id)), 'InvalidCIDError')
      expectErrorNamed(() => parseCID(CID.createV1(0x72, Digest.create(0x13, new Uint8Array(64)))), 'InvalidMultihashError')
      expectErrorNamed(() => parseCID({ multihash: sha256Id } as any), 'InvalidCIDError')
      expectErrorNamed(() => parseCID(null as any), 'InvalidCIDError')
    })
  })
})
