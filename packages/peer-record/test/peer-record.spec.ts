import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import fc from 'fast-check'
import { MAX_ADDRESSES_PER_RECORD, PEER_RECORD_CODEC, PEER_RECORD_DOMAIN } from '../src/constants.js'
import { RecordEnvelope } from '../src/envelope.js'
import { PeerRecord, openPeerRecord, timestampSeq } from '../src/peer-record.js'
import * as envelopePb from '../src/pb/envelope.js'
import * as pb from '../src/pb/peer-record.js'
import type { PeerId, PrivateKey, Record } from '@ts-libp2p/interface'

const addrs = [multiaddr('/ip4/192.0.2.1/tcp/4001'), multiaddr('/ip6/2001:db8::1/udp/4001/quic-v1'), multiaddr('/dns4/example.com/tcp/443/wss')]

describe('PeerRecord', () => {
  let key: PrivateKey
  let peerId: PeerId

  before(async () => {
    key = await generateKeyPair('Ed25519')
    peerId = peerIdFromPrivateKey(key)
  })

  it('has the RFC 0003 domain and the payload type go and js sign (0x03 0x01)', () => {
    const record = new PeerRecord({ peerId })
    expect(record.domain).to.equal('libp2p-peer-record')
    expect(PeerRecord.DOMAIN).to.equal(PEER_RECORD_DOMAIN)
    expect([...record.codec]).to.deep.equal([0x03, 0x01])
    expect(PeerRecord.CODEC).to.equal(PEER_RECORD_CODEC)
  })

  it('round-trips through protobuf', () => {
    const record = new PeerRecord({ peerId, multiaddrs: addrs, seq: 42n })
    const decoded = PeerRecord.createFromProtobuf(record.marshal())
    expect(decoded.peerId.equals(peerId)).to.equal(true)
    expect(decoded.seq).to.equal(42n)
    expect(decoded.multiaddrs.map(String)).to.deep.equal(addrs.map(String))
    expect(decoded.equals(record)).to.equal(true)
  })

  it('encodes the fields of RFC 0003 (peer_id = 1, seq = 2, addresses = 3 { multiaddr = 1 })', () => {
    const record = new PeerRecord({ peerId, multiaddrs: [addrs[0]], seq: 300n })
    const decoded = pb.PeerRecord.decode(record.marshal())
    expect(decoded.peerId).to.deep.equal(peerId.toMultihash().bytes)
    expect(Number(decoded.seq)).to.equal(300)
    expect(decoded.addresses[0].multiaddr).to.deep.equal(addrs[0].bytes)
    const bytes = record.marshal()
    expect(bytes[0]).to.equal(0x0a)
    const seqAt = 2 + bytes[1]
    expect([...bytes.subarray(seqAt, seqAt + 3)]).to.deep.equal([0x10, 0xac, 0x02])
    expect(bytes[seqAt + 3]).to.equal(0x1a)
  })

  it('keeps the full uint64 range of seq', () => {
    for (const seq of [0n, 1n, (1n << 53n) + 1n, (1n << 63n) + 5n, (1n << 64n) - 1n]) {
      const decoded = PeerRecord.createFromProtobuf(new PeerRecord({ peerId, seq }).marshal())
      expect(decoded.seq).to.equal(seq)
    }
  })

  it('refuses a seq outside uint64 and too many addresses', () => {
    expect(() => new PeerRecord({ peerId, seq: -1n })).to.throw().with.property('name', 'InvalidParametersError')
    expect(() => new PeerRecord({ peerId, seq: 1n << 64n })).to.throw().with.property('name', 'InvalidParametersError')
    expect(() => new PeerRecord({ peerId, seq: 5 as any })).to.throw().with.property('name', 'InvalidParametersError')
    const many = Array.from({ length: MAX_ADDRESSES_PER_RECORD + 1 }, (_, i) => multiaddr(`/ip4/10.0.0.1/tcp/${i + 1}`))
    expect(() => new PeerRecord({ peerId, multiaddrs: many })).to.throw().with.property('name', 'InvalidParametersError')
    expect(() => new PeerRecord({ peerId: undefined as any })).to.throw().with.property('name', 'InvalidParametersError')
  })

  it('refuses a decoded record with too many addresses', () => {
    const bytes = pb.PeerRecord.encode({
      peerId: peerId.toMultihash().bytes,
      seq: 1,
      addresses: Array.from({ length: MAX_ADDRESSES_PER_RECORD + 1 }, () => ({ multiaddr: addrs[0].bytes }))
    }).finish()
    expect(() => PeerRecord.createFromProtobuf(bytes)).to.throw().with.property('name', 'InvalidPeerRecordError')
  })

  it('refuses a bad peer id or a bad multiaddr', () => {
    const badId = pb.PeerRecord.encode({ peerId: Uint8Array.from([1, 2, 3]), seq: 1 }).finish()
    expect(() => PeerRecord.createFromProtobuf(badId)).to.throw().with.property('name', 'InvalidPeerRecordError')
    const badAddr = pb.PeerRecord.encode({ peerId: peerId.toMultihash().bytes, seq: 1, addresses: [{ multiaddr: Uint8Array.from([0xff, 0xff, 3]) }] }).finish()
    expect(() => PeerRecord.createFromProtobuf(badAddr)).to.throw().with.property('name', 'InvalidPeerRecordError')
    const emptyAddr = pb.PeerRecord.encode({ peerId: peerId.toMultihash().bytes, seq: 1, addresses: [{}] }).finish()
    expect(() => PeerRecord.createFromProtobuf(emptyAddr)).to.throw().with.property('name', 'InvalidPeerRecordError')
  })

  it('defaults seq to a strictly increasing nanosecond timestamp', () => {
    const before = BigInt(Date.now()) * 1_000_000n
    const a = new PeerRecord({ peerId }).seq
    const b = new PeerRecord({ peerId }).seq
    const c = timestampSeq()
    expect(a >= before).to.equal(true)
    expect(b > a).to.equal(true)
    expect(c > b).to.equal(true)
    expect(a < (BigInt(Date.now()) + 1000n) * 1_000_000n).to.equal(true)
  })

  it('compares records', () => {
    const a = new PeerRecord({ peerId, multiaddrs: addrs, seq: 1n })
    expect(a.equals(new PeerRecord({ peerId, multiaddrs: addrs, seq: 1n }))).to.equal(true)
    expect(a.equals(new PeerRecord({ peerId, multiaddrs: addrs, seq: 2n }))).to.equal(false)
    expect(a.equals(new PeerRecord({ peerId, multiaddrs: addrs.slice(1), seq: 1n }))).to.equal(false)
    expect(a.equals(new PeerRecord({ peerId, multiaddrs: [...addrs].reverse(), seq: 1n }))).to.equal(false)
    expect(a.equals({ domain: a.domain, codec: a.codec, marshal: () => a.marshal(), equals: () => true } satisfies Record)).to.equal(false)
  })

  it('fails only with InvalidPeerRecordError on garbage (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        PeerRecord.createFromProtobuf(bytes)
        return true // some garbage is a valid (if odd) record
      } catch (err: any) {
        return err.name === 'InvalidPeerRecordError'
      }
    }), { numRuns: 500 })
  })

  describe('openPeerRecord', () => {
    it('opens a sealed record and checks the signer', async () => {
      const record = new PeerRecord({ peerId, multiaddrs: addrs, seq: 7n })
      const bytes = (await RecordEnvelope.seal(record, key)).marshal()
      const opened = await openPeerRecord(bytes)
      expect(opened.record.equals(record)).to.equal(true)
      expect(opened.envelope.marshal()).to.deep.equal(bytes)
    })

    it('refuses a record of another peer signed with our key', async () => {
      const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
      const bytes = (await RecordEnvelope.seal(new PeerRecord({ peerId: other, seq: 1n }), key)).marshal()
      const err = await openPeerRecord(bytes).then(() => undefined, (err: Error) => err)
      expect(err).to.have.property('name', 'InvalidPeerRecordError')
    })

    it('refuses another payload type', async () => {
      const record = new PeerRecord({ peerId, seq: 1n })
      const disguised: Record = { domain: record.domain, codec: Uint8Array.from([0x2f]), marshal: () => record.marshal(), equals: () => false }
      const bytes = (await RecordEnvelope.seal(disguised, key)).marshal()
      const err = await openPeerRecord(bytes).then(() => undefined, (err: Error) => err)
      expect(err).to.have.property('name', 'WrongPayloadTypeError')
    })

    it('refuses another domain', async () => {
      const record = new PeerRecord({ peerId, seq: 1n })
      const wrongDomain: Record = { domain: 'libp2p-routing-state', codec: record.codec, marshal: () => record.marshal(), equals: () => false }
      const bytes = (await RecordEnvelope.seal(wrongDomain, key)).marshal()
      const err = await openPeerRecord(bytes).then(() => undefined, (err: Error) => err)
      expect(err).to.have.property('name', 'InvalidSignatureError')
    })

    it('refuses a signed payload that is not a peer record', async () => {
      const garbage: Record = { domain: PEER_RECORD_DOMAIN, codec: PEER_RECORD_CODEC, marshal: () => Uint8Array.from([0xff, 0xff]), equals: () => false }
      const bytes = (await RecordEnvelope.seal(garbage, key)).marshal()
      const err = await openPeerRecord(bytes).then(() => undefined, (err: Error) => err)
      expect(err).to.have.property('name', 'InvalidPeerRecordError')
    })

    it('honours an aborted signal', async () => {
      const bytes = (await RecordEnvelope.seal(new PeerRecord({ peerId, seq: 1n }), key)).marshal()
      const err = await openPeerRecord(bytes, { signal: AbortSignal.abort() }).then(() => undefined, (err: Error) => err)
      expect(err).to.have.property('name', 'AbortError')
    })

    it('reads the envelope wire form in tag order', async () => {
      const bytes = (await RecordEnvelope.seal(new PeerRecord({ peerId, seq: 1n }), key)).marshal()
      const decoded = envelopePb.Envelope.decode(bytes)
      expect(decoded.payloadType).to.deep.equal(PEER_RECORD_CODEC)
    })
  })
})
