/**
 * Recovery after a network partition heals, in one process over the memory
 * transport (the netns fault tests in packages/compliance run single
 * listener/pinger processes; these need six nodes with gossipsub). The
 * partition closes every connection between the two sides and a connection
 * gater refuses new ones both ways until the heal; after it, one link is
 * dialled again (what discovery would do) and the mesh must re-form.
 */
import { expect } from 'chai'
import { Partition } from '@ts-libp2p/test-utils'
import { connect, gossipNodeWith, stopNodes, until } from './fixtures.js'
import type { GossipNode } from './fixtures.js'

describe('gossipsub: partition and heal', function () {
  this.timeout(30_000)
  afterEach(stopNodes)

  it('a message published on one side during the partition stays there; after the heal the mesh re-forms and messages reach the other side', async () => {
    const partition = new Partition()
    const { a, b } = await partition.build(async (connectionGater) => await gossipNodeWith({ connectionGater }), connect)
    const received = new Map<GossipNode, string[]>()
    for (const n of [...a, ...b]) {
      received.set(n, [])
      n.services.pubsub.addEventListener('message', (evt: any) => { received.get(n)?.push(new TextDecoder().decode(evt.detail.data)) })
      n.services.pubsub.subscribe('t')
    }
    await until(() => b[0].services.pubsub.getMeshPeers('t').some(p => p.equals(a[0].peerId)), 10_000, 'the first mesh across the sides')

    // partition
    partition.partitioned = true
    await a[0].hangUp(b[0].peerId)
    await until(() => a[0].getConnections(b[0].peerId).length === 0 && b[0].getConnections(a[0].peerId).length === 0, 5_000, 'the cross link to close')
    const refused = await a[1].dial(b[1].getMultiaddrs()[0]).then(() => false, () => true)
    expect(refused).to.equal(true)
    await a[2].services.pubsub.publish('t', new TextEncoder().encode('during'))
    await until(() => a.every(n => n === a[2] || received.get(n)?.includes('during') === true), 5_000, 'side a to get the partition message')
    // several heartbeats: nothing may leak across
    await new Promise(resolve => setTimeout(resolve, 500))
    for (const n of b) expect(received.get(n)).to.not.include('during')

    // heal
    partition.partitioned = false
    await connect(b[2], a[1])
    await until(() => a[1].services.pubsub.getMeshPeers('t').some(p => p.equals(b[2].peerId)), 10_000, 'the mesh to re-form across the sides')
    await a[2].services.pubsub.publish('t', new TextEncoder().encode('after a'))
    await b[1].services.pubsub.publish('t', new TextEncoder().encode('after b'))
    await until(() => b.every(n => received.get(n)?.includes('after a') === true), 10_000, "side b to get side a's message")
    await until(() => a.every(n => received.get(n)?.includes('after b') === true), 10_000, "side a to get side b's message")
  })
})
