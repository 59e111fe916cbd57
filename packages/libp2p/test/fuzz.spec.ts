/**
 * Property tests of the node's own decoders of stored (possibly corrupted)
 * and remote bytes: the peer store's protobuf codec. Run longer with
 * `npm run fuzz -- --target libp2p`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import fc from 'fast-check'
import { decodeStoredPeer, encodeStoredPeer } from '../src/peer-store/pb.js'
import type { StoredPeer } from '../src/peer-store/pb.js'

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
