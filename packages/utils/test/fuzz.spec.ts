/**
 * Property tests of the byte readers every protocol uses on peer bytes:
 * unsigned varints and length-prefixed frames. Run longer with
 * `npm run fuzz -- --target utils`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import fc from 'fast-check'
import { decodeVarint, lpStream } from '../src/index.js'
import { wiredPair } from './fixtures/test-streams.js'

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

const LP_ERRORS = ['UnexpectedEOFError', 'InvalidDataLengthError', 'InvalidDataLengthLengthError', 'InvalidMessageLengthError'] as const

function encodeVarint (value: number): Uint8Array {
  const out: number[] = []
  while (value >= 0x80) { out.push((value % 0x80) | 0x80); value = Math.floor(value / 0x80) }
  out.push(value)
  return Uint8Array.from(out)
}

/** Sends `chunks` from a peer, closes, and reads frames until the reader stops. */
async function readAll (chunks: Uint8Array[], maxDataLength?: number): Promise<{ frames: Uint8Array[], error?: any }> {
  const [peer, ours] = wiredPair()
  const lps = lpStream(ours, { maxDataLength })
  const frames: Uint8Array[] = []
  const signal = AbortSignal.timeout(2_000)
  const reading = (async () => {
    while (true) frames.push((await lps.read({ signal })).subarray())
  })().catch(err => err) // settled at once: never an unhandled rejection while the peer writes
  for (const chunk of chunks) peer.send(chunk)
  await peer.close()
  const error = await reading
  ours.abort(new Error('done'))
  return { frames, error }
}

describe('fuzz: utils', function () {
  this.timeout(Math.max(5_000, RUNS * 50))

  it('decodeVarint returns a value, needs more bytes, or throws a typed length error', () => {
    fc.assert(fc.property(peerBytes(corpus('varint'), 16), fc.integer({ min: 1, max: 10 }), (bytes, max) => {
      try {
        const result = decodeVarint(bytes, max)
        if (result != null) {
          expect(result.bytes).to.be.within(1, Math.min(max, bytes.length))
          expect(Number.isSafeInteger(result.value)).to.equal(true)
        }
      } catch (err) { expectTyped(err, LP_ERRORS) }
    }), params())
  })

  it('decodeVarint round-trips every safe integer', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (n) => {
      const bytes = encodeVarint(n)
      expect(decodeVarint(bytes)).to.deep.equal({ value: n, bytes: bytes.length })
      // any strict prefix is incomplete, never a wrong value
      expect(decodeVarint(bytes.subarray(0, bytes.length - 1))).to.equal(undefined)
    }), params())
  })

  it('lpStream.read over arbitrary peer bytes ends with frames or a typed error, never hangs', async () => {
    await fc.assert(fc.asyncProperty(peerBytes(corpus('lp'), 2048), fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(undefined, 64, 1024), async (bytes, cuts, max) => {
      const { error } = await readAll(chunked(bytes, cuts), max)
      expectTyped(error, LP_ERRORS)
    }), params(Math.ceil(RUNS / 2)))
  })

  it('lpStream round-trips frames however the bytes are split', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), async (frames, cuts) => {
      const encoded = Uint8Array.from(frames.flatMap(f => [...encodeVarint(f.length), ...f]))
      const { frames: got, error } = await readAll(chunked(encoded, cuts))
      expect(error?.name).to.equal('UnexpectedEOFError')
      expect(got.map(f => Buffer.from(f).toString('hex'))).to.deep.equal(frames.map(f => Buffer.from(f).toString('hex')))
    }), params(Math.ceil(RUNS / 2)))
  })

  it('a declared length of 4 GiB is refused from its prefix alone (default limit)', async () => {
    // its prefix is longer than that of the 4 MiB limit, so it fails even before its value is known
    const { error } = await readAll([encodeVarint(2 ** 32)])
    expect(error?.name).to.equal('InvalidDataLengthLengthError')
    const { error: again } = await readAll([encodeVarint(2 ** 32)], 2 ** 31)
    expect(again?.name).to.equal('InvalidDataLengthError')
  })

  it('a declared length of 4 GiB under a huge limit allocates nothing up front', async () => {
    const before = process.memoryUsage().arrayBuffers
    const { error } = await readAll([encodeVarint(2 ** 32), new Uint8Array(10)], 2 ** 40)
    expect(error?.name).to.equal('UnexpectedEOFError')
    expect(process.memoryUsage().arrayBuffers - before).to.be.below(64 * 1024 * 1024)
  })
})
