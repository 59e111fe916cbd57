import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { MemoryListener } from '../src/listener.js'
import { RawUpgrader, rejection, uniqueAddress } from './fixtures/upgrader.js'
import type { MemoryListenerInit } from '../src/listener.js'

function create (raw: RawUpgrader, init: Partial<MemoryListenerInit> = {}): MemoryListener {
  return new MemoryListener({
    upgrader: raw.upgrader,
    logger: defaultLogger(),
    latency: 0,
    maxConnections: 4,
    maxInFlightBytes: 65_536,
    maxReadBufferLength: 1024 * 1024,
    abortConnectionsOnClose: true,
    ...init
  })
}

describe('memory listener', () => {
  it('listens once', async () => {
    const listener = create(new RawUpgrader())
    await listener.listen(multiaddr(uniqueAddress()))
    expect(await rejection(listener.listen(multiaddr(uniqueAddress())))).to.have.property('name', 'ListenError')
    await listener.close()
    expect(await rejection(listener.listen(multiaddr(uniqueAddress())))).to.have.property('name', 'ListenError')
  })

  it('closes idempotently and only dispatches close if it listened', async () => {
    const listener = create(new RawUpgrader())
    let closes = 0
    listener.addEventListener('close', () => { closes++ })
    await listener.close()
    await listener.close()
    await new Promise(resolve => setTimeout(resolve, 0))
    expect(closes).to.equal(0)
  })

  it('refuses to accept when it is not listening', async () => {
    const listener = create(new RawUpgrader())
    const err = await rejection(listener.accept({ dialled: multiaddr('/memory/x'), dialerLog: defaultLogger().forComponent('t'), signal: AbortSignal.timeout(1_000) }))
    expect(err).to.have.property('name', 'ConnectionFailedError')
  })

  it('fails a dial in progress when it closes meanwhile', async () => {
    const raw = new RawUpgrader()
    const listener = create(raw, { latency: 30 })
    const address = uniqueAddress()
    await listener.listen(multiaddr(address))
    const accepting = listener.accept({ dialled: multiaddr(address), dialerLog: defaultLogger().forComponent('t'), signal: AbortSignal.timeout(1_000) })
    await listener.close()
    expect(await rejection(accepting)).to.have.property('name', 'ConnectionFailedError')
    expect(raw.inbound).to.have.lengthOf(0)
    expect(listener.connectionCount).to.equal(0)
  })

  it('passes the upgrader options and its shutdown signal to upgradeInbound', async () => {
    const raw = new RawUpgrader()
    const seen: any[] = []
    const upgrader = raw.upgrader
    const upgradeInbound = upgrader.upgradeInbound.bind(upgrader)
    upgrader.upgradeInbound = (async (maConn: any, opts: any) => { seen.push(opts); await upgradeInbound(maConn, opts) }) as any
    const listener = create(raw, { upgrader, upgraderOptions: { skipProtection: true } })
    const address = uniqueAddress()
    await listener.listen(multiaddr(address))
    const conn = await listener.accept({ dialled: multiaddr(address), dialerLog: defaultLogger().forComponent('t'), signal: AbortSignal.timeout(1_000) })
    await raw.nextInbound()
    expect(seen[0]).to.have.property('skipProtection', true)
    expect(seen[0].signal.aborted).to.equal(false)
    await listener.close()
    expect(seen[0].signal.aborted).to.equal(true)
    expect(conn.status).to.not.equal('open')
  })
})
