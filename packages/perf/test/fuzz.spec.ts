/**
 * Property tests of the perf server on peer bytes: the uint64 header and
 * the upload, against the download limit. Run longer with
 * `npm run fuzz -- --target perf`.
 */
import { streamPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { perf } from '../src/index.js'

const SERVE_ERRORS = ['DownloadTooLargeError', 'UnexpectedEOFError', 'TimeoutError', 'StreamStateError', 'StreamResetError', 'ProtocolError'] as const
const LIMIT = 4096

describe('fuzz: perf', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('the server sends exactly what was asked within its limit, refuses more, and never hangs', async () => {
    const service: any = perf({ timeout: 300, maxDownloadBytes: LIMIT })({ registrar: { handle: async () => {}, unhandle: async () => {} }, connectionManager: { openConnection: async () => { throw new Error('unused') } }, logger: defaultLogger() } as any)
    await fc.assert(fc.asyncProperty(peerBytes(corpus('perf'), 64), fc.array(fc.nat(), { maxLength: 3 }), async (bytes, cuts) => {
      const [peer, ours] = streamPair()
      let received = 0
      peer.addEventListener('message', (evt) => { received += evt.data.byteLength })
      const started = Date.now()
      const serving = service.serve(ours).then((r: any) => r, (err: any) => err)
      for (const chunk of chunked(bytes, cuts)) peer.send(chunk)
      await peer.close({ signal: AbortSignal.timeout(1_000) }).catch(() => {})
      const result = await serving
      // the server's own timeout is 300 ms: it must have settled well within a second (slack for a loaded machine)
      expect(Date.now() - started).to.be.below(1_500)
      // what the server sent may still be on its way (a loaded machine): wait for it, bounded
      const deadline = Date.now() + 1_000
      while (!(result instanceof Error) && received < result.downloadBytes && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5))
      if (result instanceof Error) {
        expectTyped(result, SERVE_ERRORS)
        if (bytes.length < 8) expect(result.name).to.equal('UnexpectedEOFError')
      } else {
        const requested = Buffer.from(bytes.subarray(0, 8)).readBigUInt64BE()
        expect(requested <= BigInt(LIMIT)).to.equal(true)
        expect(result.downloadBytes).to.equal(Number(requested))
        expect(received).to.equal(Number(requested))
      }
      peer.abort(new Error('done'))
    }), params(Math.ceil(RUNS / 2)))
  })
})
