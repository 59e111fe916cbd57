import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import fc from 'fast-check'
import protobuf from 'protobufjs'
import { decodeStoredPeer, encodeStoredPeer } from '../src/peer-store/pb.js'
import type { StoredPeer } from '../src/peer-store/pb.js'

// the schema the codec implements, parsed by protobufjs as an independent reader/writer
const proto = readFileSync(new URL('../../src/peer-store/peer.proto', import.meta.url), 'utf8')
const StoredPeerType = protobuf.parse(proto).root.lookupType('StoredPeer')

const sample: StoredPeer = {
  addresses: [{ multiaddr: Uint8Array.from([4, 127, 0, 0, 1]), isCertified: true }, { multiaddr: Uint8Array.from([4, 10, 0, 0, 1]), isCertified: false }],
  protocols: ['/a/1', '/ünïcode/1'],
  publicKey: Uint8Array.from([8, 1, 18, 1, 0]),
  peerRecordEnvelope: Uint8Array.from([1, 2, 3]),
  metadata: [['agent', Uint8Array.from([9])]],
  tags: [{ name: 'keep-alive', value: 100, expiry: 0 }, { name: 'short', value: 1, expiry: 1_800_000_000_000 }]
}

const arbStoredPeer = fc.record({
  addresses: fc.array(fc.record({ multiaddr: fc.uint8Array({ minLength: 1, maxLength: 20 }), isCertified: fc.boolean() }), { maxLength: 5 }),
  protocols: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 5 }),
  publicKey: fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: undefined }),
  peerRecordEnvelope: fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: undefined }),
  metadata: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.uint8Array({ minLength: 1, maxLength: 10 })), { maxLength: 5 }),
  tags: fc.array(fc.record({ name: fc.string({ minLength: 1, maxLength: 10 }), value: fc.integer({ min: 0, max: 100 }), expiry: fc.nat({ max: Number.MAX_SAFE_INTEGER }) }), { maxLength: 5 })
}, { requiredKeys: ['addresses', 'protocols', 'metadata', 'tags'] })

describe('peer store: stored peer codec', () => {
  it('round-trips', () => {
    expect(decodeStoredPeer(encodeStoredPeer(sample))).to.deep.equal(sample)
  })

  it('writes what protobufjs reads from peer.proto', () => {
    const decoded = StoredPeerType.toObject(StoredPeerType.decode(encodeStoredPeer(sample)), { longs: Number, defaults: true }) as any
    expect(decoded.addresses.map((a: any) => [Uint8Array.from(a.multiaddr), a.isCertified])).to.deep.equal(sample.addresses.map(a => [a.multiaddr, a.isCertified]))
    expect(decoded.protocols).to.deep.equal(sample.protocols)
    expect(Uint8Array.from(decoded.publicKey)).to.deep.equal(sample.publicKey)
    expect(Uint8Array.from(decoded.peerRecordEnvelope)).to.deep.equal(sample.peerRecordEnvelope)
    expect(decoded.metadata.map((m: any) => [m.key, Uint8Array.from(m.value)])).to.deep.equal(sample.metadata)
    expect(decoded.tags.map((t: any) => ({ name: t.name, value: t.value, expiry: t.expiry }))).to.deep.equal(sample.tags)
  })

  it('reads what protobufjs writes from peer.proto, for any entry (property)', () => {
    fc.assert(fc.property(arbStoredPeer, (peer) => {
      const bytes = StoredPeerType.encode(StoredPeerType.fromObject({ ...peer, metadata: peer.metadata.map(([key, value]) => ({ key, value })) })).finish()
      const decoded = decodeStoredPeer(bytes)
      const expected: any = { ...peer }
      for (const key of Object.keys(expected)) if (expected[key] === undefined) delete expected[key]
      expect(decoded).to.deep.equal(expected)
      expect(encodeStoredPeer(decoded)).to.deep.equal(Uint8Array.from(bytes))
    }), { numRuns: 200 })
  })

  it('skips unknown fields', () => {
    const bytes = encodeStoredPeer(sample)
    // field 15 varint, field 16 length-delimited, then the entry, then field 15 fixed32
    const withUnknown = Uint8Array.from([0x78, 0x05, 0x82, 0x01, 0x03, 1, 2, 3, ...bytes, 0x7d, 1, 2, 3, 4])
    expect(decodeStoredPeer(withUnknown)).to.deep.equal(sample)
  })

  it('fails only with InvalidStoredPeerError on garbage (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      try {
        decodeStoredPeer(bytes)
        return true
      } catch (err: any) {
        return err.name === 'InvalidStoredPeerError'
      }
    }), { numRuns: 1000 })
  })

  it('refuses truncated entries, wrong wire types and bad UTF-8', () => {
    const bytes = encodeStoredPeer(sample)
    for (let i = 1; i < bytes.byteLength; i++) {
      try {
        decodeStoredPeer(bytes.subarray(0, i))
      } catch (err: any) {
        expect(err.name).to.equal('InvalidStoredPeerError')
      }
    }
    expect(() => decodeStoredPeer(Uint8Array.from([0x08, 0x01]))).to.throw().with.property('name', 'InvalidStoredPeerError') // addresses as a varint
    expect(() => decodeStoredPeer(Uint8Array.from([0x12, 0x01, 0xff]))).to.throw().with.property('name', 'InvalidStoredPeerError') // protocol not UTF-8
    expect(() => decodeStoredPeer(Uint8Array.from([0x0a, 0x05, 0x00]))).to.throw().with.property('name', 'InvalidStoredPeerError')
    expect(() => decodeStoredPeer('x' as any)).to.throw().with.property('name', 'InvalidStoredPeerError')
  })
})

describe('peer store: errors', () => {
  it('InvalidStoredPeerError names itself statically and on instances', async () => {
    const { InvalidStoredPeerError } = await import('../src/peer-store/errors.js')
    const err = new InvalidStoredPeerError()
    expect(InvalidStoredPeerError.name).to.equal('InvalidStoredPeerError')
    expect(err.name).to.equal('InvalidStoredPeerError')
    expect(err).to.be.instanceOf(Error)
  })
})
