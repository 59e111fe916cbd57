/**
 * Property tests of the node's own decoders of stored (possibly corrupted)
 * and remote bytes: the peer store's protobuf codec. Run longer with
 * `npm run fuzz -- --target libp2p`.
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { decodeStoredPeer, encodeStoredPeer } from '../src/peer-store/pb.js'
import type { StoredPeer } from '../src/peer-store/pb.js'

const storedPeerArb = fc.record({
  addresses: fc.array(fc.record({ multiaddr: fc.uint8Array({ minLength: 1, maxLength: 40 }), isCertified: fc.boolean() }), { maxLength: 4 }),
  protocols: fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }),
  publicKey: fc.option(fc.uint8Array({ maxLength: 40 }), { nil: undefined }),
  peerRecordEnvelope: fc.option(fc.uint8Array({ maxLength: 40 }), { nil: undefined }),
  metadata: fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 })), { maxLength: 3 }),
  tags: fc.array(fc.record({ name: fc.string({ maxLength: 20 }), value: fc.integer({ min: 0, max: 100 }), expiry: fc.maxSafeNat() }), { maxLength: 3 })
})

describe('fuzz: libp2p peer store codec', function () {
  this.timeout(Math.max(5_000, RUNS * 40))

  it('decodeStoredPeer decodes or throws InvalidStoredPeerError', () => {
    fc.assert(fc.property(peerBytes(corpus('peer-store'), 800), (bytes) => {
      try {
        const peer = decodeStoredPeer(bytes)
        expect(peer.addresses.length + peer.protocols.length).to.be.at.most(bytes.length)
      } catch (err) { expectTyped(err, ['InvalidStoredPeerError']) }
    }), params())
  })

  it('stored peers round-trip', () => {
    fc.assert(fc.property(storedPeerArb, (peer) => {
      const canonical = (p: StoredPeer): string => JSON.stringify([p.addresses, p.protocols, p.publicKey, p.peerRecordEnvelope, p.metadata, p.tags], (_, v) => v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)
      expect(canonical(decodeStoredPeer(encodeStoredPeer(peer)))).to.equal(canonical(peer))
    }), params())
  })
})
