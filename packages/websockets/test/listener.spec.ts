import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { WebSocketsTransport } from '../src/transport.js'
import { testCertificate } from './fixtures/certificate.js'
import { ipv6LoopbackAvailable } from './fixtures/ipv6.js'
import { listening } from './fixtures/setup.js'
import { RawUpgrader, waitFor } from '@ts-libp2p/test-utils'
import type { Pair } from './fixtures/setup.js'
import type { WebSocketMultiaddrConnection } from '../src/connection.js'

function portOf (pair: Pair): number {
  return Number(pair.addr.toString().split('/')[4])
}

describe('WebSocketListener', function () {
  this.timeout(10_000)
  let pair: Pair | undefined

  afterEach(async () => {
    await pair?.close()
    pair = undefined
  })

  it('listens on port 0 and reports the real port', async () => {
    pair = await listening()
    expect(pair.addr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws$/)
    expect(portOf(pair)).to.be.greaterThan(0)
  })

  it('expands 0.0.0.0 to the interface addresses, including 127.0.0.1', async () => {
    pair = await listening({}, '/ip4/0.0.0.0/tcp/0/ws')
    const addrs = pair.listener.getAddrs().map(String)
    expect(addrs).to.include(`/ip4/127.0.0.1/tcp/${portOf(pair)}/ws`)
    expect(addrs.some(a => a.includes('0.0.0.0'))).to.equal(false)
    const out = await pair.transport.connect(multiaddr(`/ip4/127.0.0.1/tcp/${portOf(pair)}/ws`), { signal: AbortSignal.timeout(5000) })
    await pair.upgrader.next()
    out.abort(new Error('done'))
  })

  it('listens on ::1', async function () {
    if (!(await ipv6LoopbackAvailable())) {
      // IPv6 is disabled in this environment
      this.skip()
    }
    pair = await listening({}, '/ip6/::1/tcp/0/ws')
    expect(pair.addr.toString()).to.match(/^\/ip6\/::1\/tcp\/\d+\/ws$/)
    const [, inb] = await pair.connect()
    expect(inb.remoteAddr.toString()).to.match(/^\/ip6\/::1\//)
  })

  it('listens with TLS on /tls/ws and /wss and accepts a dial that trusts the certificate', async function () {
    const certificate = testCertificate()
    if (certificate == null) {
      // no openssl to make a certificate at test time
      this.skip()
    }
    pair = await listening({ https: certificate, websocket: { ca: certificate.cert } }, '/ip4/127.0.0.1/tcp/0/tls/ws')
    expect(pair.addr.toString()).to.match(/\/tls\/ws$/)
    const [out, inb] = await pair.connect()
    out.send(Uint8Array.of(1, 2))
    await waitFor(() => inb.bytesReceived === 2)
    const wss = await listening({ https: certificate, websocket: { ca: certificate.cert } }, '/ip4/127.0.0.1/tcp/0/wss')
    try {
      expect(wss.addr.toString()).to.match(/\/wss$/)
      await wss.connect()
    } finally {
      await wss.close()
    }
  })

  it('refuses a secure listen address without TLS options', async () => {
    const transport = new WebSocketsTransport({ logger: defaultLogger() })
    const listener = transport.createWebSocketListener({ upgrader: new RawUpgrader().upgrader })
    let err: any
    try { await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0/wss')) } catch (e) { err = e }
    expect(err?.name).to.equal('ListenError')
    await listener.close()
  })

  it('listens on a server the caller passes in', async () => {
    const server = http.createServer((_req, res) => { res.end('app') })
    pair = await listening({ server })
    const [out, inb] = await pair.connect()
    out.send(Uint8Array.of(7))
    await waitFor(() => inb.bytesReceived === 1)
    const body = await (await fetch(`http://127.0.0.1:${portOf(pair)}/`)).text()
    expect(body).to.equal('app')
  })

  it('listens on an https server the caller passes in', async function () {
    const certificate = testCertificate()
    if (certificate == null) {
      // no openssl to make a certificate at test time
      this.skip()
    }
    pair = await listening({ server: https.createServer(certificate), websocket: { ca: certificate.cert } }, '/ip4/127.0.0.1/tcp/0/tls/ws')
    expect(pair.addr.toString()).to.match(/\/tls\/ws$/)
    const [out, inb] = await pair.connect()
    expect(inb.remoteAddr.toString()).to.match(/\/tls\/ws$/)
    out.send(Uint8Array.of(3))
    await waitFor(() => inb.bytesReceived === 1)
  })

  it('answers plain HTTP requests with 426', async () => {
    pair = await listening()
    const res = await fetch(`http://127.0.0.1:${portOf(pair)}/`)
    expect(res.status).to.equal(426)
  })

  it('fails with AddressInUseError when the port is taken', async () => {
    pair = await listening()
    const transport = new WebSocketsTransport({ logger: defaultLogger() })
    const second = transport.createWebSocketListener({ upgrader: new RawUpgrader().upgrader })
    let err: any
    try { await second.listen(pair.addr) } catch (e) { err = e }
    expect(err?.name).to.equal('AddressInUseError')
    await second.close()
  })

  it('refuses connections beyond maxConnections', async () => {
    pair = await listening({ maxConnections: 1 })
    await pair.connect()
    let err: any
    try {
      await pair.transport.connect(pair.addr, { signal: AbortSignal.timeout(5000) })
    } catch (e) { err = e }
    expect(err?.name).to.equal('WebSocketError')
    expect(err?.message).to.include('503')
    expect(pair.listener.connectionCount).to.equal(1)
  })

  it('closes open connections when it closes, and stops accepting', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    await pair.listener.close()
    await waitFor(() => inb.status !== 'open' && out.status !== 'open')
    expect(pair.listener.connectionCount).to.equal(0)
    let err: any
    try { await pair.transport.connect(pair.addr, { signal: AbortSignal.timeout(2000) }) } catch (e) { err = e }
    expect(err?.name).to.equal('ConnectionRefusedError')
  })

  it('drops a peer that connects and never sends the upgrade request', async () => {
    pair = await listening({ handshakeTimeout: 150 })
    const socket = net.connect({ host: '127.0.0.1', port: portOf(pair) })
    socket.on('error', () => {})
    const start = Date.now()
    await new Promise(resolve => socket.once('close', resolve))
    expect(Date.now() - start).to.be.within(100, 3000)
  })

  it('closes an upgraded peer that sends nothing after the inbound timeout', async () => {
    pair = await listening({ inboundInactivityTimeout: 150, outboundInactivityTimeout: 0 })
    const out = await pair.transport.connect(pair.addr, { signal: AbortSignal.timeout(5000) })
    const inb = await pair.upgrader.next() as WebSocketMultiaddrConnection
    await waitFor(() => inb.status === 'aborted', 3000)
    expect(inb.error?.name).to.equal('TimeoutError')
    await waitFor(() => out.status !== 'open', 3000)
  })
})
