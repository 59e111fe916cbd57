/**
 * Property tests of the byte readers every protocol uses on peer bytes:
 * unsigned varints and length-prefixed frames. Run longer with
 * `npm run fuzz -- --target utils`.
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { decodeVarint, lpStream } from '../src/index.js'
import { wiredPair } from './fixtures/test-streams.js'

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
