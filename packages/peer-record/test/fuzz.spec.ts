/**
 * Property tests of signed envelopes and peer records on peer bytes (they
 * arrive in identify and the DHT): parse, certify, open. Run longer with
 * `npm run fuzz -- --target peer-record`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import fc from 'fast-check'
import { PeerRecord, RecordEnvelope, openPeerRecord } from '../src/index.js'

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

const ENVELOPE_ERRORS = ['InvalidEnvelopeError', 'InvalidSignatureError', 'InvalidPeerRecordError', 'WrongPayloadTypeError'] as const

describe('fuzz: peer-record', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('RecordEnvelope.createFromProtobuf parses or throws InvalidEnvelopeError', () => {
    fc.assert(fc.property(peerBytes(corpus('envelope'), 600), (bytes) => {
      try { RecordEnvelope.createFromProtobuf(bytes) } catch (err) { expectTyped(err, ENVELOPE_ERRORS) }
    }), params())
  })

  it('openPeerRecord opens only a validly signed record and throws typed errors otherwise', async () => {
    await fc.assert(fc.asyncProperty(peerBytes(corpus('envelope'), 600), async (bytes) => {
      try {
        const { envelope, record } = await openPeerRecord(bytes)
        // opened: the record is the signer's own
        expect(record.peerId.publicKey?.equals(envelope.publicKey)).to.equal(true)
      } catch (err) { expectTyped(err, ENVELOPE_ERRORS) }
    }), params())
  })

  it('PeerRecord.createFromProtobuf parses or throws InvalidPeerRecordError', () => {
    fc.assert(fc.property(peerBytes(corpus('peer-record'), 600), (bytes) => {
      try {
        const record = PeerRecord.createFromProtobuf(bytes)
        expect(record.multiaddrs.length).to.be.at.most(100)
      } catch (err) { expectTyped(err, ENVELOPE_ERRORS) }
    }), params())
  })

  it('sealed records round-trip', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
    const peerId = peerIdFromPrivateKey(key)
    const addr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 65535 })).map(([ip, port]) => multiaddr(`/ip4/${ip}/tcp/${port}`))
    await fc.assert(fc.asyncProperty(fc.array(addr, { maxLength: 5 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), async (multiaddrs, seq) => {
      const envelope = await RecordEnvelope.seal(new PeerRecord({ peerId, multiaddrs, seq }), key)
      const opened = await openPeerRecord(envelope.marshal())
      expect(opened.record.seq).to.equal(seq)
      expect(opened.record.multiaddrs.map(String)).to.deep.equal(multiaddrs.map(String))
    }), params(Math.ceil(RUNS / 3)))
  })
})
