/**
 * Property tests of the DHT's decoders of peer bytes: RPC messages (framed
 * and not), IPNS records (protobuf + CBOR data) and the validators records
 * pass through. Run longer with `npm run fuzz -- --target kad-dht`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { decodeIpnsData, decodeIpnsEntry, validateIpnsRecord } from '../src/ipns.js'
import { decodeMessage, encodeMessage, messageChannel } from '../src/message.js'
import type { DHTMessage } from '../src/message.js'

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

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const peerArb = fc.record({ id: fc.uint8Array({ minLength: 1, maxLength: 40 }), addrs: fc.array(fc.uint8Array({ minLength: 1, maxLength: 30 }), { maxLength: 3 }), connection: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<any> })
const messageArb: fc.Arbitrary<DHTMessage> = fc.record({
  type: fc.constantFrom(0, 1, 2, 3, 4, 5) as fc.Arbitrary<any>,
  key: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
  record: fc.option(fc.record({ key: fc.uint8Array({ maxLength: 40 }), value: fc.uint8Array({ maxLength: 100 }), timeReceived: fc.constantFrom('', '2026-11-25T00:00:00Z') }), { nil: undefined }),
  closerPeers: fc.array(peerArb, { maxLength: 5 }),
  providerPeers: fc.array(peerArb, { maxLength: 3 })
}, { requiredKeys: ['type', 'closerPeers', 'providerPeers'] }).map(m => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as unknown as DHTMessage)

function seeds (): Uint8Array[] {
  const fromCorpus = corpus('kad-dht')
  if (fromCorpus.length > 0) return fromCorpus
  return [encodeMessage({ type: 4 as any, key: new Uint8Array(32).fill(1), closerPeers: [{ id: new Uint8Array(34).fill(2), addrs: [Uint8Array.of(4, 127, 0, 0, 1, 6, 0x0f, 0xa1)], connection: 1 as any }], providerPeers: [] })]
}

describe('fuzz: kad-dht', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('decodeMessage parses or throws InvalidDHTMessageError', () => {
    fc.assert(fc.property(peerBytes(seeds(), 1024), (bytes) => {
      try {
        const message = decodeMessage(bytes)
        expect(message.closerPeers.length + message.providerPeers.length).to.be.at.most(bytes.length)
      } catch (err) { expectTyped(err, ['InvalidDHTMessageError']) }
    }), params())
  })

  it('messages round-trip', () => {
    fc.assert(fc.property(messageArb, (message) => {
      const decoded = decodeMessage(encodeMessage(message))
      expect(decoded.type).to.equal(message.type)
      expect(decoded.key == null ? undefined : hex(decoded.key)).to.equal(message.key == null ? undefined : hex(message.key))
      expect(decoded.closerPeers.map(p => [hex(p.id), p.addrs.map(hex), p.connection])).to.deep.equal(message.closerPeers.map(p => [hex(p.id), p.addrs.map(hex), p.connection]))
      expect(decoded.record?.value == null ? undefined : hex(decoded.record.value)).to.equal(message.record?.value == null ? undefined : hex(message.record.value))
    }), params())
  })

  it('messageChannel.read over arbitrary frames ends with a message or a typed error, never hangs', async () => {
    await fc.assert(fc.asyncProperty(peerBytes([...seeds().map(s => Uint8Array.from([s.length, ...s])), ...corpus('lp')], 1024), fc.array(fc.nat(), { maxLength: 4 }), async (bytes, cuts) => {
      const [peer, ours] = streamPair()
      const channel = messageChannel(ours, 512)
      const reading = (async () => { while (true) await channel.read({ signal: AbortSignal.timeout(1_000) }) })().catch(err => err)
      for (const chunk of chunked(bytes, cuts)) peer.send(chunk)
      await peer.close().catch(() => {})
      const error = await reading
      expectTyped(error, ['InvalidDHTMessageError', 'UnexpectedEOFError', 'InvalidDataLengthError', 'InvalidDataLengthLengthError', 'InvalidMessageLengthError'])
      ours.abort(new Error('done'))
    }), params(Math.ceil(RUNS / 2)))
  })

  it('IPNS records: decoding and validation throw InvalidRecordError only', async () => {
    await fc.assert(fc.asyncProperty(peerBytes(corpus('ipns'), 600), fc.uint8Array({ minLength: 0, maxLength: 50 }), async (bytes, key) => {
      try { decodeIpnsEntry(bytes) } catch (err) { expectTyped(err, ['InvalidRecordError']) }
      try { decodeIpnsData(bytes) } catch (err) { expectTyped(err, ['InvalidRecordError']) }
      try {
        await validateIpnsRecord(Uint8Array.from([...new TextEncoder().encode('/ipns/'), ...key]), bytes)
        throw new Error('an arbitrary IPNS record validated')
      } catch (err) { expectTyped(err, ['InvalidRecordError']) }
    }), params())
  })
})
