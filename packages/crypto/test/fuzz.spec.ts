/**
 * Property tests of the key decoders on peer bytes (keys arrive in noise
 * payloads, identify, envelopes, TLS certificates and peer ids). Run longer
 * with `npm run fuzz -- --target crypto`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import fc from 'fast-check'
import { generateKeyPairFromSeed, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromProtobuf, publicKeyFromRaw, publicKeyToProtobuf } from '../src/index.js'

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

const KEY_ERRORS = ['InvalidPublicKeyError', 'InvalidPrivateKeyError', 'UnsupportedKeyTypeError', 'InvalidKeyError', 'InvalidParametersError'] as const
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('fuzz: crypto keys', function () {
  this.timeout(Math.max(10_000, RUNS * 100))

  it('publicKeyFromProtobuf decodes or throws a typed key error; accepted keys re-encode to the same bytes', () => {
    fc.assert(fc.property(peerBytes(corpus('public-key'), 600), (bytes) => {
      try {
        const key = publicKeyFromProtobuf(bytes)
        // deterministic encoding is required (peer ids hash these bytes)
        expect(hex(publicKeyToProtobuf(key))).to.equal(hex(bytes))
      } catch (err) { expectTyped(err, KEY_ERRORS) }
    }), params())
  })

  it('privateKeyFromProtobuf decodes or throws a typed key error', () => {
    fc.assert(fc.property(peerBytes(corpus('private-key'), 600), (bytes) => {
      try {
        const key = privateKeyFromProtobuf(bytes)
        expect(hex(privateKeyToProtobuf(key))).to.equal(hex(bytes))
      } catch (err) { expectTyped(err, KEY_ERRORS) }
    }), params())
  })

  it('publicKeyFromRaw decodes or throws a typed key error', () => {
    fc.assert(fc.property(peerBytes(corpus('public-key').map(b => b.subarray(4)), 600), (bytes) => {
      try { publicKeyFromRaw(bytes) } catch (err) { expectTyped(err, KEY_ERRORS) }
    }), params())
  })

  it('a key verifies only its own signatures, whatever the signature bytes', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(3))
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 80 }), async (data, sig) => {
      let ok = false
      try { ok = await key.publicKey.verify(data, sig) } catch (err) { expectTyped(err, KEY_ERRORS) }
      expect(ok).to.equal(false)
      expect(await key.publicKey.verify(data, await key.sign(data))).to.equal(true)
    }), params(Math.ceil(RUNS / 3)))
  })
})
