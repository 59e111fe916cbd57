import { spawn } from 'node:child_process'
import net from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { TcpTransport } from '../src/transport.js'
import { listening } from './fixtures/setup.js'
import { RawUpgrader } from '@ts-libp2p/test-utils'
import type { Pair } from './fixtures/setup.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise(resolve => server.close(resolve))
  return port
}

/**
 * A loopback listener that never accepts, with its accept queue already
 * full: further SYNs are dropped, so a dial to it hangs until a timeout.
 * Node's net.Server always accepts, so a python3 child holds the socket.
 */
async function blackHole (): Promise<{ addr: Multiaddr, fillers: net.Socket[], stop(): void } | undefined> {
  const child = spawn('python3', ['-c', [
    'import socket,sys,time',
    's=socket.socket()',
    "s.bind(('127.0.0.1',0))",
    's.listen(0)',
    'print(s.getsockname()[1],flush=True)',
    'sys.stdin.read()'
  ].join('\n')], { stdio: ['pipe', 'pipe', 'ignore'] })
  const port = await new Promise<number | undefined>(resolve => {
    child.on('error', () => { resolve(undefined) })
    child.stdout.once('data', (d: Buffer) => { resolve(Number(d.toString().trim())) })
  })
  if (port == null) {
    return undefined
  }
  const fillers: net.Socket[] = []
  // backlog 0 still queues a connection or two; fill it
  for (let i = 0; i < 4; i++) {
    const s = net.connect({ host: '127.0.0.1', port })
    s.on('error', () => {})
    fillers.push(s)
  }
  await new Promise(resolve => setTimeout(resolve, 100))
  return {
    addr: multiaddr(`/ip4/127.0.0.1/tcp/${port}`),
    fillers,
    stop () {
      fillers.forEach(s => s.destroy())
      child.kill()
    }
  }
}

describe('TcpTransport', function () {
  this.timeout(10_000)
  let pair: Pair | undefined

  afterEach(async () => {
    await pair?.close()
    pair = undefined
  })

  it('dials through the upgrader', async () => {
    pair = await listening()
    const upgrader = new RawUpgrader()
    const conn: any = await pair.transport.dial(pair.addr, { upgrader: upgrader.upgrader, signal: AbortSignal.timeout(5000) })
    expect(conn.remoteAddr.toString()).to.equal(pair.addr.toString())
    const inbound = await pair.upgrader.next()
    expect(inbound.direction).to.equal('inbound')
    conn.abort(new Error('done'))
  })

  it('dials /dns4/localhost', async () => {
    pair = await listening()
    const port = pair.addr.toString().split('/')[4]
    const conn = await pair.transport.connect(multiaddr(`/dns4/localhost/tcp/${port}`), { signal: AbortSignal.timeout(5000) })
    await pair.upgrader.next()
    conn.abort(new Error('done'))
  })

  it('fails with ConnectionRefusedError when nothing listens', async () => {
    const transport = new TcpTransport({ logger: defaultLogger() })
    const port = await closedPort()
    let err: any
    try {
      await transport.dial(multiaddr(`/ip4/127.0.0.1/tcp/${port}`), { upgrader: new RawUpgrader().upgrader, signal: AbortSignal.timeout(5000) })
    } catch (e) {
      err = e
    }
    expect(err?.name).to.equal('ConnectionRefusedError')
    expect(err?.code).to.equal('ECONNREFUSED')
  })

  it('fails at once with the reason when the signal has already fired', async () => {
    const transport = new TcpTransport({ logger: defaultLogger() })
    const controller = new AbortController()
    controller.abort()
    let err: any
    try {
      await transport.dial(multiaddr('/ip4/127.0.0.1/tcp/1'), { upgrader: new RawUpgrader().upgrader, signal: controller.signal })
    } catch (e) {
      err = e
    }
    expect(err?.name).to.equal('AbortError')
  })

  it('rejects non-TCP addresses with UnsupportedAddressError', async () => {
    const transport = new TcpTransport({ logger: defaultLogger() })
    let err: any
    try {
      await transport.connect(multiaddr('/ip4/127.0.0.1/tcp/1/ws'))
    } catch (e) {
      err = e
    }
    expect(err?.name).to.equal('UnsupportedAddressError')
  })

  it('times out a dial that gets no answer, and aborts one mid-dial', async function () {
    const hole = await blackHole()
    if (hole == null) {
      // without python3 there is no loopback listener that never accepts
      this.skip()
    }
    try {
      const transport = new TcpTransport({ logger: defaultLogger() }, { dialTimeout: 150 })
      const start = Date.now()
      let err: any
      try {
        await transport.connect(hole.addr, { signal: AbortSignal.timeout(5000) })
      } catch (e) {
        err = e
      }
      expect(err?.name).to.equal('TimeoutError')
      expect(Date.now() - start).to.be.within(100, 2000)

      const controller = new AbortController()
      setTimeout(() => { controller.abort() }, 50)
      err = undefined
      try {
        await transport.connect(hole.addr, { signal: controller.signal, dialTimeout: 5000 })
      } catch (e) {
        err = e
      }
      expect(err?.name).to.equal('AbortError')
    } finally {
      hole.stop()
    }
  })

  it('aborts the raw connection when the outbound upgrade fails', async () => {
    pair = await listening()
    const failing: any = {
      ...new RawUpgrader().upgrader,
      upgradeOutbound: async (maConn: any) => {
        failing.seen = maConn
        throw new Error('upgrade failed')
      }
    }
    let err: any
    try {
      await pair.transport.dial(pair.addr, { upgrader: failing, signal: AbortSignal.timeout(5000) })
    } catch (e) {
      err = e
    }
    expect(err?.message).to.equal('upgrade failed')
    expect(failing.seen.status).to.equal('aborted')
  })
})
