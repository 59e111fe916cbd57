/**
 * Property tests of the pubsub RPC decoder (floodsub and gossipsub frames:
 * subscriptions, messages, IHAVE/IWANT/GRAFT/PRUNE/IDONTWANT) on peer bytes,
 * with its per-RPC count limits. Run longer with
 * `npm run fuzz -- --target pubsub`.
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { decodeRpc } from '../src/pb/decode.js'
import { encodeRpc } from '../src/pb/rpc.js'
import type { RPC } from '../src/pb/rpc.js'

const RPC_ERRORS = ['InvalidRpcError', 'RpcTooLargeError', 'RpcLimitExceededError'] as const
const hex = (b: Uint8Array | undefined): string | undefined => b == null ? undefined : Buffer.from(b).toString('hex')
const topic = fc.string({ minLength: 1, maxLength: 20 })
const id = fc.uint8Array({ minLength: 1, maxLength: 20 })
const rpcArb: fc.Arbitrary<RPC> = fc.record({
  subscriptions: fc.array(fc.record({ subscribe: fc.boolean(), topic }), { maxLength: 3 }),
  messages: fc.array(fc.record({ from: fc.uint8Array({ minLength: 1, maxLength: 38 }), data: fc.uint8Array({ maxLength: 64 }), seqno: fc.uint8Array({ minLength: 8, maxLength: 8 }), topic }), { maxLength: 3 }),
  control: fc.record({
    ihave: fc.array(fc.record({ topicID: topic, messageIDs: fc.array(id, { maxLength: 4 }) }), { maxLength: 2 }),
    iwant: fc.array(fc.record({ messageIDs: fc.array(id, { maxLength: 4 }) }), { maxLength: 2 }),
    graft: fc.array(fc.record({ topicID: topic }), { maxLength: 2 }),
    prune: fc.array(fc.record({ topicID: topic, peers: fc.constant([]) }), { maxLength: 2 }),
    idontwant: fc.array(fc.record({ messageIDs: fc.array(id, { maxLength: 4 }) }), { maxLength: 2 })
  })
}) as fc.Arbitrary<any>

describe('fuzz: pubsub RPC', function () {
  this.timeout(Math.max(5_000, RUNS * 40))

  it('decodeRpc parses or throws a typed RPC error', () => {
    let seeds = corpus('pubsub')
    if (seeds.length === 0) seeds = fc.sample(rpcArb, { numRuns: 5, seed: 1 }).map(encodeRpc)
    fc.assert(fc.property(peerBytes(seeds, 2048), (bytes) => {
      try {
        const rpc = decodeRpc(bytes, { maxIHaveMessageIDs: 50, maxMessages: 10 })
        expect(rpc.messages.length).to.be.at.most(10)
      } catch (err) { expectTyped(err, RPC_ERRORS) }
    }), params())
  })

  it('RPCs round-trip', () => {
    fc.assert(fc.property(rpcArb, (rpc) => {
      const decoded = decodeRpc(encodeRpc(rpc))
      expect(decoded.subscriptions).to.deep.equal(rpc.subscriptions)
      expect(decoded.messages.map(m => [hex(m.from), hex(m.data), hex(m.seqno), m.topic])).to.deep.equal(rpc.messages.map(m => [hex(m.from), hex(m.data), hex(m.seqno), m.topic]))
      expect(decoded.control?.ihave?.map(i => [i.topicID, i.messageIDs.map(hex)]) ?? []).to.deep.equal(rpc.control?.ihave?.map(i => [i.topicID, i.messageIDs.map(hex)]) ?? [])
      expect(decoded.control?.graft?.map(g => g.topicID) ?? []).to.deep.equal(rpc.control?.graft?.map(g => g.topicID) ?? [])
    }), params())
  })

  it('an IHAVE flood past the id limit is refused, not decoded', () => {
    const flood = encodeRpc({ subscriptions: [], messages: [], control: { ihave: [{ topicID: 't', messageIDs: Array.from({ length: 6000 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8)) }], iwant: [], graft: [], prune: [], idontwant: [] } } as any)
    expect(() => decodeRpc(flood, { maxIHaveMessageIDs: 5000 })).to.throw().with.property('name', 'RpcLimitExceededError')
  })
})
