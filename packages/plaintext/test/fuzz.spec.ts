/**
 * Property tests of the plaintext exchange on peer bytes: the Exchange
 * protobuf (peer id and key must agree) and the responder fed arbitrary
 * bytes. Run longer with `npm run fuzz -- --target plaintext`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateKeyPair, generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { plaintext } from '../src/index.js'
import { decodeExchange, encodeExchange } from '../src/plaintext.js'
import type { PrivateKey } from '@ts-libp2p/interface'

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

describe('fuzz: plaintext', function () {
  this.timeout(Math.max(5_000, RUNS * 60))
  let key: PrivateKey
  let seeds: Uint8Array[]

  before(async () => {
    key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(7))
    seeds = [encodeExchange(key), encodeExchange(await generateKeyPair('secp256k1'))]
  })

  it('decodeExchange returns the peer its key proves, or throws InvalidCryptoExchangeError', () => {
    fc.assert(fc.property(fc.constant(null).chain(() => peerBytes(seeds, 200)), (bytes) => {
      try {
        const peer = decodeExchange(bytes)
        expect(peer.publicKey).to.not.equal(undefined)
      } catch (err) { expectTyped(err, ['InvalidCryptoExchangeError']) }
    }), params())
    expect(decodeExchange(encodeExchange(key)).equals(peerIdFromPrivateKey(key))).to.equal(true)
  })

  it('the responder fed arbitrary bytes fails with a typed error within the deadline', async () => {
    await fc.assert(fc.asyncProperty(fc.constant(null).chain(() => peerBytes(seeds.map(s => Uint8Array.from([s.length, ...s])), 200)), async (bytes) => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const started = Date.now()
      const result = plaintext()({ privateKey: key, logger: defaultLogger() } as any).secureInbound(inbound, { signal: AbortSignal.timeout(1_000) }).then(() => undefined, (err: any) => err)
      outbound.send(bytes)
      await outbound.close({ signal: AbortSignal.timeout(200) }).catch(() => { outbound.abort(new Error('raw peer gives up')) })
      const error = await result
      inbound.abort(new Error('done'))
      // a well-formed exchange from the corpus may succeed; anything else fails typed
      if (error != null && error.message !== 'raw peer gives up') expectTyped(error, ['InvalidCryptoExchangeError', 'UnexpectedEOFError', 'InvalidDataLengthError', 'InvalidDataLengthLengthError', 'TimeoutError', 'StreamStateError', 'UnexpectedPeerError'])
      expect(Date.now() - started).to.be.below(1_500)
    }), params(Math.ceil(RUNS / 3)))
  })
})
