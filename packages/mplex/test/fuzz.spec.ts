/**
 * Property tests of mplex on peer bytes: the message decoder (varint
 * headers, declared lengths) and a whole muxer fed arbitrary messages by a
 * raw peer. Run longer with `npm run fuzz -- --target mplex`.
 */
import { captureLogger, multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { mplex } from '../src/index.js'
import { MessageDecoder, encodeHeader } from '../src/message.js'
import type { MessageType } from '../src/constants.js'
import type { MplexStream } from '../src/index.js'
import type { Message } from '../src/message.js'
import type { StreamCloseEvent } from '@ts-libp2p/interface'

const PROTOCOL_ERRORS = ['InvalidVarintError', 'InvalidFlagError', 'MessageTooLargeError', 'StreamIdReuseError', 'MplexProtocolError'] as const
const END_ERRORS = [...PROTOCOL_ERRORS, 'StreamBufferExceededError', 'ControlBacklogError', 'StreamResetError', 'ConnectionClosedError', 'MuxerClosedError', 'StreamAbortedError', 'StreamStateError', 'UnexpectedEOFError'] as const
const MAX = 4096

/** A message with a valid header shape and hostile values. */
const messageArb = fc.record({
  id: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.nat()),
  type: fc.integer({ min: 0, max: 7 }),
  length: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(MAX, MAX + 1, 0xffffffff)),
  payload: fc.uint8Array({ maxLength: 64 })
}).map(({ id, type, length, payload }) => {
  const data = payload.subarray(0, length)
  // the type field of encodeHeader is 0..6; 7 is written by hand as an invalid flag
  const header = type === 7 ? Uint8Array.from([...encodeHeader(id, 6, length)]) : encodeHeader(id, type as MessageType, length)
  if (type === 7) header[0] |= 7
  return Uint8Array.from([...header, ...data])
})

const peerInput = fc.oneof(
  fc.array(messageArb, { minLength: 1, maxLength: 8 }).map(ms => Uint8Array.from(ms.flatMap(m => [...m]))),
  peerBytes(corpus('mplex'), 512)
)

describe('fuzz: mplex', function () {
  this.timeout(Math.max(5_000, RUNS * 80))

  it('MessageDecoder yields messages, waits, or throws a typed error, never buffering past one message', () => {
    fc.assert(fc.property(peerInput, fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
      const decoder = new MessageDecoder(MAX)
      try {
        for (const chunk of chunked(bytes, cuts)) {
          decoder.push(chunk)
          let message: Message | undefined
          while ((message = decoder.next()) != null) expect(message.data.byteLength).to.be.at.most(MAX)
        }
        expect(decoder.bufferedBytes).to.be.at.most(MAX + 20)
      } catch (err) { expectTyped(err, PROTOCOL_ERRORS) }
    }), params())
  })

  it('headers round-trip', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: MAX }), (id, type, length) => {
      const decoder = new MessageDecoder(MAX)
      decoder.push(encodeHeader(id, type as MessageType, length).slice())
      decoder.push(new Uint8Array(length))
      expect(decoder.next()).to.deep.include({ id, type })
    }), params())
  })

  it('a muxer fed arbitrary messages keeps typed errors and closes when the peer leaves', async () => {
    await fc.assert(fc.asyncProperty(peerInput, fc.array(fc.nat(), { maxLength: 4 }), async (bytes, cuts) => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const logger = captureLogger('fuzz')
      const muxer = mplex({ maxMessageSize: MAX })({ logger }).createStreamMuxer(inbound)
      const errors: any[] = []
      muxer.addEventListener('stream', (evt: CustomEvent<MplexStream>) => {
        const stream = evt.detail
        stream.addEventListener('close', (e: StreamCloseEvent) => { if (e.error != null) errors.push(e.error) })
        void (async () => { for await (const _ of stream) { /* drain */ } })().catch(() => {})
      })
      inbound.addEventListener('close', (e) => { if (e.error != null) errors.push(e.error) })
      for (const chunk of chunked(bytes, cuts)) outbound.send(chunk)
      await new Promise(resolve => setTimeout(resolve, 1))
      await outbound.close({ signal: AbortSignal.timeout(500) }).catch(() => { outbound.abort(new Error('raw peer gives up')) })
      const deadline = Date.now() + 1_000
      while (muxer.status !== 'closed' && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5))
      expect(muxer.status, 'the muxer outlived its connection').to.equal('closed')
      for (const line of logger.lines) errors.push(...line.args.filter(a => a instanceof Error))
      for (const err of errors) if (err.message !== 'raw peer gives up') expectTyped(err, END_ERRORS)
    }), params(Math.ceil(RUNS / 3)))
  })
})
