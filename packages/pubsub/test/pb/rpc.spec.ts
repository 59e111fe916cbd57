import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import fc from 'fast-check'
import protobuf from 'protobufjs'
import { decodeRpc } from '../../src/pb/decode.js'
import { encodeMessage, encodeRpc, encodeRpcFrame, rpcSize, utf8Size, varintSize } from '../../src/pb/rpc.js'
import type { RPC } from '../../src/pb/rpc.js'

// the schema the codec implements, parsed by protobufjs as an independent reader/writer
const proto = readFileSync(new URL('../../../src/pb/rpc.proto', import.meta.url), 'utf8')
const root = protobuf.parse(proto, { keepCase: true }).root
const RPCType = root.lookupType('RPC')

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b)

export const sample: RPC = {
  subscriptions: [{ subscribe: true, topic: 'fruit' }, { subscribe: false, topic: 'ünïcode 🍌' }],
  messages: [
    { from: bytes(0, 36, 8, 1), data: bytes(1, 2, 3), seqno: bytes(0, 0, 0, 0, 0, 0, 0, 7), topic: 'fruit', signature: bytes(9, 9), key: bytes(8, 1) },
    { topic: 'bare' }
  ],
  control: {
    ihave: [{ topicID: 'fruit', messageIDs: [bytes(1), bytes(2, 2)] }],
    iwant: [{ messageIDs: [bytes(3)] }],
    graft: [{ topicID: 'fruit' }, {}],
    prune: [{ topicID: 'fruit', peers: [{ peerID: bytes(4), signedPeerRecord: bytes(5, 5) }, {}], backoff: 60 }],
    idontwant: [{ messageIDs: [bytes(6), bytes(7)] }],
    extensions: { testExtension: true }
  },
  testExtension: {}
}

/** The sample as protobufjs sees it (field `publish` instead of `messages`). */
function toPbjs (rpc: RPC): any {
  return {
    subscriptions: rpc.subscriptions.map(s => ({ subscribe: s.subscribe, topicid: s.topic })),
    publish: rpc.messages.map(({ raw, ...m }) => m),
    control: rpc.control,
    testExtension: rpc.testExtension
  }
}

function stripRaw (rpc: RPC): RPC {
  return { ...rpc, messages: rpc.messages.map(({ raw, ...m }) => m) }
}

const arbBytes = fc.uint8Array({ maxLength: 40 })
const arbTopic = fc.string({ maxLength: 20 })
const arbIds = fc.array(arbBytes, { maxLength: 4 })
const arbRpc: fc.Arbitrary<RPC> = fc.record({
  subscriptions: fc.array(fc.record({ subscribe: fc.boolean(), topic: arbTopic }, { requiredKeys: [] }), { maxLength: 4 }),
  messages: fc.array(fc.record({
    from: arbBytes, data: fc.uint8Array({ maxLength: 300 }), seqno: arbBytes, topic: arbTopic, signature: arbBytes, key: arbBytes
  }, { requiredKeys: ['topic'] }), { maxLength: 4 }),
  control: fc.record({
    ihave: fc.array(fc.record({ topicID: arbTopic, messageIDs: arbIds }, { requiredKeys: ['messageIDs'] }), { maxLength: 3 }),
    iwant: fc.array(fc.record({ messageIDs: arbIds }), { maxLength: 3 }),
    graft: fc.array(fc.record({ topicID: arbTopic }, { requiredKeys: [] }), { maxLength: 3 }),
    prune: fc.array(fc.record({
      topicID: arbTopic,
      peers: fc.array(fc.record({ peerID: arbBytes, signedPeerRecord: arbBytes }, { requiredKeys: [] }), { maxLength: 3 }),
      backoff: fc.nat({ max: Number.MAX_SAFE_INTEGER })
    }, { requiredKeys: ['peers'] }), { maxLength: 3 }),
    idontwant: fc.array(fc.record({ messageIDs: arbIds }), { maxLength: 3 }),
    extensions: fc.record({ testExtension: fc.boolean() }, { requiredKeys: [] })
  }, { requiredKeys: ['ihave', 'iwant', 'graft', 'prune', 'idontwant'] }),
  testExtension: fc.constant({})
}, { requiredKeys: ['subscriptions', 'messages'] })

describe('pb/rpc: encoder', () => {
  it('round-trips every field, control messages of v1.0 to v1.3 included', () => {
    const decoded = decodeRpc(encodeRpc(sample))
    expect(stripRaw(decoded)).to.deep.equal(sample)
  })

  it('writes what protobufjs reads, and reads what protobufjs writes', () => {
    const ours = encodeRpc(sample)
    const theirs = RPCType.toObject(RPCType.decode(ours), { bytes: Uint8Array as any, longs: Number, defaults: false }) as any
    expect(theirs.subscriptions).to.deep.equal([{ subscribe: true, topicid: 'fruit' }, { subscribe: false, topicid: 'ünïcode 🍌' }])
    expect(theirs.control.prune[0].backoff).to.equal(60)
    expect(theirs.control.extensions.testExtension).to.equal(true)
    expect(theirs.testExtension).to.deep.equal({})
    const reencoded = RPCType.encode(RPCType.fromObject(toPbjs(sample))).finish()
    expect(stripRaw(decodeRpc(reencoded))).to.deep.equal(sample)
    // same field order as protobufjs: identical bytes
    expect(Buffer.from(ours).equals(Buffer.from(reencoded))).to.equal(true)
  })

  it('property: any RPC round-trips and matches protobufjs byte for byte', () => {
    fc.assert(fc.property(arbRpc, (rpc) => {
      const ours = encodeRpc(rpc)
      expect(ours.byteLength).to.equal(rpcSize(rpc))
      // decode then re-encode gives the same bytes (the decoded form carries every field)
      expect(encodeRpc(stripRaw(decodeRpc(ours)))).to.deep.equal(ours)
      const theirs = RPCType.encode(RPCType.fromObject(toPbjs(rpc))).finish()
      expect(Buffer.from(ours).equals(Buffer.from(theirs))).to.equal(true)
    }), { numRuns: 150 })
  })

  it('the test extension sits at field 6492434 (a 4-byte tag) in RPC and ControlExtensions', () => {
    const rpc = encodeRpc({ subscriptions: [], messages: [], testExtension: {} })
    // tag = 6492434 << 3 | 2, as a 4-byte varint, then length 0
    expect([...rpc]).to.deep.equal([0x92, 0x91, 0xe2, 0x18, 0])
    const ext = encodeRpc({ subscriptions: [], messages: [], control: { extensions: { testExtension: true } } })
    expect([...ext]).to.deep.equal([0x1a, 7, 0x32, 5, 0x90, 0x91, 0xe2, 0x18, 1])
  })

  it('an empty RPC is zero bytes, and a frame is varint length + RPC', () => {
    expect(encodeRpc({ subscriptions: [], messages: [] })).to.have.length(0)
    const big: RPC = { subscriptions: [], messages: [{ topic: 't', data: new Uint8Array(300) }] }
    const frame = encodeRpcFrame(big)
    const body = encodeRpc(big)
    expect(frame.byteLength).to.equal(body.byteLength + 2)
    expect(frame.subarray(2)).to.deep.equal(body)
    expect(frame[0] & 0x7f | (frame[1] << 7)).to.equal(body.byteLength)
  })

  it('a message with raw bytes is written verbatim (forwarding keeps unknown fields)', () => {
    // field 7 (unknown) after the topic
    const raw = bytes(0x22, 1, 0x74, 0x38, 5)
    const out = decodeRpc(encodeRpc({ subscriptions: [], messages: [{ topic: 't', raw }] }))
    expect(out.messages[0].raw).to.deep.equal(raw)
    expect(encodeMessage({ topic: 'ignored', raw })).to.equal(raw)
  })

  it('refuses a PRUNE backoff that is not a safe non-negative integer', () => {
    expect(() => encodeRpc({ subscriptions: [], messages: [], control: { prune: [{ backoff: -1 }] } })).to.throw(RangeError)
    expect(() => encodeRpc({ subscriptions: [], messages: [], control: { prune: [{ backoff: 1.5 }] } })).to.throw(RangeError)
  })

  it('varintSize and utf8Size agree with real encodings', () => {
    for (const n of [0, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 35, Number.MAX_SAFE_INTEGER]) {
      const w = protobuf.Writer.create().uint64(n).finish()
      expect(varintSize(n), String(n)).to.equal(w.byteLength)
    }
    for (const s of ['', 'abc', 'ü', '€', '🍌', 'a🍌b€', '\ud800']) {
      expect(utf8Size(s), s).to.equal(new TextEncoder().encode(s).byteLength)
    }
  })
})
