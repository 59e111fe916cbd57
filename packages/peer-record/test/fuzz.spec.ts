/**
 * Property tests of signed envelopes and peer records on peer bytes (they
 * arrive in identify and the DHT): parse, certify, open. Run longer with
 * `npm run fuzz -- --target peer-record`.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import fc from 'fast-check'
import { corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { PeerRecord, RecordEnvelope, openPeerRecord } from '../src/index.js'

const ENVELOPE_ERRORS = ['InvalidEnvelopeError', 'InvalidSignatureError', 'InvalidPeerRecordError', 'WrongPayloadTypeError'] as const

describe('fuzz: peer-record', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('RecordEnvelope.createFromProtobuf parses or throws InvalidEnvelopeError', () => {
    fc.assert(fc.property(peerBytes(corpus('envelope'), 600), (bytes) => {
      try { RecordEnvelope.createFromProtobuf(bytes) } catch (err) { expectTyped(err, ENVELOPE_ERRORS) }
    }), params())
  })

  it('openPeerRecord opens only a validly signed record and throws typed errors otherwise', async () => {
    await fc.assert(fc.asyncProperty(peerBytes(corpus('envelope'), 600), async (bytes) => {
      try {
        const { envelope, record } = await openPeerRecord(bytes)
        // opened: the record is the signer's own
        expect(record.peerId.publicKey?.equals(envelope.publicKey)).to.equal(true)
      } catch (err) { expectTyped(err, ENVELOPE_ERRORS) }
    }), params())
  })

  it('PeerRecord.createFromProtobuf parses or throws InvalidPeerRecordError', () => {
    fc.assert(fc.property(peerBytes(corpus('peer-record'), 600), (bytes) => {
      try {
        const record = PeerRecord.createFromProtobuf(bytes)
        expect(record.multiaddrs.length).to.be.at.most(100)
      } catch (err) { expectTyped(err, ENVELOPE_ERRORS) }
    }), params())
  })

  it('sealed records round-trip', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
    const peerId = peerIdFromPrivateKey(key)
    const addr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 65535 })).map(([ip, port]) => multiaddr(`/ip4/${ip}/tcp/${port}`))
    await fc.assert(fc.asyncProperty(fc.array(addr, { maxLength: 5 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), async (multiaddrs, seq) => {
      const envelope = await RecordEnvelope.seal(new PeerRecord({ peerId, multiaddrs, seq }), key)
      const opened = await openPeerRecord(envelope.marshal())
      expect(opened.record.seq).to.equal(seq)
      expect(opened.record.multiaddrs.map(String)).to.deep.equal(multiaddrs.map(String))
    }), params(Math.ceil(RUNS / 3)))
  })
})
