/**
 * A network partition and its heal across network namespaces, with real node
 * processes: three nodes (tcp + noise + yamux, identify, our kad-dht and
 * gossipsub) in one process in namespace a, three in another in namespace b,
 * the sides joined by one emulated link (NetnsLink from test-utils: kernel
 * netem where the kernel has it, otherwise the userspace TUN forwarder). The
 * partition drops every packet on the link, so the cross connections die
 * by keep-alive as they would on a real network; the heal restores the link
 * and one node dials across again (what discovery would do). Root only.
 * The in-process versions (memory transport, a connection gater) are in
 * packages/kad-dht and packages/gossipsub. Listed in SECURITY-TESTS.md.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { JsonChild, NetnsLink, netnsUnavailable } from '@ts-libp2p/test-utils'
import { expect } from 'chai'

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'partition-group.js')
const NODES = 3

interface Side { child: JsonChild, nodes: Array<{ peerId: string, multiaddr: string }> }

describe('faults: partition and heal across network namespaces (kad-dht, gossipsub; separate processes)', function () {
  this.timeout(45_000)
  let link: NetnsLink | undefined
  const children: JsonChild[] = []
  let next = 0

  before(function () {
    const reason = netnsUnavailable()
    if (reason != null) {
      console.warn(`      skipped: ${reason}`) // eslint-disable-line no-console
      this.skip()
    }
  })
  after(async () => {
    await Promise.all(children.splice(0).map(async c => { await c.stop('SIGTERM') }))
    await link?.close()
  })

  async function call (side: Side, cmd: Record<string, unknown>, ms = 15_000): Promise<any> {
    const id = next++
    side.child.send({ id, ...cmd })
    const reply = await side.child.next(l => l.id === id, ms)
    if (reply.ok !== true) throw new Error(`${String(cmd.op)} failed: ${String(reply.error)}`)
    return reply
  }

  async function until (check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<number> {
    const started = Date.now()
    while (!(await check())) {
      if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    return Date.now() - started
  }

  const received = (side: Side, data: string): number[] =>
    side.child.lines.filter(l => l.event === 'message' && l.data === data).map(l => l.node)
  const allGot = (side: Side, data: string): boolean => new Set(received(side, data)).size === NODES
  const crossConnections = async (side: Side, other: Side): Promise<number> => {
    const ids = new Set(other.nodes.map(n => n.peerId))
    let n = 0
    for (let i = 0; i < NODES; i++) n += (await call(side, { op: 'state', node: i })).connections.filter((p: string) => ids.has(p)).length
    return n
  }
  const meshCrosses = async (side: Side, other: Side): Promise<boolean> => {
    const ids = new Set(other.nodes.map(n => n.peerId))
    for (let i = 0; i < NODES; i++) if ((await call(side, { op: 'state', node: i })).mesh.some((p: string) => ids.has(p))) return true
    return false
  }

  it('during a cut a DHT value and a gossipsub message stay on their side; after the heal both cross both ways within a bounded time', async () => {
    const started = Date.now()
    link = await NetnsLink.open({ addressA: '10.78.0.1/24', addressB: '10.78.0.2/24' })
    const spawnSide = async (side: 'a' | 'b', ip: string): Promise<Side> => {
      const child = new JsonChild([...link!.exec(side), process.execPath, fixture, ip, String(NODES)]) // eslint-disable-line @typescript-eslint/no-non-null-assertion
      children.push(child)
      const ready = await child.next(l => l.ready === true, 20_000)
      return { child, nodes: ready.nodes }
    }
    const [a, b] = await Promise.all([spawnSide('a', link.addressA), spawnSide('b', link.addressB)])

    // one cross link (b0 - a0); then the DHT and the mesh span both sides
    await call(b, { op: 'dial', node: 0, addr: a.nodes[0].multiaddr })
    await call(a, { op: 'put', node: 1, key: '/test/before', value: 'from side a, before' })
    expect((await call(b, { op: 'get', node: 2, key: '/test/before' })).value).to.equal('from side a, before')
    await until(async () => await meshCrosses(a, b) && await meshCrosses(b, a), 10_000, 'the mesh to span both sides')
    await call(a, { op: 'publish', node: 2, data: 'before' })
    await until(() => allGot(b, 'before'), 10_000, "side b to get side a's first message")
    const setup = Date.now() - started

    // partition: every packet dropped; the cross connections die by keep-alive
    const cutAt = Date.now()
    await link.cut()
    const noticed = await until(async () => await crossConnections(a, b) === 0 && await crossConnections(b, a) === 0, 10_000, 'the cross connections to end')
    await call(a, { op: 'put', node: 1, key: '/test/during', value: 'from side a, during' })
    expect((await call(a, { op: 'get', node: 2, key: '/test/during', timeout: 5_000 })).value).to.equal('from side a, during')
    const missing = await call(b, { op: 'get', node: 1, key: '/test/during', timeout: 3_000 })
    expect(missing.value, 'side b found a value put on side a during the cut').to.equal(undefined)
    expect(missing.error).to.be.oneOf(['NotFoundError', 'TimeoutError'])
    await call(a, { op: 'publish', node: 2, data: 'during' })
    await until(() => received(a, 'during').length === NODES - 1, 5_000, "side a's other nodes to get the partition message")
    await new Promise(resolve => setTimeout(resolve, 600)) // three heartbeats: nothing may cross
    expect(received(b, 'during'), 'side b got a message published on side a during the cut').to.deep.equal([])
    const cutFor = Date.now() - cutAt

    // heal: the link comes back and one node dials across (what discovery would do)
    const healedAt = Date.now()
    await link.heal()
    await call(b, { op: 'dial', node: 2, addr: a.nodes[1].multiaddr })
    expect((await call(b, { op: 'get', node: 1, key: '/test/during' })).value).to.equal('from side a, during')
    await call(b, { op: 'put', node: 0, key: '/test/after', value: 'from side b, after' })
    expect((await call(a, { op: 'get', node: 2, key: '/test/after' })).value).to.equal('from side b, after')
    expect((await call(a, { op: 'get', node: 0, key: '/test/before' })).value).to.equal('from side a, before')
    await until(async () => await meshCrosses(a, b) && await meshCrosses(b, a), 10_000, 'the mesh to re-form across the sides')
    await call(a, { op: 'publish', node: 2, data: 'after a' })
    await call(b, { op: 'publish', node: 1, data: 'after b' })
    await until(() => allGot(b, 'after a'), 10_000, "side b to get side a's message after the heal")
    await until(() => allGot(a, 'after b'), 10_000, "side a to get side b's message after the heal")
    const recovered = Date.now() - healedAt
    expect(recovered, 'recovery after the heal').to.be.below(15_000)
    console.info(`      ${link.mode} link; setup ${setup} ms, cut noticed in ${noticed} ms, cut held ${cutFor} ms, recovered in ${recovered} ms`) // eslint-disable-line no-console
  })
})
