/**
 * Cross-checks with the official js-libp2p implementation (@libp2p/peer-record,
 * which interoperates with go-libp2p): envelopes sealed by either open in the
 * other, and with the same key, seq and addresses both produce the same bytes
 * (Ed25519 signatures are deterministic). The official code runs on Node 20
 * without the Promise.withResolvers polyfill, so this is not an official-* spec.
 */
import * as officialKeys from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey as officialPeerIdFromPrivateKey } from '@libp2p/peer-id'
import { PeerRecord as OfficialPeerRecord, RecordEnvelope as OfficialRecordEnvelope } from '@libp2p/peer-record'
import { generateKeyPairFromSeed, privateKeyFromProtobuf } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { PEER_RECORD_CODEC, PEER_RECORD_DOMAIN } from '../src/constants.js'
import { RecordEnvelope } from '../src/envelope.js'
import { PeerRecord, openPeerRecord } from '../src/peer-record.js'

const addrs = [multiaddr('/ip4/192.0.2.1/tcp/4001'), multiaddr('/ip6/2001:db8::1/udp/4001/quic-v1')]
const seed = Uint8Array.from({ length: 32 }, (_, i) => i)

describe('cross-implementation (official @libp2p/peer-record)', () => {
  it('uses the same domain and payload type', () => {
    expect(OfficialPeerRecord.DOMAIN).to.equal(PEER_RECORD_DOMAIN)
    expect([...OfficialPeerRecord.CODEC]).to.deep.equal([...PEER_RECORD_CODEC])
  })

  it('produces byte-identical records and envelopes for the same key, seq and addresses', async () => {
    const ours = await generateKeyPairFromSeed('Ed25519', seed)
    const theirs = await officialKeys.generateKeyPairFromSeed('Ed25519', seed)
    const ourRecord = new PeerRecord({ peerId: peerIdFromPrivateKey(ours), multiaddrs: addrs, seq: 1_700_000_000_000_000_000n })
    const theirRecord = new OfficialPeerRecord({ peerId: officialPeerIdFromPrivateKey(theirs), multiaddrs: addrs, seqNumber: 1_700_000_000_000_000_000n })
    expect(ourRecord.marshal()).to.deep.equal(theirRecord.marshal())

    const ourEnvelope = (await RecordEnvelope.seal(ourRecord, ours)).marshal()
    const theirEnvelope = (await OfficialRecordEnvelope.seal(theirRecord, theirs)).marshal()
    expect(ourEnvelope).to.deep.equal(theirEnvelope)
  })

  // ECDSA is left out: official @libp2p/peer-id 6 makes no peer id from an ECDSA key
  for (const type of ['Ed25519', 'secp256k1', 'RSA'] as const) {
    it(`opens a ${type} peer record sealed by the official code`, async function () {
      this.timeout(20_000)
      const theirs = await officialKeys.generateKeyPair(type)
      const record = new OfficialPeerRecord({ peerId: officialPeerIdFromPrivateKey(theirs), multiaddrs: addrs, seqNumber: 99n })
      const bytes = (await OfficialRecordEnvelope.seal(record, theirs)).marshal()

      const { envelope, record: opened } = await openPeerRecord(bytes)
      expect(opened.seq).to.equal(99n)
      expect(opened.multiaddrs.map(String)).to.deep.equal(addrs.map(String))
      expect(opened.peerId.toString()).to.equal(record.peerId.toString())
      expect(envelope.marshal()).to.deep.equal(bytes)
    })

    it(`seals a ${type} peer record the official code opens`, async function () {
      this.timeout(20_000)
      const theirs = await officialKeys.generateKeyPair(type)
      const ours = privateKeyFromProtobuf(officialKeys.privateKeyToProtobuf(theirs))
      const record = new PeerRecord({ peerId: peerIdFromPrivateKey(ours), multiaddrs: addrs, seq: 12345n })
      const bytes = (await RecordEnvelope.seal(record, ours)).marshal()

      const envelope = await OfficialRecordEnvelope.openAndCertify(bytes, OfficialPeerRecord.DOMAIN)
      const opened = OfficialPeerRecord.createFromProtobuf(envelope.payload)
      expect(opened.seqNumber).to.equal(12345n)
      expect(opened.multiaddrs.map(String)).to.deep.equal(addrs.map(String))
      expect(opened.peerId.toString()).to.equal(record.peerId.toString())
    })
  }

  it('both refuse each other\'s envelopes under a wrong domain', async () => {
    const theirs = await officialKeys.generateKeyPair('Ed25519')
    const theirBytes = (await OfficialRecordEnvelope.seal(new OfficialPeerRecord({ peerId: officialPeerIdFromPrivateKey(theirs) }), theirs)).marshal()
    const ourErr = await RecordEnvelope.openAndCertify(theirBytes, 'libp2p-routing-state').then(() => undefined, (err: Error) => err)
    expect(ourErr).to.have.property('name', 'InvalidSignatureError')

    const ours = await generateKeyPairFromSeed('Ed25519', seed)
    const ourBytes = (await RecordEnvelope.seal(new PeerRecord({ peerId: peerIdFromPrivateKey(ours) }), ours)).marshal()
    const theirErr = await OfficialRecordEnvelope.openAndCertify(ourBytes, 'libp2p-routing-state').then(() => undefined, (err: Error) => err)
    expect(theirErr).to.have.property('name', 'InvalidSignatureError')
  })
})
