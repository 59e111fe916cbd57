import { expect } from 'chai'
import { echoStream, roundTrip, socketPair, streamPair } from '../src/index.js'
import type { StreamMuxer } from '@ts-libp2p/interface'

describe('socket pair and round trip', () => {
  it('carries bytes both ways over a loopback socket and closes', async () => {
    const pair = await socketPair()
    try {
      const received: number[] = []
      const done = new Promise<void>((resolve) => {
        pair.inbound.addEventListener('message', (evt) => {
          received.push(...evt.data.subarray())
          if (received.length === 3) resolve()
        })
      })
      pair.outbound.send(Uint8Array.from([1, 2, 3]))
      await done
      expect(received).to.deep.equal([1, 2, 3])
      expect(pair.outbound.remoteAddr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/)
    } finally {
      await pair.stop()
    }
  })

  it('roundTrip sends random bytes on a new stream and gets back what echoStream returned', async () => {
    const [local, remote] = streamPair()
    void echoStream(remote)
    const muxer = { createStream: async () => local } as unknown as StreamMuxer
    const { sent, received } = await roundTrip(muxer, 10_000, 1000)
    expect(received).to.deep.equal(sent)
  })
})
