/**
 * Our WebSockets transport inside the official js-libp2p node (createLibp2p from
 * `libp2p`) with the official noise, yamux and ping: two nodes connect over
 * 127.0.0.1 (and ::1 when available) and ping each other. Runs with the
 * Promise.withResolvers polyfill (official code needs Node 22).
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { ping } from '@libp2p/ping'
import { expect } from 'chai'
import { createLibp2p } from 'libp2p'
import { webSockets } from '../src/index.js'
import { testCertificate } from './fixtures/certificate.js'
import { ipv6LoopbackAvailable } from './fixtures/ipv6.js'
import type { Libp2p } from 'libp2p'

async function createNode (listen: string[]): Promise<Libp2p<{ ping: ReturnType<ReturnType<typeof ping>> }>> {
  return await createLibp2p({
    addresses: { listen },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionMonitor: { enabled: false },
    services: { ping: ping() }
  })
}

describe('websockets in the official js-libp2p node', function () {
  this.timeout(20_000)
  const nodes: Libp2p[] = []

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
  })

  it('two nodes connect over 127.0.0.1 and ping', async () => {
    const a = await createNode(['/ip4/127.0.0.1/tcp/0/ws'])
    const b = await createNode(['/ip4/127.0.0.1/tcp/0/ws'])
    nodes.push(a, b)
    const addr = b.getMultiaddrs()[0]
    expect(addr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\//)
    const rtt = await a.services.ping.ping(addr, { signal: AbortSignal.timeout(10_000) })
    expect(rtt).to.be.a('number').and.at.least(0)
    const conns = a.getConnections(b.peerId)
    expect(conns).to.have.lengthOf(1)
    expect(conns[0].encryption).to.equal('/noise')
    expect(conns[0].multiplexer).to.equal('/yamux/1.0.0')
    // and back the other way over the same connection
    const back = await b.services.ping.ping(a.peerId, { signal: AbortSignal.timeout(10_000) })
    expect(back).to.be.a('number')
  })

  it('two nodes connect over ::1 and ping', async function () {
    if (!(await ipv6LoopbackAvailable())) {
      // the sandbox may have IPv6 disabled; nothing else can be tested then
      this.skip()
    }
    const a = await createNode(['/ip6/::1/tcp/0/ws'])
    const b = await createNode(['/ip6/::1/tcp/0/ws'])
    nodes.push(a, b)
    const rtt = await a.services.ping.ping(b.getMultiaddrs()[0], { signal: AbortSignal.timeout(10_000) })
    expect(rtt).to.be.a('number')
  })

  it('stopping a node closes the connection on the other', async () => {
    const a = await createNode(['/ip4/127.0.0.1/tcp/0/ws'])
    const b = await createNode(['/ip4/127.0.0.1/tcp/0/ws'])
    nodes.push(a, b)
    const connected = new Promise<void>(resolve => {
      b.addEventListener('peer:connect', () => { resolve() }, { once: true })
    })
    await a.dial(b.getMultiaddrs()[0], { signal: AbortSignal.timeout(10_000) })
    await connected
    expect(b.getConnections(a.peerId)).to.have.lengthOf(1)
    const gone = new Promise<void>(resolve => {
      b.addEventListener('peer:disconnect', () => { resolve() }, { once: true })
    })
    await a.stop()
    await gone
    expect(b.getConnections(a.peerId)).to.have.lengthOf(0)
  })
})

describe('secure websockets in the official js-libp2p node', function () {
  this.timeout(20_000)

  it('two nodes connect over /tls/ws with a test certificate and ping', async function () {
    const certificate = testCertificate()
    if (certificate == null) {
      // no openssl to make a certificate at test time
      this.skip()
    }
    const listener = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0/tls/ws'] },
      transports: [webSockets({ https: certificate })],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionMonitor: { enabled: false },
      services: { ping: ping() }
    })
    const dialer = await createLibp2p({
      transports: [webSockets({ websocket: { ca: certificate.cert } })],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionMonitor: { enabled: false },
      services: { ping: ping() }
    })
    try {
      const addr = listener.getMultiaddrs()[0]
      expect(addr.toString()).to.match(/\/tls\/ws\/p2p\//)
      const rtt = await dialer.services.ping.ping(addr, { signal: AbortSignal.timeout(10_000) })
      expect(rtt).to.be.a('number')
    } finally {
      await Promise.all([listener.stop(), dialer.stop()])
    }
  })
})
