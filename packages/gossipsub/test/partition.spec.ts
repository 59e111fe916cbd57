/**
 * Recovery after a network partition heals, in one process over the memory
 * transport (the netns fault tests in packages/compliance run single
 * listener/pinger processes; these need six nodes with gossipsub). The
 * partition closes every connection between the two sides and a connection
 * gater refuses new ones both ways until the heal; after it, one link is
 * dialled again (what discovery would do) and the mesh must re-form.
 */
import { expect } from 'chai'
import { connect, gossipNodeWith, stopNodes, until } from './fixtures.js'
import type { GossipNode } from './fixtures.js'
import type { PeerId } from '@ts-libp2p/interface'

describe('gossipsub: partition and heal', function () {
  this.timeout(30_000)
  afterEach(stopNodes)

  it('a message published on one side during the partition stays there; after the heal the mesh re-forms and messages reach the other side', async () => {
    const side = new Map<string, 'a' | 'b'>()
    let partitioned = false
    const gater = (self: () => PeerId | undefined) => {
      const cross = (peer: PeerId): boolean => {
        const me = self()
        return partitioned && me != null && side.get(me.toString()) !== side.get(peer.toString())
      }
      return {
        denyDialPeer: async (peer: PeerId) => cross(peer),
        denyInboundEncryptedConnection: async (peer: PeerId) => cross(peer),
        denyOutboundEncryptedConnection: async (peer: PeerId) => cross(peer)
      }
    }
    const make = async (s: 'a' | 'b'): Promise<GossipNode> => {
      let id: PeerId | undefined
      const n = await gossipNodeWith({ connectionGater: gater(() => id) })
      id = n.peerId
      side.set(n.peerId.toString(), s)
      return n
    }
    const a = [await make('a'), await make('a'), await make('a')]
    const b = [await make('b'), await make('b'), await make('b')]
    for (const group of [a, b]) {
      await connect(group[0], group[1])
      await connect(group[1], group[2])
      await connect(group[2], group[0])
    }
    await connect(a[0], b[0])
    const received = new Map<GossipNode, string[]>()
    for (const n of [...a, ...b]) {
      received.set(n, [])
      n.services.pubsub.addEventListener('message', (evt: any) => { received.get(n)?.push(new TextDecoder().decode(evt.detail.data)) })
      n.services.pubsub.subscribe('t')
    }
    await until(() => b[0].services.pubsub.getMeshPeers('t').some(p => p.equals(a[0].peerId)), 10_000, 'the first mesh across the sides')

    // partition
    partitioned = true
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
    partitioned = false
    await connect(b[2], a[1])
    await until(() => a[1].services.pubsub.getMeshPeers('t').some(p => p.equals(b[2].peerId)), 10_000, 'the mesh to re-form across the sides')
    await a[2].services.pubsub.publish('t', new TextEncoder().encode('after a'))
    await b[1].services.pubsub.publish('t', new TextEncoder().encode('after b'))
    await until(() => b.every(n => received.get(n)?.includes('after a') === true), 10_000, "side b to get side a's message")
    await until(() => a.every(n => received.get(n)?.includes('after b') === true), 10_000, "side a to get side b's message")
  })
})
