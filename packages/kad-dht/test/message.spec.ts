import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { ConnectionType, MessageType, decodeMessage, encodeMessage, messageChannel, messageTypeName } from '../src/message.js'
import { Message as pb } from '../src/pb/dht.js'
import type { DHTMessage } from '../src/message.js'

const bytes = fc.uint8Array({ maxLength: 64 })
const peer = fc.record({ id: fc.uint8Array({ minLength: 1, maxLength: 40 }), addrs: fc.array(bytes, { maxLength: 3 }), connection: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<ConnectionType> })
const message: fc.Arbitrary<DHTMessage> = fc.record({
  type: fc.constantFrom(0, 1, 2, 3, 4, 5) as fc.Arbitrary<DHTMessage['type']>,
  key: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
  record: fc.option(fc.record({ key: bytes, value: bytes, timeReceived: fc.constantFrom('', '2026-11-25T00:00:00.000Z') }), { nil: undefined }),
  closerPeers: fc.array(peer, { maxLength: 4 }),
  providerPeers: fc.array(peer, { maxLength: 4 })
}, { requiredKeys: ['type', 'closerPeers', 'providerPeers'] })

describe('message codec', () => {
  it('round-trips any message', () => {
    fc.assert(fc.property(message, (m) => {
      const decoded = decodeMessage(encodeMessage(m))
      const expected = { ...m }
      if (expected.key === undefined) delete expected.key
      if (expected.record === undefined) delete expected.record
      expect(decoded).to.deep.equal(expected)
    }), { numRuns: 200 })
  })

  it('encodes the spec field numbers (type 1, key 2, record 3, closerPeers 8, providerPeers 9)', () => {
    const encoded = encodeMessage({ type: MessageType.GET_PROVIDERS, key: Uint8Array.of(7), closerPeers: [{ id: Uint8Array.of(1), addrs: [], connection: ConnectionType.CONNECTED }], providerPeers: [] })
    // field 1 varint 3, field 2 bytes [7], field 8 (0x42) peer { field 1 id, field 3 connection 1 }
    expect([...encoded]).to.deep.equal([0x08, 0x03, 0x12, 0x01, 0x07, 0x42, 0x05, 0x0a, 0x01, 0x01, 0x18, 0x01])
  })

  it('reads an absent type as PUT_VALUE (proto3 default, as go sends it)', () => {
    expect(decodeMessage(new Uint8Array(0)).type).to.equal(MessageType.PUT_VALUE)
  })

  it('rejects garbage and unknown types with InvalidDHTMessageError', () => {
    expect(() => decodeMessage(Uint8Array.of(0x12, 0x05, 0x01))).to.throw().with.property('name', 'InvalidDHTMessageError')
    expect(() => decodeMessage(pb.encode({ type: 9 as any }).finish())).to.throw().with.property('name', 'InvalidDHTMessageError')
    expect(() => decodeMessage(Uint8Array.of(0xff, 0xff, 0xff))).to.throw().with.property('name', 'InvalidDHTMessageError')
  })

  it('reads an unknown connection type as NOT_CONNECTED', () => {
    const encoded = pb.encode({ type: 4, closerPeers: [{ id: Uint8Array.of(1), connection: 9 as any }] }).finish()
    expect(decodeMessage(encoded).closerPeers[0].connection).to.equal(ConnectionType.NOT_CONNECTED)
  })

  it('names message types', () => {
    expect(messageTypeName(MessageType.FIND_NODE)).to.equal('FIND_NODE')
    expect(messageTypeName(42)).to.equal('UNKNOWN(42)')
  })

  describe('framing', () => {
    it('writes and reads length-prefixed messages', async () => {
      const [a, b] = streamPair()
      const m: DHTMessage = { type: MessageType.PING, closerPeers: [], providerPeers: [] }
      await messageChannel(a).write(m)
      expect(await messageChannel(b).read()).to.deep.equal(m)
    })

    it('refuses a frame over the size limit before reading it', async () => {
      const [a, b] = streamPair()
      // a length prefix announcing 5 MiB
      a.send(Uint8Array.of(0x80, 0x80, 0xc0, 0x02))
      const err = await messageChannel(b).read().then(() => undefined, (e) => e)
      expect(err?.name).to.equal('InvalidDataLengthError')
    })

    it('honours a smaller configured limit', async () => {
      const [a, b] = streamPair()
      await messageChannel(a).write({ type: MessageType.GET_VALUE, key: new Uint8Array(200), closerPeers: [], providerPeers: [] })
      const err = await messageChannel(b, 150).read().then(() => undefined, (e) => e)
      expect(err?.name).to.equal('InvalidDataLengthError')
    })
  })
})
