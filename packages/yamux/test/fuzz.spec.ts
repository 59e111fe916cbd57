/**
 * Property tests of yamux on peer bytes: the frame decoder, and a whole
 * muxer fed arbitrary frames (well-formed headers with hostile values, and
 * mutated captured bytes) by a raw peer. Run longer with
 * `npm run fuzz -- --target yamux`.
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { Uint8ArrayList } from 'uint8arraylist'
import { FrameDecoder, encodeHeader } from '../src/frame.js'
import { captureLogger, multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { yamux } from '../src/index.js'
import { delay } from './fixtures/raw-peer.js'
import type { FrameType } from '../src/constants.js'
import type { Frame } from '../src/frame.js'
import type { YamuxStream } from '../src/index.js'
import type { StreamCloseEvent } from '@ts-libp2p/interface'

const PROTOCOL_ERRORS = ['InvalidVersionError', 'InvalidFrameTypeError', 'WindowOverflowError', 'ReceiveWindowExceededError', 'UnknownStreamError', 'StreamIdReuseError', 'InvalidStreamIdError', 'YamuxProtocolError'] as const
/** What a stream or the connection may end with once the peer misbehaves or hangs up. */
const END_ERRORS = [...PROTOCOL_ERRORS, 'GoAwayError', 'ControlBacklogError', 'StreamResetError', 'ConnectionClosedError', 'MuxerClosedError', 'StreamAbortedError', 'StreamStateError', 'UnexpectedEOFError'] as const

/** A frame with a valid-looking header and hostile values. */
const frameArb = fc.record({
  type: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
  flags: fc.oneof(fc.constantFrom(0, 1, 2, 4, 8, 3, 5, 9, 15), fc.integer({ min: 0, max: 0xffff })),
  streamId: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(0xffffffff), fc.nat()),
  length: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(256 * 1024, 256 * 1024 + 1, 0x7fffffff, 0xffffffff), fc.nat()),
  payload: fc.uint8Array({ maxLength: 64 })
}).map(({ type, flags, streamId, length, payload }) => {
  const header = encodeHeader(0, flags, streamId, length >>> 0)
  header[1] = type
  // data frames carry up to their declared length; other types carry none
  return type === 0 ? Uint8Array.from([...header, ...payload.subarray(0, length)]) : header
})

const peerInput = fc.oneof(
  fc.array(frameArb, { minLength: 1, maxLength: 8 }).map(frames => Uint8Array.from(frames.flatMap(f => [...f]))),
  peerBytes(corpus('yamux'), 512)
)

describe('fuzz: yamux', function () {
  this.timeout(Math.max(5_000, RUNS * 80))

  it('FrameDecoder yields frames, waits, or throws a typed protocol error, holding at most one payload', () => {
    fc.assert(fc.property(peerInput, fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
      const decoder = new FrameDecoder((header) => {
        if (header.type === 0 && header.length > 256 * 1024) throw Object.assign(new Error('window'), { name: 'ReceiveWindowExceededError' })
      })
      try {
        for (const chunk of chunked(bytes, cuts)) {
          decoder.push(chunk)
          let frame: Frame | undefined
          while ((frame = decoder.next()) != null) expect(frame.header.type).to.be.within(0, 3)
          expect(decoder.bufferedBytes).to.be.at.most(256 * 1024 + 12)
        }
      } catch (err) { expectTyped(err, PROTOCOL_ERRORS) }
    }), params())
  })

  it('headers round-trip', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffff }), fc.nat(), fc.integer({ min: 0, max: 0xffffffff }), (type, flags, streamId, length) => {
      const decoder = new FrameDecoder()
      decoder.push(encodeHeader(type as FrameType, flags, streamId, length))
      if (type === 0) decoder.push(new Uint8ArrayList(new Uint8Array(Math.min(length, 16))))
      const frame = decoder.next()
      if (type === 0 && length > 16) { expect(frame).to.equal(undefined); return }
      expect(frame?.header).to.deep.include({ type, flags, streamId, length })
    }), params())
  })

  it('a muxer fed arbitrary frames ends or carries on, always with typed errors, and closes when the peer leaves', async () => {
    await fc.assert(fc.asyncProperty(peerInput, fc.array(fc.nat(), { maxLength: 4 }), fc.constantFrom('server', 'client') as fc.Arbitrary<'server' | 'client'>, async (bytes, cuts, role) => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const logger = captureLogger('fuzz')
      const peer = role === 'server' ? { conn: outbound, muxerConn: inbound } : { conn: inbound, muxerConn: outbound }
      const muxer = yamux({ enableKeepAlive: false })({ logger }).createStreamMuxer(peer.muxerConn)
      const errors: any[] = []
      let goAway = false
      const received = new FrameDecoder()
      peer.conn.addEventListener('message', (evt) => {
        received.push(evt.data)
        let frame: Frame | undefined
        while ((frame = received.next()) != null) if (frame.header.type === 3) goAway = true
      })
      muxer.addEventListener('stream', (evt: CustomEvent<YamuxStream>) => {
        const stream = evt.detail
        stream.addEventListener('close', (e: StreamCloseEvent) => { if (e.error != null) errors.push(e.error) })
        void (async () => { for await (const _ of stream) { /* drain */ } })().catch(() => {})
      })
      peer.muxerConn.addEventListener('close', (e) => { if (e.error != null) errors.push(e.error) })
      for (const chunk of chunked(bytes, cuts)) peer.conn.send(chunk)
      await delay(1)
      const endedByUs = muxer.status === 'closed'
      await peer.conn.close({ signal: AbortSignal.timeout(500) }).catch(() => { peer.conn.abort(new Error('raw peer gives up')) })
      const deadline = Date.now() + 1_000
      while (muxer.status !== 'closed' && Date.now() < deadline) await delay(5)
      expect(muxer.status, 'the muxer outlived its connection').to.equal('closed')
      // a muxer that ended the session for a protocol error said so with go-away first
      if (endedByUs && logger.lines.some(l => String(l.args[0]).startsWith('protocol error'))) expect(goAway).to.equal(true)
      for (const line of logger.lines) errors.push(...line.args.filter(a => a instanceof Error))
      for (const err of errors) if (err.message !== 'raw peer gives up') expectTyped(err, END_ERRORS)
      if (process.env.FUZZ_DEBUG != null) console.info(errors.map(e => e.name).join(',')) // eslint-disable-line no-console
    }), params(Math.ceil(RUNS / 3)))
  })
})
