/**
 * Property tests of the ping listener on peer bytes: whatever a dialer
 * sends, the handler echoes whole 32-byte payloads, aborts a stream that
 * ends inside one, and never outlives its timeout. Run longer with
 * `npm run fuzz -- --target ping`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { streamPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { ping } from '../src/index.js'
import type { Connection, StreamCloseEvent } from '@ts-libp2p/interface'

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

const STREAM_ERRORS = ['ProtocolError', 'TimeoutError', 'StreamBufferError', 'StreamStateError', 'StreamResetError'] as const

describe('fuzz: ping', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('the listener echoes whole payloads and ends every stream, whatever arrives', async () => {
    const service = ping({ timeout: 300 })({ registrar: { handle: async () => {}, unhandle: async () => {} }, connectionManager: { openConnection: async () => { throw new Error('unused') } }, logger: defaultLogger() } as any) as any
    const connection = { remotePeer: { toString: () => 'fuzz-peer' } } as unknown as Connection
    await fc.assert(fc.asyncProperty(peerBytes(corpus('ping'), 200), fc.array(fc.nat(), { maxLength: 4 }), async (bytes, cuts) => {
      const [peer, ours] = streamPair()
      const echoed: number[] = []
      peer.addEventListener('message', (evt) => { echoed.push(...evt.data.subarray()) })
      let error: Error | undefined
      ours.addEventListener('close', (evt: StreamCloseEvent) => { error = evt.error })
      const started = Date.now()
      const handling = service.handlePing(ours, connection)
      for (const chunk of chunked(bytes, cuts)) peer.send(chunk)
      await peer.close({ signal: AbortSignal.timeout(1_000) }).catch(() => {})
      await handling
      // echoes may still be on their way (a loaded machine): wait for them, bounded
      const deadline = Date.now() + 1_000
      while (bytes.length % 32 === 0 && echoed.length < bytes.length && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5))
      expect(Date.now() - started).to.be.below(2_000)
      if (bytes.length % 32 === 0) {
        expect(Buffer.from(echoed).toString('hex')).to.equal(Buffer.from(bytes).toString('hex'))
      } else {
        // ended inside a payload: the stream is reset (echoes still queued may be dropped with it)
        expect(error?.name).to.equal('ProtocolError')
        expect(echoed.length).to.be.at.most(bytes.length - (bytes.length % 32))
      }
      if (error != null) expectTyped(error, STREAM_ERRORS)
      peer.abort(new Error('done'))
    }), params(Math.ceil(RUNS / 2)))
  })
})
