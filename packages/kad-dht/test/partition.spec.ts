/**
 * Recovery after a network partition heals, in one process over the memory
 * transport (the netns fault tests in packages/compliance run single
 * listener/pinger processes; this needs six DHT nodes). The partition closes
 * every connection between the two sides and a connection gater refuses new
 * ones both ways until the heal; after it, one link is dialled again (what
 * discovery would do) and lookups must cross it.
 */
import { expect } from 'chai'
import { connect, dhtNode, stopNodes } from './fixtures.js'
import type { DHTNode } from './fixtures.js'
import type { PeerId } from '@ts-libp2p/interface'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('kad-dht: partition and heal', function () {
  this.timeout(30_000)
  afterEach(stopNodes)

  it('a value put on one side during the partition is not found on the other; after the heal put/get work across the former partition both ways', async () => {
    const side = new Map<string, 'a' | 'b'>()
    let partitioned = false
    const make = async (s: 'a' | 'b'): Promise<DHTNode> => {
      let self: PeerId | undefined
      const cross = async (peer: PeerId): Promise<boolean> => partitioned && self != null && side.get(self.toString()) !== side.get(peer.toString())
      const n = await dhtNode({ validators: { test: () => {} }, queryTimeout: 5_000 }, {
        connectionGater: { denyDialPeer: cross, denyInboundEncryptedConnection: cross, denyOutboundEncryptedConnection: cross }
      })
      self = n.peerId
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

    // partition
    partitioned = true
    await a[0].hangUp(b[0].peerId)
    expect(await a[1].dial(b[1].getMultiaddrs()[0]).then(() => false, () => true)).to.equal(true)
    await a[1].services.dht.put(enc('/test/during'), enc('from side a'))
    expect(dec(await a[2].services.dht.get(enc('/test/during')))).to.equal('from side a')
    const missing = await b[1].services.dht.get(enc('/test/during')).then(() => undefined, (e: Error) => e)
    expect(missing?.name).to.equal('NotFoundError')

    // heal
    partitioned = false
    await connect(b[2], a[1])
    expect(dec(await b[1].services.dht.get(enc('/test/during'), { useCache: false }))).to.equal('from side a')
    await b[0].services.dht.put(enc('/test/after'), enc('from side b'))
    expect(dec(await a[2].services.dht.get(enc('/test/after'), { useCache: false }))).to.equal('from side b')
  })
})
