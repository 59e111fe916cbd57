/**
 * Property tests of the TLS certificate checks on peer bytes: the libp2p
 * Public Key Extension (`SignedKey` DER) and whole certificates, mutated from
 * real ones. Run longer with `npm run fuzz -- --target tls`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import fc from 'fast-check'
import { decodeSignedKey, encodeSignedKey, generateCertificate, verifyCertificate } from '../src/certificate.js'

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

describe('fuzz: tls certificates', function () {
  this.timeout(Math.max(10_000, RUNS * 100))

  it('decodeSignedKey reads a SignedKey or throws InvalidCertificateError', () => {
    fc.assert(fc.property(peerBytes(corpus('tls-extension'), 300), (bytes) => {
      try {
        const { publicKey, signature } = decodeSignedKey(bytes)
        expect(publicKey.byteLength + signature.byteLength).to.be.below(bytes.byteLength)
      } catch (err) { expectTyped(err, ['InvalidCertificateError']) }
    }), params())
  })

  it('decodeSignedKey wraps asn1js errors in InvalidCertificateError (found by fuzzing, seed 535684196)', () => {
    expect(() => decodeSignedKey(Uint8Array.from([0x30, 0x80, 0x04, 0x00, 0x18, 0x00, 0x00, 0x00]))).to.throw().with.property('name', 'InvalidCertificateError')
    expect(() => decodeSignedKey(Uint8Array.from([0x1c, 0x01, 0x67, 0xfc, 0xf4, 0x34]))).to.throw().with.property('name', 'InvalidCertificateError')
  })

  it('SignedKey round-trips', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ maxLength: 600 }), (publicKey, signature) => {
      const decoded = decodeSignedKey(encodeSignedKey(publicKey, signature))
      expect(Buffer.from(decoded.publicKey).equals(Buffer.from(publicKey))).to.equal(true)
      expect(Buffer.from(decoded.signature).equals(Buffer.from(signature))).to.equal(true)
    }), params())
  })

  it('verifyCertificate on mutated certificates proves the right peer or throws a typed error', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
    const peerId = peerIdFromPrivateKey(key)
    const fresh = (await generateCertificate(key)).der
    await fc.assert(fc.asyncProperty(peerBytes([fresh, ...corpus('tls-cert')], 1200), async (der) => {
      try {
        const verified = await verifyCertificate(der)
        // accepted: a mutation that kept the signatures valid proves the key that signed it
        expect(verified.peerId.toString()).to.be.a('string')
        if (Buffer.from(der).equals(Buffer.from(fresh))) expect(verified.peerId.equals(peerId)).to.equal(true)
      } catch (err) { expectTyped(err, ['InvalidCertificateError', 'UnexpectedPeerError']) }
    }), params(Math.ceil(RUNS / 2)))
  })
})
