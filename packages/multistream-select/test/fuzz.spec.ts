/**
 * Property tests of multistream-select on peer bytes: the message decoder,
 * the `ls` response parser, and both ends of a negotiation driven by an
 * arbitrary peer. Run longer with `npm run fuzz -- --target multistream-select`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { decodeLsResponse, encodeLsResponse, encodeMessages, MessageDecoder } from '../src/codec.js'
import { handle, select } from '../src/index.js'

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

/** What a negotiation may end with when the peer misbehaves or ends. */
const NEGOTIATION_ERRORS = ['InvalidMessageError', 'ProtocolError', 'UnsupportedProtocolError', 'TimeoutError', 'LimitExceededError'] as const
const protocolId = fc.stringMatching(/^\/[a-z0-9/._-]{1,40}$/)

async function drive (role: 'handle' | 'select', chunks: Uint8Array[]): Promise<{ error?: any, protocol?: string, elapsed: number }> {
  const [peer, ours] = streamPair()
  const started = Date.now()
  const pending = role === 'handle'
    ? handle(ours, ['/a/1.0.0', '/ipfs/ping/1.0.0'], { timeout: 500 })
    : select(ours, ['/a/1.0.0', '/ipfs/ping/1.0.0'], { timeout: 500, negotiateFully: true })
  // settled at once: a rejection must not sit unhandled while the peer writes
  const settled = pending.then(r => ({ protocol: r.protocol, error: undefined as any }), (error: any) => ({ error, protocol: undefined }))
  for (const chunk of chunks) peer.send(chunk)
  await peer.close().catch(() => {})
  const result = await settled
  ours.abort(new Error('done'))
  peer.abort(new Error('done'))
  return { ...result, elapsed: Date.now() - started }
}

describe('fuzz: multistream-select', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('MessageDecoder yields messages, waits, or throws InvalidMessageError', () => {
    fc.assert(fc.property(peerBytes(corpus('multistream'), 2048), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
      const decoder = new MessageDecoder()
      try {
        for (const chunk of chunked(bytes, cuts)) {
          decoder.push(chunk)
          let body: Uint8Array | undefined
          while ((body = decoder.next()) != null) expect(body.byteLength).to.be.below(1024)
        }
        // memory bound: an incomplete message never holds more than its declared (bounded) length
        expect(decoder.bufferedLength).to.be.at.most(bytes.byteLength)
      } catch (err) { expectTyped(err, ['InvalidMessageError']) }
    }), params())
  })

  it('messages round-trip through the decoder however they are split', () => {
    fc.assert(fc.property(fc.array(protocolId, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 5 }), (messages, cuts) => {
      const decoder = new MessageDecoder()
      const got: string[] = []
      for (const chunk of chunked(encodeMessages(...messages), cuts)) {
        decoder.push(chunk)
        let body: Uint8Array | undefined
        while ((body = decoder.next()) != null) got.push(new TextDecoder().decode(body))
      }
      expect(got).to.deep.equal(messages)
    }), params())
  })

  it('decodeLsResponse parses or throws InvalidMessageError, and round-trips lists', () => {
    fc.assert(fc.property(peerBytes([], 1024), (bytes) => {
      try { decodeLsResponse(bytes) } catch (err) { expectTyped(err, ['InvalidMessageError']) }
    }), params())
    fc.assert(fc.property(fc.array(protocolId, { maxLength: 20 }), (protocols) => {
      const { bytes } = encodeLsResponse(protocols)
      const decoder = new MessageDecoder()
      decoder.push(bytes)
      expect(decodeLsResponse(decoder.next(16384) ?? new Uint8Array())).to.deep.equal(protocols)
    }), params())
  })

  for (const role of ['handle', 'select'] as const) {
    it(`${role}() against arbitrary peer bytes settles with a protocol or a typed error, never hangs`, async () => {
      await fc.assert(fc.asyncProperty(peerBytes(corpus('multistream'), 1024), fc.array(fc.nat(), { maxLength: 4 }), async (bytes, cuts) => {
        const { error, protocol, elapsed } = await drive(role, chunked(bytes, cuts))
        if (error != null) expectTyped(error, NEGOTIATION_ERRORS)
        else expect(['/a/1.0.0', '/ipfs/ping/1.0.0']).to.include(protocol)
        expect(elapsed).to.be.below(2_000)
      }), params(Math.ceil(RUNS / 3)))
    })
  }
})
