/**
 * Property tests of the mDNS codec on datagrams from the LAN (any host on
 * the link can send them): DNS decoding, query and response reading, and the
 * dnsaddr TXT records a response carries. Run longer with
 * `npm run fuzz -- --target mdns`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import fc from 'fast-check'
import { encodeQuery, encodeResponse, readMessage } from '../src/codec.js'
import type { PeerId } from '@ts-libp2p/interface'

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

const TAG = '_p2p._udp.local'

describe('fuzz: mdns codec', function () {
  this.timeout(Math.max(5_000, RUNS * 40))
  let peerId: PeerId
  let seeds: Uint8Array[]

  before(async () => {
    peerId = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(5)))
    seeds = [
      ...corpus('mdns'),
      encodeQuery(TAG),
      encodeResponse({ serviceTag: TAG, peerName: 'abcdefghijklmnop', peerId, multiaddrs: [multiaddr('/ip4/192.168.1.2/tcp/4001'), multiaddr('/ip4/192.168.1.2/udp/4001/quic-v1')] }) ?? new Uint8Array()
    ]
  })

  it('readMessage reads a query or a response, or throws InvalidMdnsPacketError', () => {
    fc.assert(fc.property(fc.constant(null).chain(() => peerBytes(seeds, 600)), (bytes) => {
      try {
        const message = readMessage(bytes, TAG)
        expect(message).to.be.an('object')
      } catch (err) { expectTyped(err, ['InvalidMdnsPacketError']) }
    }), params())
  })

  it('a response announces its peer with the addresses it carries', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 })), { minLength: 1, maxLength: 5 }), ([...addrs]) => {
      const multiaddrs = addrs.map(([ip, port]) => multiaddr(`/ip4/${ip}/tcp/${port}`))
      const bytes = encodeResponse({ serviceTag: TAG, peerName: 'abcdefghijklmnop', peerId, multiaddrs })
      if (bytes == null) return
      const message: any = readMessage(bytes, TAG)
      expect(message.type).to.equal('response')
      const peers = message.peers ?? []
      expect(peers.length).to.be.at.most(1)
      const sent = multiaddrs.map(String)
      for (const p of peers) {
        expect(p.id.equals(peerId)).to.equal(true)
        for (const ma of p.multiaddrs) expect(sent).to.include(ma.toString().split('/p2p/')[0])
      }
    }), params())
  })
})
