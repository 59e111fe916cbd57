import { expect } from 'chai'
import { resolveNodeConfig } from '../src/config.js'
import { AGENT_VERSION, createNode } from '../src/stack.js'

describe('stack', function () {
  this.timeout(20_000)

  it('builds exactly the configured transports, encrypters, muxers and services', async () => {
    const listener = await createNode(await resolveNodeConfig({ listen: ['/ip4/127.0.0.1/tcp/0/ws'], transports: 'ws', encrypters: 'tls', muxers: 'mplex', services: 'ping' }))
    const dialer = await createNode(await resolveNodeConfig({ listen: [], services: 'dht' }))
    try {
      expect(Object.keys(listener.services).sort()).to.deep.equal(['ping'])
      // the DHT needs identify: it comes with it
      expect(Object.keys(dialer.services).sort()).to.deep.equal(['dht', 'identify'])
      expect(listener.getMultiaddrs()[0].toString()).to.match(/\/ws\/p2p\//)
      const connection = await dialer.dial(listener.getMultiaddrs()[0], { signal: AbortSignal.timeout(10_000) })
      expect(connection.encryption).to.equal('/tls/1.0.0')
      expect(connection.multiplexer).to.equal('/mplex/6.7.0')
      expect(AGENT_VERSION).to.match(/^ts-libp2p-cli\//)
    } finally {
      await Promise.all([listener.stop(), dialer.stop()])
    }
  })

  it('refuses a tcp listen address without the tcp transport', async () => {
    const config = await resolveNodeConfig({ listen: ['/ip4/127.0.0.1/tcp/0'], transports: 'ws' })
    let node
    try {
      node = await createNode(config)
    } catch (err: any) {
      expect(err).to.be.instanceOf(Error)
      return
    } finally {
      await node?.stop()
    }
    expect.fail('a node without a transport for its listen address started')
  })
})
