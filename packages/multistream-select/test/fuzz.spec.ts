/**
 * Property tests of multistream-select on peer bytes: the message decoder,
 * the `ls` response parser, and both ends of a negotiation driven by an
 * arbitrary peer. Run longer with `npm run fuzz -- --target multistream-select`.
 */
import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { decodeLsResponse, encodeLsResponse, encodeMessages, MessageDecoder } from '../src/codec.js'
import { handle, select } from '../src/index.js'

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
