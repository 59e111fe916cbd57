/**
 * Property tests of the pubsub RPC decoder (floodsub and gossipsub frames:
 * subscriptions, messages, IHAVE/IWANT/GRAFT/PRUNE/IDONTWANT) on peer bytes,
 * with its per-RPC count limits. Run longer with
 * `npm run fuzz -- --target pubsub`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import fc from 'fast-check'
import { decodeRpc } from '../src/pb/decode.js'
import { encodeRpc } from '../src/pb/rpc.js'
import type { RPC } from '../src/pb/rpc.js'

// ---- fuzz harness (same block in every package's fuzz.spec.ts; the runner is scripts/fuzz.mjs) ----
// FUZZ_RUNS: runs per property (npm test keeps it small); FUZZ_SEED: replay a seed fast-check printed.
const RUNS = Number(process.env.FUZZ_RUNS ?? 150)
const SEED = process.env.FUZZ_SEED == null ? undefined : Number(process.env.FUZZ_SEED)
const params = (runs = RUNS): fc.Parameters<any> => ({ numRuns: runs, seed: SEED, endOnFailure: true })

/** The seed corpus of a target: `fuzz/corpus/<target>/*.hex` at the repository root (empty outside a checkout). */
function corpus (target: string): Uint8Array[] {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!fs.existsSync(path.join(dir, 'fuzz', 'corpus')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  const where = path.join(dir, 'fuzz', 'corpus', target)
  if (!fs.existsSync(where)) return []
  return fs.readdirSync(where).filter(f => f.endsWith('.hex')).sort().map(f => Uint8Array.from(Buffer.from(fs.readFileSync(path.join(where, f), 'utf8').replace(/\s+/g, ''), 'hex')))
}

/** Random bytes, or a corpus entry with a few flips, cuts, insertions and duplications. */
function peerBytes (seeds: Uint8Array[], maxLength = 512): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ maxLength })
  if (seeds.length === 0) return random
  const op = fc.tuple(fc.constantFrom('flip', 'cut', 'insert', 'dup', 'byte'), fc.nat(), fc.integer({ min: 0, max: 255 }))
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(op, { maxLength: 4 })).map(([seed, ops]) => {
    let b = Uint8Array.from(seed)
    for (const [kind, at, value] of ops) {
      const i = b.length === 0 ? 0 : at % b.length
      if (kind === 'flip' && b.length > 0) b[i] ^= 1 << (value % 8)
      else if (kind === 'byte' && b.length > 0) b[i] = value
      else if (kind === 'cut') b = b.subarray(0, i)
      else if (kind === 'insert') b = Uint8Array.from([...b.subarray(0, i), value, ...b.subarray(i)])
      else if (kind === 'dup') b = Uint8Array.from([...b, ...b.subarray(i)])
    }
    return b
  })
  return fc.oneof({ weight: 1, arbitrary: random }, { weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: fc.constantFrom(...seeds) })
}

/** Fails unless `err` is one of the typed errors a decoder may throw. */
function expectTyped (err: any, allowed: readonly string[]): void {
  if (!allowed.includes(err?.name)) throw new Error(`untyped or unexpected error ${err?.name}: ${err?.message}`, { cause: err })
}

/** Splits bytes into chunks as a peer's writes would arrive. */
function chunked (bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map(c => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let last = 0
  for (const p of [...points, bytes.length]) { if (p > last) { out.push(bytes.subarray(last, p)); last = p } }
  return out
}
// ---- end of harness ----

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
