/**
 * Property tests of the perf server on peer bytes: the uint64 header and
 * the upload, against the download limit. Run longer with
 * `npm run fuzz -- --target perf`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { streamPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { perf } from '../src/index.js'

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

const SERVE_ERRORS = ['DownloadTooLargeError', 'UnexpectedEOFError', 'TimeoutError', 'StreamStateError', 'StreamResetError', 'ProtocolError'] as const
const LIMIT = 4096

describe('fuzz: perf', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('the server sends exactly what was asked within its limit, refuses more, and never hangs', async () => {
    const service: any = perf({ timeout: 300, maxDownloadBytes: LIMIT })({ registrar: { handle: async () => {}, unhandle: async () => {} }, connectionManager: { openConnection: async () => { throw new Error('unused') } }, logger: defaultLogger() } as any)
    await fc.assert(fc.asyncProperty(peerBytes(corpus('perf'), 64), fc.array(fc.nat(), { maxLength: 3 }), async (bytes, cuts) => {
      const [peer, ours] = streamPair()
      let received = 0
      peer.addEventListener('message', (evt) => { received += evt.data.byteLength })
      const started = Date.now()
      const serving = service.serve(ours).then((r: any) => r, (err: any) => err)
      for (const chunk of chunked(bytes, cuts)) peer.send(chunk)
      await peer.close({ signal: AbortSignal.timeout(1_000) }).catch(() => {})
      const result = await serving
      // the server's own timeout is 300 ms: it must have settled well within a second (slack for a loaded machine)
      expect(Date.now() - started).to.be.below(1_500)
      // what the server sent may still be on its way (a loaded machine): wait for it, bounded
      const deadline = Date.now() + 1_000
      while (!(result instanceof Error) && received < result.downloadBytes && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5))
      if (result instanceof Error) {
        expectTyped(result, SERVE_ERRORS)
        if (bytes.length < 8) expect(result.name).to.equal('UnexpectedEOFError')
      } else {
        const requested = Buffer.from(bytes.subarray(0, 8)).readBigUInt64BE()
        expect(requested <= BigInt(LIMIT)).to.equal(true)
        expect(result.downloadBytes).to.equal(Number(requested))
        expect(received).to.equal(Number(requested))
      }
      peer.abort(new Error('done'))
    }), params(Math.ceil(RUNS / 2)))
  })
})
