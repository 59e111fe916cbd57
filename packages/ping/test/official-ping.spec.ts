/**
 * Cross-checks with the official js-libp2p ping service (@libp2p/ping 3),
 * run as a service inside our node (its components are structurally
 * compatible), in both directions. Needs the Promise.withResolvers polyfill
 * on Node 20, hence the official-*.spec.ts name.
 */
import { ping as officialPing } from '@libp2p/ping'
import { expect } from 'chai'
import { ping } from '../src/index.js'
import { node, stopNodes } from './fixtures.js'

describe('ping against the official @libp2p/ping', () => {
  afterEach(stopNodes)

  it('our dialer pings an official listener', async () => {
    const ours = await node({ services: { ping: ping() } })
    const official = await node({ services: { ping: officialPing() as any } })
    for (let i = 0; i < 3; i++) {
      expect(await ours.services.ping.ping(official.getMultiaddrs()[0])).to.be.greaterThan(0)
    }
  })

  it('an official dialer pings our listener', async () => {
    const ours = await node({ services: { ping: ping() } })
    const official = await node<{ ping: any }>({ services: { ping: officialPing() as any } })
    for (let i = 0; i < 3; i++) {
      const rtt: number = await official.services.ping.ping(ours.getMultiaddrs()[0])
      expect(rtt).to.be.a('number').and.at.least(0)
      // the official dialer returns before its stream has left the connection (it does not wait for
      // the listener's close), so a back-to-back ping would trip the one-outbound-stream limit
      await new Promise(resolve => setTimeout(resolve, 20))
    }
  })
})
