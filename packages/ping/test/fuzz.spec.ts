/**
 * Property tests of the ping listener on peer bytes: whatever a dialer
 * sends, the handler echoes whole 32-byte payloads, aborts a stream that
 * ends inside one, and never outlives its timeout. Run longer with
 * `npm run fuzz -- --target ping`.
 */
import { streamPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { ping } from '../src/index.js'
import type { Connection, StreamCloseEvent } from '@ts-libp2p/interface'

const STREAM_ERRORS = ['ProtocolError', 'TimeoutError', 'StreamBufferError', 'StreamStateError', 'StreamResetError'] as const

describe('fuzz: ping', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('the listener echoes whole payloads and ends every stream, whatever arrives', async () => {
    const service = ping({ timeout: 300 })({ registrar: { handle: async () => {}, unhandle: async () => {} }, connectionManager: { openConnection: async () => { throw new Error('unused') } }, logger: defaultLogger() } as any) as any
    const connection = { remotePeer: { toString: () => 'fuzz-peer' } } as unknown as Connection
    await fc.assert(fc.asyncProperty(peerBytes(corpus('ping'), 200), fc.array(fc.nat(), { maxLength: 4 }), async (bytes, cuts) => {
      const [peer, ours] = streamPair()
      const echoed: number[] = []
      peer.addEventListener('message', (evt) => { echoed.push(...evt.data.subarray()) })
      let error: Error | undefined
      ours.addEventListener('close', (evt: StreamCloseEvent) => { error = evt.error })
      const started = Date.now()
      const handling = service.handlePing(ours, connection)
      for (const chunk of chunked(bytes, cuts)) peer.send(chunk)
      await peer.close({ signal: AbortSignal.timeout(1_000) }).catch(() => {})
      await handling
      // echoes may still be on their way (a loaded machine): wait for them, bounded
      const deadline = Date.now() + 1_000
      while (bytes.length % 32 === 0 && echoed.length < bytes.length && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5))
      expect(Date.now() - started).to.be.below(2_000)
      if (bytes.length % 32 === 0) {
        expect(Buffer.from(echoed).toString('hex')).to.equal(Buffer.from(bytes).toString('hex'))
      } else {
        // ended inside a payload: the stream is reset (echoes still queued may be dropped with it)
        expect(error?.name).to.equal('ProtocolError')
        expect(echoed.length).to.be.at.most(bytes.length - (bytes.length % 32))
      }
      if (error != null) expectTyped(error, STREAM_ERRORS)
      peer.abort(new Error('done'))
    }), params(Math.ceil(RUNS / 2)))
  })
})
