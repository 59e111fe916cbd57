/**
 * The link emulator measured through real TCP in two namespaces: the delay
 * shows in round trips, loss costs retransmissions but not bytes, a cut
 * stops traffic and a heal restores it on the same connection, and the
 * namespaces go away with the emulator, even when its parent is killed.
 * Root only.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { JsonChild, NetnsLink, netnsUnavailable } from '../src/index.js'

const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'netns-probe.js')
const namespaces = (): string[] => spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map(l => l.split(' ')[0]).filter(Boolean)

describe('NetnsLink: an emulated link between two network namespaces', function () {
  this.timeout(30_000)
  let link: NetnsLink
  let server: JsonChild
  const children: JsonChild[] = []
  const run = (side: 'a' | 'b', ...args: string[]): JsonChild => {
    const child = new JsonChild([...link.exec(side), process.execPath, probe, ...args])
    children.push(child)
    return child
  }

  before(async function () {
    const reason = netnsUnavailable()
    if (reason != null) {
      console.warn(`      skipped: ${reason}`) // eslint-disable-line no-console
      this.skip()
    }
    link = await NetnsLink.open()
    server = run('a', 'serve', link.addressA)
    await server.next(l => l.ready === true, 10_000)
  })
  afterEach(async () => {
    await Promise.all(children.splice(1).map(async c => { await c.stop() }))
    await link?.set({ delay: 0, loss: 0, cut: false })
  })
  after(async () => {
    await Promise.all(children.splice(0).map(async c => { await c.stop() }))
    await link?.close()
  })

  it('a one-way delay D makes each round trip take about 2D', async () => {
    await link.set({ delay: 40 })
    const { rtts } = await run('b', 'rtt', link.addressA, '8').next(l => l.rtts != null, 15_000)
    const sorted = [...rtts].sort((x: number, y: number) => x - y)
    expect(sorted[0], `round trips ${rtts.map(Math.round).join(', ')} ms`).to.be.at.least(80)
    expect(sorted[Math.floor(sorted.length / 2)], 'median round trip').to.be.below(80 + 60) // the emulator adds little beyond the delay
  })

  it('2% loss each way: a 4 MiB TCP transfer arrives whole, with retransmissions; the drops show in the counters', async () => {
    await link.set({ delay: 2, loss: 2 })
    const before = await link.stats()
    const retransmitted = link.tcpRetransmits('b')
    const result = await run('b', 'send', link.addressA, String(4 * 1024 * 1024)).next(l => l.count != null, 25_000)
    const after = await link.stats()
    expect(result.count).to.equal(4 * 1024 * 1024)
    expect(result.hash).to.equal(result.expected)
    expect(link.tcpRetransmits('b') - retransmitted, 'TCP segments retransmitted by the sender').to.be.above(0)
    if (link.mode === 'userspace') {
      const lost = (after.stats.ba?.lost ?? 0) - (before.stats.ba?.lost ?? 0)
      const forwarded = (after.stats.ba?.forwarded ?? 0) - (before.stats.ba?.forwarded ?? 0)
      expect(lost, 'packets dropped b to a').to.be.above(0)
      expect(lost / (lost + forwarded), 'share dropped b to a').to.be.within(0.005, 0.05)
    }
  })

  it('a cut fails round trips within their deadline; after the heal the same connection works again', async () => {
    const hold = run('b', 'hold', link.addressA)
    await hold.next(l => l.ok === true, 10_000)
    await link.cut()
    const cutAt = hold.lines.length
    const failed = await hold.next(l => l.ok === false, 5_000, cutAt)
    expect(failed.took).to.be.below(1_500)
    expect((await link.stats()).cut).to.equal(true)
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(hold.lines.slice(cutAt + 1).every(l => l.ok === false), 'nothing crosses during the cut').to.equal(true)
    await link.heal()
    // TCP retransmits on its backoff (up to a few seconds after a short cut)
    await hold.next(l => l.ok === true, 10_000, hold.lines.length)
  })

  it('rejects a bad setting and keeps the old one', async () => {
    const err = await link.set({ loss: 150 }).then(() => undefined, (e: Error) => e)
    expect(err?.name).to.equal('NetnsLinkError')
    expect((await link.stats()).loss).to.equal(0)
  })

  it('the namespaces go when the link closes, and when the process that opened it is killed', async () => {
    const other = await NetnsLink.open()
    expect(namespaces()).to.include.members([other.nsA, other.nsB])
    await other.close()
    expect(namespaces()).to.not.include.members([other.nsA])
    expect(namespaces()).to.not.include.members([other.nsB])

    const index = pathToIndex()
    const opener = new JsonChild([process.execPath, '--input-type=module', '-e',
      `const { NetnsLink } = await import(${JSON.stringify(index)}); const l = await NetnsLink.open(); console.log(JSON.stringify({ nsA: l.nsA, nsB: l.nsB })); setInterval(() => {}, 1000)`])
    children.push(opener)
    const { nsA, nsB } = await opener.next(l => l.nsA != null, 10_000)
    expect(namespaces()).to.include.members([nsA, nsB])
    await opener.stop('SIGKILL')
    const deadline = Date.now() + 5_000
    while (namespaces().some(ns => ns === nsA || ns === nsB) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    expect(namespaces()).to.not.include(nsA)
    expect(namespaces()).to.not.include(nsB)
  })
})

function pathToIndex (): string {
  return new URL('../src/index.js', import.meta.url).href
}
