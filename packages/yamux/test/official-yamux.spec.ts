/**
 * Cross-implementation: our yamux against the official js
 * @chainsafe/libp2p-yamux 8 over a real loopback TCP socket, in both roles
 * (ours dialing, ours listening), with 1000 concurrent streams each
 * carrying data both ways. Runs with the Promise.withResolvers polyfill.
 */
import { yamux as officialYamux } from '@chainsafe/libp2p-yamux'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { yamux } from '../src/index.js'
import { echoStream, roundTrip, socketPair } from '@ts-libp2p/test-utils'
import type { StreamMuxer } from '@ts-libp2p/interface'

const ours = yamux()({ logger: defaultLogger() })
const theirs = officialYamux()()

for (const [name, dialerFactory, listenerFactory] of [
  ['ours dialing the official yamux', ours, theirs],
  ['the official yamux dialing ours', theirs, ours]
] as const) {
  describe(`yamux interop: ${name} over loopback TCP`, function () {
    this.timeout(60_000)
    let pair: Awaited<ReturnType<typeof socketPair>>
    let dialer: StreamMuxer
    let listener: StreamMuxer

    beforeEach(async () => {
      pair = await socketPair()
      dialer = dialerFactory.createStreamMuxer(pair.outbound as any) as any
      listener = listenerFactory.createStreamMuxer(pair.inbound as any) as any
      listener.addEventListener('stream', (evt) => {
        void echoStream(evt.detail)
      })
    })

    afterEach(async () => {
      await dialer.close({ signal: AbortSignal.timeout(5_000) }).catch(() => {})
      await listener.close({ signal: AbortSignal.timeout(5_000) }).catch(() => {})
      await pair.stop()
    })

    it('echoes one stream of 1 MiB', async () => {
      const { sent, received } = await roundTrip(dialer, 1024 * 1024, 64 * 1024)
      expect(received.byteLength).to.equal(sent.byteLength)
      expect(Buffer.compare(received, sent)).to.equal(0)
    })

    it('echoes 1000 concurrent streams of 8 KiB each way', async () => {
      const results = await Promise.all(Array.from({ length: 1000 }, async () => roundTrip(dialer, 8 * 1024, 1024)))
      for (const { sent, received } of results) {
        expect(Buffer.compare(received, sent)).to.equal(0)
      }
    })

    it('opens streams from the listener side too', async () => {
      dialer.addEventListener('stream', (evt) => {
        void echoStream(evt.detail)
      })
      const results = await Promise.all(Array.from({ length: 50 }, async () => roundTrip(listener, 32 * 1024)))
      for (const { sent, received } of results) {
        expect(Buffer.compare(received, sent)).to.equal(0)
      }
    })
  })
}
