import net from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { TcpTransport } from '../src/transport.js'
import { ipv6LoopbackAvailable } from './fixtures/ipv6.js'
import { listening } from './fixtures/setup.js'
import { RawUpgrader, waitFor } from '@ts-libp2p/test-utils'
import type { Pair } from './fixtures/setup.js'
import type { TcpMultiaddrConnection } from '../src/connection.js'

describe('TcpListener', function () {
  this.timeout(10_000)
  let pair: Pair | undefined

  afterEach(async () => {
    await pair?.close()
    pair = undefined
  })

  it('listens on port 0 and reports the real port; emits listening and close', async () => {
    const transport = new TcpTransport({ logger: defaultLogger() })
    const listener = transport.createTcpListener({ upgrader: new RawUpgrader().upgrader })
    const events: string[] = []
    listener.addEventListener('listening', () => events.push('listening'))
    listener.addEventListener('close', () => events.push('close'))
    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
    const [addr] = listener.getAddrs()
    expect(addr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/)
    expect(addr.toString()).not.to.equal('/ip4/127.0.0.1/tcp/0')
    await listener.close()
    expect(listener.getAddrs()).to.deep.equal([])
    expect(events).to.deep.equal(['listening', 'close'])
  })

  it('expands 0.0.0.0 to the interface addresses, including 127.0.0.1', async () => {
    pair = await listening({}, '/ip4/0.0.0.0/tcp/0')
    const addrs = pair.listener.getAddrs().map(String)
    const port = addrs[0].split('/')[4]
    expect(addrs).to.include(`/ip4/127.0.0.1/tcp/${port}`)
    expect(addrs.every(a => a.startsWith('/ip4/'))).to.equal(true)
    expect(addrs.some(a => a.includes('0.0.0.0'))).to.equal(false)
    // dial only loopback
    const out = await pair.transport.connect(multiaddr(`/ip4/127.0.0.1/tcp/${port}`), { signal: AbortSignal.timeout(5000) })
    const inb = await pair.upgrader.next()
    expect(inb.remoteAddr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\//)
    out.abort(new Error('done'))
  })

  it('listens on ::1 (IPv6 loopback)', async function () {
    if (!(await ipv6LoopbackAvailable())) {
      // IPv6 is disabled in this environment: nothing to bind
      this.skip()
    }
    pair = await listening({}, '/ip6/::1/tcp/0')
    expect(pair.addr.toString()).to.match(/^\/ip6\/::1\/tcp\/\d+$/)
    const [out, inb] = await pair.connect()
    expect(inb.remoteAddr.toString()).to.match(/^\/ip6\/::1\//)
    out.send(Uint8Array.of(1, 2, 3))
    await waitFor(() => inb.bytesReceived === 3)
  })

  it('listens on /dns4/localhost', async () => {
    pair = await listening({}, '/dns4/localhost/tcp/0')
    expect(pair.addr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/)
  })

  it('fails with AddressInUseError when the port is taken', async () => {
    pair = await listening()
    const transport = new TcpTransport({ logger: defaultLogger() })
    const second = transport.createTcpListener({ upgrader: new RawUpgrader().upgrader })
    let err: any
    try {
      await second.listen(pair.addr)
    } catch (e) {
      err = e
    }
    expect(err?.name).to.equal('AddressInUseError')
    expect(err?.message).to.include(pair.addr.toString())
    await second.close()
  })

  it('refuses non-TCP addresses with ListenError', async () => {
    const transport = new TcpTransport({ logger: defaultLogger() })
    const listener = transport.createTcpListener({ upgrader: new RawUpgrader().upgrader })
    let err: any
    try {
      await listener.listen(multiaddr('/ip4/127.0.0.1/udp/0'))
    } catch (e) {
      err = e
    }
    expect(err?.name).to.equal('ListenError')
  })

  it('resets connections beyond maxConnections', async () => {
    pair = await listening({ maxConnections: 2 })
    await pair.connect()
    await pair.connect()
    expect(pair.listener.connectionCount).to.equal(2)
    // the reset may arrive before or after our side saw the connect
    try {
      const third = await pair.transport.connect(pair.addr, { signal: AbortSignal.timeout(5000) })
      await waitFor(() => third.status === 'reset' || third.status === 'closed')
    } catch (err: any) {
      expect(err.name).to.equal('StreamResetError')
    }
    expect(pair.listener.connectionCount).to.equal(2)
    expect(pair.upgrader.inbound).to.have.lengthOf(0)
  })

  it('closes open connections when it closes, and stops accepting', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    await pair.listener.close()
    await waitFor(() => inb.status === 'closed' || inb.status === 'aborted')
    await waitFor(() => out.status === 'closed' || out.status === 'reset')
    expect(pair.listener.connectionCount).to.equal(0)
    let err: any
    try {
      await pair.transport.connect(pair.addr, { signal: AbortSignal.timeout(2000) })
    } catch (e) {
      err = e
    }
    expect(err?.name).to.equal('ConnectionRefusedError')
  })

  it('keeps open connections when closeConnectionsOnClose is false', async () => {
    pair = await listening({ closeConnectionsOnClose: false })
    const [out, inb] = await pair.connect()
    await pair.listener.close()
    out.send(Uint8Array.of(9))
    await waitFor(() => inb.bytesReceived === 1)
    expect(inb.status).to.equal('open')
  })

  it('closes a peer that connects and sends nothing after the inbound timeout', async () => {
    pair = await listening({ inboundSocketInactivityTimeout: 150 })
    const socket = net.connect({ host: '127.0.0.1', port: Number(pair.addr.toString().split('/')[4]) })
    const closed = new Promise<number>(resolve => {
      socket.on('error', () => {})
      socket.on('close', () => { resolve(Date.now()) })
    })
    const start = Date.now()
    const inb = await pair.upgrader.next() as TcpMultiaddrConnection
    const at = await closed
    expect(at - start).to.be.within(100, 3000)
    expect(inb.status).to.equal('aborted')
    expect(inb.error?.name).to.equal('TimeoutError')
  })

  it('aborts the connection when the inbound upgrade fails', async () => {
    pair = await listening()
    pair.upgrader.failInbound = new Error('no upgrade')
    try {
      const out = await pair.transport.connect(pair.addr, { signal: AbortSignal.timeout(5000) })
      await waitFor(() => out.status === 'reset' || out.status === 'closed')
    } catch (err: any) {
      expect(err.name).to.equal('StreamResetError')
    }
    await waitFor(() => pair?.listener.connectionCount === 0)
  })
})

describe('TcpListener reusePort', function () {
  this.timeout(10_000)

  it('lets two listeners bind the same port with reusePort (Node 22.12+)', async function () {
    const [major, minor] = process.versions.node.split('.').map(Number)
    if (major < 22 || (major === 22 && minor < 12)) {
      // Node before 22.12 has no reusePort listen option
      this.skip()
    }
    const a = await listening({ reusePort: true })
    const transport = new TcpTransport({ logger: defaultLogger() }, { reusePort: true })
    const b = transport.createTcpListener({ upgrader: new RawUpgrader().upgrader })
    try {
      await b.listen(a.addr)
      expect(b.getAddrs()[0].toString()).to.equal(a.addr.toString())
    } finally {
      await b.close()
      await a.close()
    }
  })
})
