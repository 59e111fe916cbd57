/**
 * Inbound connections that never finish their upgrade (slowloris): the
 * connection manager, which admits them, aborts each one at the inbound
 * upgrade timeout, so stalled peers cannot hold the pending-upgrade slots
 * forever. (Over real TCP: compliance/test/hostile-peer.spec.ts.)
 */
import { captureLogger, multiaddrConnectionPair, stubEvents } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { ConnectionManager, ResourceManager } from '../src/index.js'
import type { StreamCloseEvent } from '@ts-libp2p/interface'

function manager (init: { inboundUpgradeTimeout: number, maxIncomingPendingConnections?: number }): { cm: ConnectionManager, rm: ResourceManager } {
  const logger = captureLogger()
  const rm = new ResourceManager({ logger })
  const cm = new ConnectionManager({ logger, events: stubEvents(), resourceManager: rm, transportManager: {} as any, peerId: {} as any } as any, init)
  return { cm, rm }
}

describe('inbound connections that never upgrade', () => {
  it('are aborted with TimeoutError at the inbound upgrade timeout, releasing their slot and their resources', async () => {
    const { cm, rm } = manager({ inboundUpgradeTimeout: 100, maxIncomingPendingConnections: 2 })
    const [, inbound] = multiaddrConnectionPair()
    const closed = new Promise<StreamCloseEvent>(resolve => { inbound.addEventListener('close', (evt) => { resolve(evt) }, { once: true }) })
    const started = Date.now()
    expect(cm.acceptIncomingConnection(inbound)).to.equal(true)
    expect(rm.stat().transient.connsInbound).to.equal(1)
    const evt = await closed
    expect(evt.error?.name).to.equal('TimeoutError')
    expect(Date.now() - started).to.be.within(80, 1_000)
    cm.afterUpgradeInbound() // what the upgrader does once its upgrade fails
    expect(rm.stat().system.conns).to.equal(0)
    await cm.stop()
  })

  it('stalled connections up to the pending limit do not lock others out once their deadline passes', async () => {
    const { cm } = manager({ inboundUpgradeTimeout: 100, maxIncomingPendingConnections: 2 })
    const stalled = [multiaddrConnectionPair()[1], multiaddrConnectionPair()[1]]
    for (const s of stalled) {
      s.addEventListener('close', () => { cm.afterUpgradeInbound() }, { once: true })
      expect(cm.acceptIncomingConnection(s)).to.equal(true)
    }
    expect(cm.acceptIncomingConnection(multiaddrConnectionPair()[1])).to.equal(false)
    await new Promise(resolve => setTimeout(resolve, 250))
    expect(stalled.map(s => s.status)).to.deep.equal(['aborted', 'aborted'])
    const next = multiaddrConnectionPair()[1]
    expect(cm.acceptIncomingConnection(next)).to.equal(true)
    next.abort(new Error('done'))
    await cm.stop()
  })

  it('stop() clears the deadlines: nothing is left to fire', async () => {
    const { cm } = manager({ inboundUpgradeTimeout: 50 })
    const [, inbound] = multiaddrConnectionPair()
    cm.acceptIncomingConnection(inbound)
    await cm.stop()
    await new Promise(resolve => setTimeout(resolve, 120))
    expect(inbound.status).to.equal('open')
    inbound.abort(new Error('done'))
  })
})
