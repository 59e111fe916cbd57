/**
 * @packageDocumentation
 *
 * The harness every package's `test/fuzz.spec.ts` shares: run parameters
 * (`FUZZ_RUNS`, `FUZZ_SEED`), the seed corpus under `fuzz/corpus/<target>/`,
 * an arbitrary of peer bytes (random, or corpus entries with flips, cuts,
 * insertions and duplications), a check that an error is one of the typed
 * errors a decoder may throw, and a splitter that cuts bytes the way a peer's
 * writes arrive. `npm test` runs the properties with few runs;
 * `npm run fuzz -- --minutes N` (scripts/fuzz.mjs) runs them longer with
 * fresh seeds. Test-only: not published.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'

/** Runs per property: `FUZZ_RUNS`, or 150 (small enough for `npm test`). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 150)

/** A seed to replay (`FUZZ_SEED`, as fast-check printed it), or undefined for a fresh one. */
export const SEED = process.env.FUZZ_SEED == null ? undefined : Number(process.env.FUZZ_SEED)

/** fast-check parameters: `runs` runs (default {@link RUNS}), the replay seed, stop at the first failure. */
export function params (runs = RUNS): fc.Parameters<any> {
  return { numRuns: runs, seed: SEED, endOnFailure: true }
}

/**
 * The seed corpus of a target: every `fuzz/corpus/<target>/*.hex` file of
 * the repository (found by walking up from `from`, default this module), or
 * an empty list outside a checkout.
 */
export function corpus (target: string, from: string = fileURLToPath(import.meta.url)): Uint8Array[] {
  let dir = path.dirname(from)
  while (!fs.existsSync(path.join(dir, 'fuzz', 'corpus')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  const where = path.join(dir, 'fuzz', 'corpus', target)
  if (!fs.existsSync(where)) return []
  return fs.readdirSync(where)
    .filter(f => f.endsWith('.hex'))
    .sort()
    .map(f => Uint8Array.from(Buffer.from(fs.readFileSync(path.join(where, f), 'utf8').replace(/\s+/g, ''), 'hex')))
}

/** Random bytes, or a corpus entry with a few flips, cuts, insertions and duplications. */
export function peerBytes (seeds: Uint8Array[], maxLength = 512): fc.Arbitrary<Uint8Array> {
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

/** Throws unless `err` is one of the typed errors (by `name`) a decoder may throw. */
export function expectTyped (err: any, allowed: readonly string[]): void {
  if (!allowed.includes(err?.name)) throw new Error(`untyped or unexpected error ${err?.name}: ${err?.message}`, { cause: err })
}

/** Splits bytes into chunks at `cuts` (taken modulo the length), as a peer's writes would arrive. */
export function chunked (bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map(c => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let last = 0
  for (const p of [...points, bytes.length]) {
    if (p > last) {
      out.push(bytes.subarray(last, p))
      last = p
    }
  }
  return out
}
