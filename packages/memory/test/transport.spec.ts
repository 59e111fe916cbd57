import { isTransport } from '@ts-libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { memory } from '../src/index.js'
import { RawUpgrader, delay, equalBytes, pattern, readAll, rejection, uniqueAddress, writeAll } from './fixtures/upgrader.js'
import type { MemoryTransportInit } from '../src/index.js'
import type { Listener, MultiaddrConnection, Transport, StreamCloseEvent } from '@ts-libp2p/interface'

describe('memory transport', () => {
  let listeners: Listener[]

  beforeEach(() => {
    listeners = []
  })

  afterEach(async () => {
    await Promise.all(listeners.map(async l => { await l.close() }))
  })

  function create (init?: MemoryTransportInit): Transport {
    return memory(init)({ logger: defaultLogger() })
  }

  async function listen (transport: Transport, raw: RawUpgrader, address = uniqueAddress()): Promise<Listener> {
    const listener = transport.createListener({ upgrader: raw.upgrader })
    listeners.push(listener)
    await listener.listen(multiaddr(address))
    return listener
  }

  async function dial (transport: Transport, raw: RawUpgrader, address: string, signal = AbortSignal.timeout(5_000)): Promise<MultiaddrConnection> {
    return await transport.dial(multiaddr(address), { upgrader: raw.upgrader, signal }) as unknown as MultiaddrConnection
  }

  it('is a branded transport', () => {
    const transport = create()
    expect(isTransport(transport)).to.equal(true)
    expect(transport[Symbol.toStringTag]).to.equal('@ts-libp2p/memory')
    expect((transport as any)[Symbol.for('@libp2p/transport')]).to.equal(true)
  })

  it('filters memory addresses for listening and dialling', () => {
    const transport = create()
    const addrs = [
      multiaddr('/memory/a'),
      multiaddr('/memory/a/p2p/12D3KooWJRSrypvnpHgc6ZAgyCni4KcSmbV7uGRaMw5LgMKT18fq'),
      multiaddr('/ip4/127.0.0.1/tcp/4001')
    ]
    expect(transport.listenFilter(addrs).map(String)).to.deep.equal(['/memory/a'])
    expect(transport.dialFilter(addrs).map(String)).to.deep.equal(['/memory/a', '/memory/a/p2p/12D3KooWJRSrypvnpHgc6ZAgyCni4KcSmbV7uGRaMw5LgMKT18fq'])
  })

  it('listens, reports its address and events, and closes', async () => {
    const transport = create()
    const raw = new RawUpgrader()
    const listener = transport.createListener({ upgrader: raw.upgrader })
    listeners.push(listener)
    const events: string[] = []
    listener.addEventListener('listening', () => { events.push('listening') })
    listener.addEventListener('close', () => { events.push('close') })
    const address = uniqueAddress()
    expect(listener.getAddrs()).to.deep.equal([])
    await listener.listen(multiaddr(address))
    expect(listener.getAddrs().map(String)).to.deep.equal([address])
    await delay(0)
    await listener.close()
    await delay(0)
    expect(listener.getAddrs()).to.deep.equal([])
    expect(events).to.deep.equal(['listening', 'close'])
  })

  it('refuses an address in use and one that is not /memory/<name>', async () => {
    const transport = create()
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    const second = transport.createListener({ upgrader: raw.upgrader })
    expect(await rejection(second.listen(multiaddr(address)))).to.have.property('name', 'ListenError')
    const third = transport.createListener({ upgrader: raw.upgrader })
    expect(await rejection(third.listen(multiaddr('/ip4/127.0.0.1/tcp/0')))).to.have.property('name', 'ListenError')
  })

  it('frees the address when the listener closes', async () => {
    const transport = create()
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    const first = await listen(transport, raw, address)
    await first.close()
    await listen(transport, raw, address)
  })

  it('dials a listener, with or without /p2p, and carries bytes both ways', async () => {
    const transport = create()
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    const peer = '12D3KooWJRSrypvnpHgc6ZAgyCni4KcSmbV7uGRaMw5LgMKT18fq'
    const outbound = await dial(transport, raw, `${address}/p2p/${peer}`)
    const inbound = await raw.nextInbound()
    expect(outbound.direction).to.equal('outbound')
    expect(inbound.direction).to.equal('inbound')
    expect(outbound.remoteAddr.toString()).to.equal(`${address}/p2p/${peer}`)
    expect(inbound.remoteAddr.toString()).to.match(new RegExp(`^${address}-dialer-\\d+$`))
    expect(transport.dialFilter([inbound.remoteAddr])).to.have.lengthOf(1, 'the dialer\'s address is a memory address too')

    outbound.send(Uint8Array.of(1, 2))
    inbound.send(Uint8Array.of(3))
    const [atInbound, atOutbound] = await Promise.all([readAll(inbound), readAll(outbound), outbound.close()])
    expect(atInbound).to.deep.equal(Uint8Array.of(1, 2))
    expect(atOutbound).to.deep.equal(Uint8Array.of(3))
    expect(outbound.status).to.equal('closed')
    expect(inbound.status).to.equal('closed')
    expect(outbound.timeline.close).to.be.a('number')
    expect((outbound as any).bytesSent).to.equal(2)
    expect((outbound as any).bytesReceived).to.equal(1)
  })

  it('fails with ConnectionFailedError when nobody listens', async () => {
    const err = await rejection(dial(create(), new RawUpgrader(), uniqueAddress()))
    expect(err).to.have.property('name', 'ConnectionFailedError')
  })

  it('fails with InvalidMultiaddrError for a non-memory address', async () => {
    const err = await rejection(dial(create(), new RawUpgrader(), '/ip4/127.0.0.1/tcp/1'))
    expect(err).to.have.property('name', 'InvalidMultiaddrError')
  })

  it('fails with AbortError when the signal fired before the dial', async () => {
    const transport = create()
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    const controller = new AbortController()
    controller.abort()
    expect(await rejection(dial(transport, raw, address, controller.signal))).to.have.property('name', 'AbortError')
    await delay(10)
    expect(raw.inbound).to.have.lengthOf(0)
  })

  it('waits the simulated latency, and an abort mid-dial leaves nothing behind', async () => {
    const transport = create({ latency: 50 })
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    const listener = await listen(transport, raw, address)
    const start = Date.now()
    const conn = await dial(transport, raw, address)
    expect(Date.now() - start).to.be.at.least(45)
    await conn.close({ signal: AbortSignal.timeout(2_000) })

    const controller = new AbortController()
    const dialling = dial(transport, raw, address, controller.signal)
    await delay(10)
    controller.abort()
    expect(await rejection(dialling)).to.have.property('name', 'AbortError')
    await delay(60)
    expect(raw.inbound).to.have.lengthOf(1, 'only the first dial reached the listener')
    expect((listener as any).connectionCount).to.equal(0)
  })

  it('delays every delivery by the latency', async () => {
    const transport = create({ latency: 30 })
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    const conn = await dial(transport, raw, address)
    const inbound = await raw.nextInbound()
    const got = new Promise<number>(resolve => { inbound.addEventListener('message', () => { resolve(Date.now()) }, { once: true }) })
    const sent = Date.now()
    conn.send(Uint8Array.of(1))
    expect(await got - sent).to.be.at.least(25)
    conn.abort(new Error('done'))
  })

  it('aborts open connections when the listener closes', async () => {
    const transport = create()
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    const listener = await listen(transport, raw, address)
    const conn = await dial(transport, raw, address)
    const inbound = await raw.nextInbound()
    const closed = new Promise<StreamCloseEvent>(resolve => { conn.addEventListener('close', resolve as any) })
    await listener.close()
    const evt = await closed
    expect(evt.error).to.have.property('name', 'StreamResetError')
    expect(conn.status).to.equal('reset')
    expect(inbound.status).to.equal('aborted')
    expect((inbound as any).error).to.have.property('name', 'ConnectionClosedError')
    expect(raw.inboundSignals[0].aborted).to.equal(true, 'in-progress upgrades are told')
  })

  it('keeps open connections when the listener closes, if asked', async () => {
    const transport = create({ abortConnectionsOnClose: false })
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    const listener = await listen(transport, raw, address)
    const conn = await dial(transport, raw, address)
    const inbound = await raw.nextInbound()
    await listener.close()
    expect(conn.status).to.equal('open')
    conn.send(Uint8Array.of(7))
    const reading = readAll(inbound)
    await conn.close({ signal: AbortSignal.timeout(1_000) })
    expect(await reading).to.deep.equal(Uint8Array.of(7))
  })

  it('refuses dials past maxConnections with LimitExceededError, and frees the slot on close', async () => {
    const transport = create({ maxConnections: 2 })
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    const a = await dial(transport, raw, address)
    await dial(transport, raw, address)
    expect(await rejection(dial(transport, raw, address))).to.have.property('name', 'LimitExceededError')
    a.abort(new Error('make room'))
    await delay(1)
    await dial(transport, raw, address)
  })

  it('aborts the connection when the outbound upgrade fails', async () => {
    const transport = create()
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    raw.failOutbound = new Error('handshake failed')
    expect(await rejection(dial(transport, raw, address))).to.equal(raw.failOutbound)
    const inbound = await raw.nextInbound()
    await delay(1)
    expect(inbound.status).to.equal('reset')
  })

  it('aborts the connection when the inbound upgrade fails, which the dialer sees as a reset', async () => {
    const transport = create()
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    raw.failInbound = new Error('denied')
    const conn = await dial(transport, raw, address)
    await delay(5)
    expect(conn.status).to.equal('reset')
    expect((conn as any).error).to.have.property('name', 'StreamResetError')
  })

  it('holds a writer back while the reader does not read', async () => {
    const transport = create({ maxInFlightBytes: 8192 })
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    const conn = await dial(transport, raw, address)
    const inbound = await raw.nextInbound()
    let accepted = 0
    let blocked = false
    for (let i = 0; i < 2048 && !blocked; i++) {
      accepted += 1024
      if (!conn.send(new Uint8Array(1024))) {
        blocked = await conn.onDrain({ signal: AbortSignal.timeout(50) }).then(() => false, () => true)
      }
    }
    expect(blocked).to.equal(true)
    expect(accepted).to.be.lessThan(2048 * 1024)
    expect(inbound.readBufferLength).to.be.at.most(256 * 1024 + 8192 + 1024)
    expect(inbound.status).to.equal('open')
    const reading = readAll(inbound)
    await conn.onDrain({ signal: AbortSignal.timeout(1_000) })
    await conn.close({ signal: AbortSignal.timeout(2_000) })
    expect((await reading).byteLength).to.equal(accepted)
  })

  it('moves 16 MiB each way at once with the content intact', async function () {
    this.timeout(30_000)
    const transport = create()
    const raw = new RawUpgrader()
    const address = uniqueAddress()
    await listen(transport, raw, address)
    const conn = await dial(transport, raw, address)
    const inbound = await raw.nextInbound()
    const up = pattern(16 * 1024 * 1024, 11)
    const down = pattern(16 * 1024 * 1024, 12)
    const atInbound = readAll(inbound)
    const atOutbound = readAll(conn)
    const [waitsUp] = await Promise.all([writeAll(conn, up), writeAll(inbound, down)])
    await Promise.all([conn.close({ signal: AbortSignal.timeout(5_000) }), inbound.close({ signal: AbortSignal.timeout(5_000) })])
    expect(equalBytes(await atInbound, up)).to.equal(true)
    expect(equalBytes(await atOutbound, down)).to.equal(true)
    expect(waitsUp).to.be.greaterThan(0, 'backpressure was exercised')
    expect((conn as any).bytesSent).to.equal(up.byteLength)
    expect((inbound as any).bytesReceived).to.equal(up.byteLength)
  })
})
