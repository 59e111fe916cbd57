import net from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { WebSocketsTransport } from '../src/transport.js'
import { testCertificate } from './fixtures/certificate.js'
import { listening } from './fixtures/setup.js'
import { RawUpgrader } from '@ts-libp2p/test-utils'
import type { Pair } from './fixtures/setup.js'

async function closedPort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise(resolve => server.close(resolve))
  return port
}

/** A TCP server that accepts and never answers the HTTP upgrade: a dial to it hangs. */
async function silentServer (): Promise<{ port: number, close(): Promise<void> }> {
  const sockets: net.Socket[] = []
  const server = net.createServer((s) => { sockets.push(s) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    async close () {
      sockets.forEach(s => s.destroy())
      await new Promise(resolve => server.close(resolve))
    }
  }
}

describe('WebSocketsTransport', function () {
  this.timeout(10_000)
  let pair: Pair | undefined

  afterEach(async () => {
    await pair?.close()
    pair = undefined
  })

  it('dials through the upgrader', async () => {
    pair = await listening()
    const conn: any = await pair.transport.dial(pair.addr, { upgrader: new RawUpgrader().upgrader, signal: AbortSignal.timeout(5000) })
    expect(conn.remoteAddr.toString()).to.equal(pair.addr.toString())
    await pair.upgrader.next()
    conn.abort(new Error('done'))
  })

  it('dials /dns4/localhost', async () => {
    pair = await listening()
    const port = pair.addr.toString().split('/')[4]
    const conn = await pair.transport.connect(multiaddr(`/dns4/localhost/tcp/${port}/ws`), { signal: AbortSignal.timeout(5000) })
    await pair.upgrader.next()
    conn.abort(new Error('done'))
  })

  it('dials /dns4/localhost/tcp/<port>/tls/ws, checking the certificate for localhost', async function () {
    const certificate = testCertificate()
    if (certificate == null) {
      // no openssl to make a certificate at test time
      this.skip()
    }
    pair = await listening({ https: certificate }, '/ip4/127.0.0.1/tcp/0/tls/ws')
    const port = pair.addr.toString().split('/')[4]
    const trusting = new WebSocketsTransport({ logger: defaultLogger() }, { websocket: { ca: certificate.cert } })
    const conn = await trusting.connect(multiaddr(`/dns4/localhost/tcp/${port}/tls/ws`), { signal: AbortSignal.timeout(5000) })
    conn.abort(new Error('done'))
    // without trusting it, the dial fails with a typed error
    const strict = new WebSocketsTransport({ logger: defaultLogger() })
    let err: any
    try { await strict.connect(pair.addr, { signal: AbortSignal.timeout(5000) }) } catch (e) { err = e }
    expect(err?.name).to.equal('WebSocketError')
  })

  it('keeps a message the listener sends in the same packet as the upgrade response', async () => {
    // go-libp2p and py-libp2p send the multistream header as soon as they accept
    const { WebSocketServer } = await import('ws')
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((resolve) => { server.once('listening', resolve) })
    server.on('connection', (ws) => { ws.send(Buffer.from('first bytes')) })
    try {
      const port = (server.address() as net.AddressInfo).port
      const transport = new WebSocketsTransport({ logger: defaultLogger() })
      for (let i = 0; i < 20; i++) {
        const conn = await transport.connect(multiaddr(`/ip4/127.0.0.1/tcp/${port}/ws`), { signal: AbortSignal.timeout(5000) })
        let received = ''
        for await (const chunk of conn) {
          received += new TextDecoder().decode(chunk.subarray())
          if (received.length >= 'first bytes'.length) break
        }
        expect(received, `attempt ${i}`).to.equal('first bytes')
        conn.abort(new Error('test over'))
      }
    } finally {
      for (const client of server.clients) client.terminate()
      await new Promise((resolve) => { server.close(resolve) })
    }
  })

  it('fails with ConnectionRefusedError when nothing listens', async () => {
    const transport = new WebSocketsTransport({ logger: defaultLogger() })
    const port = await closedPort()
    let err: any
    try {
      await transport.dial(multiaddr(`/ip4/127.0.0.1/tcp/${port}/ws`), { upgrader: new RawUpgrader().upgrader, signal: AbortSignal.timeout(5000) })
    } catch (e) { err = e }
    expect(err?.name).to.equal('ConnectionRefusedError')
  })

  it('times out a dial whose upgrade gets no answer, and aborts one mid-dial', async () => {
    const silent = await silentServer()
    try {
      const transport = new WebSocketsTransport({ logger: defaultLogger() }, { dialTimeout: 150 })
      const addr = multiaddr(`/ip4/127.0.0.1/tcp/${silent.port}/ws`)
      let err: any
      const start = Date.now()
      try { await transport.connect(addr, { signal: AbortSignal.timeout(5000) }) } catch (e) { err = e }
      expect(err?.name).to.equal('TimeoutError')
      expect(Date.now() - start).to.be.within(100, 2000)
      const controller = new AbortController()
      setTimeout(() => { controller.abort() }, 50)
      err = undefined
      try { await transport.connect(addr, { signal: controller.signal, dialTimeout: 5000 }) } catch (e) { err = e }
      expect(err?.name).to.equal('AbortError')
    } finally {
      await silent.close()
    }
  })

  it('fails at once when the signal has already fired', async () => {
    const transport = new WebSocketsTransport({ logger: defaultLogger() })
    const controller = new AbortController()
    controller.abort()
    let err: any
    try { await transport.connect(multiaddr('/ip4/127.0.0.1/tcp/1/ws'), { signal: controller.signal }) } catch (e) { err = e }
    expect(err?.name).to.equal('AbortError')
  })

  it('rejects non-WebSocket addresses with UnsupportedAddressError', async () => {
    const transport = new WebSocketsTransport({ logger: defaultLogger() })
    let err: any
    try { await transport.connect(multiaddr('/ip4/127.0.0.1/tcp/1')) } catch (e) { err = e }
    expect(err?.name).to.equal('UnsupportedAddressError')
  })
})
