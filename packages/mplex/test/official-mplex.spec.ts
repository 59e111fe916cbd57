/**
 * Cross-implementation: our mplex against the official js
 * @libp2p/mplex 12 over a real loopback TCP socket, in both roles
 * (ours dialing, ours listening), with 1000 concurrent streams each
 * carrying data both ways. Runs with the Promise.withResolvers polyfill.
 */
import { mplex as officialMplex } from '@libp2p/mplex'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { mplex } from '../src/index.js'
import { echoStream, roundTrip, socketPair } from '@ts-libp2p/test-utils'
import type { StreamMuxer } from '@ts-libp2p/interface'

const ours = mplex()({ logger: defaultLogger() })
// the official mplex closes a connection on more than `disconnectThreshold` (default 5) NewStream
// messages per second; 1000 concurrent opens need it raised
const theirs = officialMplex({ disconnectThreshold: 100_000 })()

for (const [name, dialerFactory, listenerFactory] of [
  ['ours dialing the official mplex', ours, theirs],
  ['the official mplex dialing ours', theirs, ours]
] as const) {
  describe(`mplex interop: ${name} over loopback TCP`, function () {
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
