import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { InMemoryLink } from '../src/in-memory-link.js'
import { delay } from './fixtures/test-streams.js'
import type { InMemoryLinkEnd } from '../src/in-memory-link.js'

function recorder (): InMemoryLinkEnd & { events: string[], data: Uint8Array[] } {
  const events: string[] = []
  const data: Uint8Array[] = []
  return {
    events,
    data,
    onData: (d) => { events.push('data'); data.push(d instanceof Uint8Array ? d : d.subarray()) },
    onRemoteCloseWrite: () => { events.push('end') },
    onRemoteCloseRead: () => { events.push('closeRead') },
    onRemoteReset: (err) => { events.push(`reset:${err?.name}`) },
    onSendReady: () => { events.push('ready') }
  }
}

function wired (options?: ConstructorParameters<typeof InMemoryLink>[0]): { link: InMemoryLink, from: ReturnType<typeof recorder>, to: ReturnType<typeof recorder> } {
  const link = new InMemoryLink(options)
  const from = recorder()
  const to = recorder()
  link.from = from
  link.to = to
  return { link, from, to }
}

/**
 * Resolves after the link's own deliveries queued so far (it delivers on
 * setImmediate: an immediate queued after it runs after it, in order, where a
 * 0 ms timer can come first under load).
 */
async function immediate (): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
}

describe('InMemoryLink', () => {
  it('delivers data then the end, in order, on the next macrotask', async () => {
    const { link, to } = wired()
    link.send(new Uint8ArrayList(Uint8Array.of(1)))
    link.send(new Uint8ArrayList(Uint8Array.of(2)))
    link.end()
    for (let i = 0; i < 10; i++) {
      await Promise.resolve()
    }
    expect(to.events).to.deep.equal([], 'not on a microtask')
    await immediate()
    expect(to.events).to.deep.equal(['data', 'data', 'end'])
    expect(to.data).to.deep.equal([Uint8Array.of(1), Uint8Array.of(2)])
  })

  it('reports full at maxInFlightBytes and ready once delivered', async () => {
    const { link, from } = wired({ maxInFlightBytes: 4 })
    expect(link.send(new Uint8ArrayList(new Uint8Array(3))).canSendMore).to.equal(true)
    expect(link.send(new Uint8ArrayList(new Uint8Array(3))).canSendMore).to.equal(false)
    expect(link.inFlight).to.equal(6)
    await immediate()
    expect(link.inFlight).to.equal(0)
    expect(from.events).to.deep.equal(['ready'])
  })

  it('takes nothing while the receiver has paused it', async () => {
    const { link, from, to } = wired()
    link.pause()
    expect(link.send(new Uint8ArrayList(new Uint8Array(3)))).to.deep.equal({ sentBytes: 0, canSendMore: false })
    link.resume()
    await immediate()
    expect(from.events).to.deep.equal(['ready'])
    expect(to.events).to.deep.equal([])
  })

  it('drops what is in flight on reset and tells the receiver', async () => {
    const { link, to } = wired({ delay: 20 })
    link.send(new Uint8ArrayList(new Uint8Array(3)))
    link.reset()
    await delay(40)
    expect(to.events).to.deep.equal(['reset:StreamResetError'])
  })

  it('tells the sender when the receiver closes its read side', async () => {
    const { link, from } = wired()
    link.closeRead()
    await immediate()
    expect(from.events).to.deep.equal(['closeRead'])
  })

  it('waits `delay` ms per delivery', async () => {
    const { link, to } = wired({ delay: 30 })
    const at: number[] = []
    const onData = to.onData
    to.onData = (d) => { at.push(Date.now()); onData(d) }
    const sent = [Date.now()]
    link.send(new Uint8ArrayList(Uint8Array.of(1)))
    await delay(10)
    sent.push(Date.now())
    link.send(new Uint8ArrayList(Uint8Array.of(2)))
    const deadline = Date.now() + 2000
    while (at.length < 2 && Date.now() < deadline) await delay(5)
    expect(to.data).to.deep.equal([Uint8Array.of(1), Uint8Array.of(2)])
    // each delivery waits its own delay from its send (timers may fire up to 1 ms early by Date.now)
    expect(at[0] - sent[0]).to.be.at.least(29)
    expect(at[1] - sent[1]).to.be.at.least(29)
  })
})
