import { expect } from 'chai'
import fc from 'fast-check'
import { decodeRpc, defaultDecodeRpcLimits, signableFromRaw } from '../../src/pb/decode.js'
import { encodeRpc, encodeSignable } from '../../src/pb/rpc.js'
import type { RPC } from '../../src/pb/rpc.js'

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b)
const ids = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => bytes(i & 0xff))

function errorOf (fn: () => unknown): any {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

describe('pb/decode: strict decoder', () => {
  it('rejects truncated input, bad wire types and field number 0 with InvalidRpcError', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['truncated length', bytes(0x0a, 5, 1)],
      ['truncated varint', bytes(0x0a, 0x80)],
      ['subscriptions as varint', bytes(0x08, 1)],
      ['field 0', bytes(0x00, 1)],
      ['group wire type', bytes(0x0b)],
      ['wire type 7', bytes(0x0f)],
      ['message without topic', bytes(0x12, 2, 0x12, 0)],
      ['topic as varint', bytes(0x12, 2, 0x20, 1)],
      ['nested length past its parent', bytes(0x1a, 2, 0x0a, 5)],
      ['11-byte varint', bytes(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)],
      ['invalid UTF-8 topic', bytes(0x0a, 4, 0x12, 2, 0xc3, 0x28)],
      ['truncated fixed64', bytes(0x09, 1, 2, 3)]
    ]
    for (const [what, input] of cases) {
      const err = errorOf(() => decodeRpc(input))
      expect(err.name, what).to.equal('InvalidRpcError')
    }
  })

  it('skips unknown fields of every wire type', () => {
    const rpc = decodeRpc(bytes(
      0x38, 0x96, 0x01, // field 7 varint
      0x41, 1, 2, 3, 4, 5, 6, 7, 8, // field 8 fixed64
      0x4a, 2, 9, 9, // field 9 bytes
      0x55, 1, 2, 3, 4, // field 10 fixed32
      0x0a, 4, 0x12, 2, 0x61, 0x62 // a subscription to "ab"
    ))
    expect(rpc.subscriptions).to.deep.equal([{ topic: 'ab' }])
  })

  it('merges repeated control fields (protobuf semantics)', () => {
    const a = encodeRpc({ subscriptions: [], messages: [], control: { graft: [{ topicID: 'a' }] } })
    const b = encodeRpc({ subscriptions: [], messages: [], control: { graft: [{ topicID: 'b' }], extensions: { testExtension: true } } })
    const both = new Uint8Array([...a, ...b])
    const rpc = decodeRpc(both)
    expect(rpc.control?.graft).to.deep.equal([{ topicID: 'a' }, { topicID: 'b' }])
    expect(rpc.control?.extensions).to.deep.equal({ testExtension: true })
  })

  it('clamps a uint64 backoff past 2^53 instead of losing precision silently', () => {
    // PRUNE { backoff = 2^64 - 1 }
    const prune = bytes(0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
    const rpc = decodeRpc(bytes(0x1a, prune.length + 2, 0x22, prune.length, ...prune))
    expect(rpc.control?.prune?.[0].backoff).to.equal(Number.MAX_SAFE_INTEGER)
  })

  it('refuses an RPC over maxRpcSize with RpcTooLargeError', () => {
    const big = encodeRpc({ subscriptions: [], messages: [{ topic: 't', data: new Uint8Array(2000) }] })
    expect(errorOf(() => decodeRpc(big, { maxRpcSize: 1000 })).name).to.equal('RpcTooLargeError')
    expect(decodeRpc(big, { maxRpcSize: 3000 }).messages).to.have.length(1)
  })

  const limitCases: Array<[string, Partial<typeof defaultDecodeRpcLimits>, RPC]> = [
    ['subscriptions', { maxSubscriptions: 3 }, { subscriptions: Array.from({ length: 4 }, () => ({ topic: 't' })), messages: [] }],
    ['messages', { maxMessages: 3 }, { subscriptions: [], messages: Array.from({ length: 4 }, () => ({ topic: 't' })) }],
    ['IHAVE entries', { maxControlEntries: 3 }, { subscriptions: [], messages: [], control: { ihave: Array.from({ length: 4 }, () => ({ messageIDs: [] })) } }],
    ['GRAFT entries', { maxControlEntries: 3 }, { subscriptions: [], messages: [], control: { graft: Array.from({ length: 4 }, () => ({})) } }],
    ['PRUNE entries', { maxControlEntries: 3 }, { subscriptions: [], messages: [], control: { prune: Array.from({ length: 4 }, () => ({})) } }],
    ['IHAVE ids across entries', { maxIHaveMessageIDs: 5 }, { subscriptions: [], messages: [], control: { ihave: [{ messageIDs: ids(3) }, { messageIDs: ids(3) }] } }],
    ['IWANT ids', { maxIWantMessageIDs: 5 }, { subscriptions: [], messages: [], control: { iwant: [{ messageIDs: ids(6) }] } }],
    ['IDONTWANT ids', { maxIDontWantMessageIDs: 5 }, { subscriptions: [], messages: [], control: { idontwant: [{ messageIDs: ids(6) }] } }],
    ['PX peers', { maxPeerInfos: 2 }, { subscriptions: [], messages: [], control: { prune: [{ peers: [{}, {}, {}] }] } }]
  ]
  for (const [what, limits, rpc] of limitCases) {
    it(`counts ${what} against the limits (RpcLimitExceededError)`, () => {
      const encoded = encodeRpc(rpc)
      expect(errorOf(() => decodeRpc(encoded, limits)).name).to.equal('RpcLimitExceededError')
      expect(() => decodeRpc(encoded)).not.to.throw()
    })
  }

  it('the default limits stop an RPC packed with tiny entries', () => {
    // 6000 empty IWANT ids is 12 kB: far under 1 MiB, over the id limit
    const encoded = encodeRpc({ subscriptions: [], messages: [], control: { iwant: [{ messageIDs: Array.from({ length: 6000 }, () => new Uint8Array(0)) }] } })
    expect(encoded.byteLength).to.be.lessThan(20_000)
    expect(errorOf(() => decodeRpc(encoded)).name).to.equal('RpcLimitExceededError')
  })

  it('property: random bytes either decode or throw one of our typed errors', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
      try {
        decodeRpc(input)
      } catch (err: any) {
        expect(['InvalidRpcError', 'RpcLimitExceededError']).to.include(err.name)
      }
    }), { numRuns: 2000 })
  })

  it('property: every truncation of a valid RPC throws InvalidRpcError or decodes a prefix', () => {
    const full = encodeRpc({ subscriptions: [{ subscribe: true, topic: 'abc' }], messages: [{ topic: 't', data: bytes(1, 2, 3) }], control: { graft: [{ topicID: 'x' }] } })
    for (let i = 0; i < full.byteLength; i++) {
      try {
        decodeRpc(full.subarray(0, i))
      } catch (err: any) {
        expect(err.name).to.equal('InvalidRpcError')
      }
    }
  })

  it('signableFromRaw drops signature and key and keeps unknown fields in place', () => {
    const prefix = new TextEncoder().encode('p:')
    const message = { from: bytes(1), data: bytes(2), seqno: bytes(3), topic: 't', signature: bytes(4), key: bytes(5) }
    const raw = encodeRpc({ subscriptions: [], messages: [message] }).subarray(2)
    expect(signableFromRaw(prefix, raw)).to.deep.equal(encodeSignable(prefix, message))
    // an unknown field 9 after the topic is covered by the signature
    const withUnknown = bytes(...raw.subarray(0, 12), 0x4a, 1, 7, ...raw.subarray(12))
    expect([...signableFromRaw(prefix, withUnknown)]).to.deep.equal([...encodeSignable(prefix, message), 0x4a, 1, 7])
  })
})
