import { expect } from 'chai'
import { RawUpgrader, delay, multiaddrConnectionPair, waitFor } from '../src/index.js'

describe('raw upgrader', () => {
  it('queues inbound connections for next() and returns outbound ones raw', async () => {
    const raw = new RawUpgrader()
    const [a, b] = multiaddrConnectionPair()
    await raw.upgrader.upgradeInbound(b, { signal: AbortSignal.timeout(1000) })
    expect(await raw.next()).to.equal(b)
    const waiting = raw.next()
    const [c, d] = multiaddrConnectionPair()
    await raw.upgrader.upgradeInbound(d, { signal: AbortSignal.timeout(1000) })
    expect(await waiting).to.equal(d)
    expect(await raw.upgrader.upgradeOutbound(a, { signal: AbortSignal.timeout(1000) })).to.equal(a)
    for (const conn of [a, b, c, d]) conn.abort(new Error('test over'))
  })

  it('fails inbound upgrades when told to', async () => {
    const raw = new RawUpgrader()
    raw.failInbound = new Error('refused')
    const [a, b] = multiaddrConnectionPair()
    const err = await raw.upgrader.upgradeInbound(b, { signal: AbortSignal.timeout(1000) }).catch((e: Error) => e)
    expect(err).to.have.property('message', 'refused')
    a.abort(new Error('test over'))
  })

  it('waitFor resolves when the condition holds and rejects after its deadline', async () => {
    let ready = false
    setTimeout(() => { ready = true }, 20)
    await waitFor(() => ready, 1000)
    const err = await waitFor(() => false, 30).catch((e: Error) => e)
    expect(err).to.be.an.instanceOf(Error)
    const start = Date.now()
    await delay(20)
    expect(Date.now() - start).to.be.greaterThanOrEqual(15)
  })
})
