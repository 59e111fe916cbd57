/**
 * Recovery after a network partition heals, in one process over the memory
 * transport (the netns fault tests in packages/compliance run single
 * listener/pinger processes; this needs six DHT nodes). The partition closes
 * every connection between the two sides and a connection gater refuses new
 * ones both ways until the heal; after it, one link is dialled again (what
 * discovery would do) and lookups must cross it.
 */
import { expect } from 'chai'
import { Partition } from '@ts-libp2p/test-utils'
import { connect, dhtNode, stopNodes } from './fixtures.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('kad-dht: partition and heal', function () {
  this.timeout(30_000)
  afterEach(stopNodes)

  it('a value put on one side during the partition is not found on the other; after the heal put/get work across the former partition both ways', async () => {
    const partition = new Partition()
    const { a, b } = await partition.build(async (connectionGater) => await dhtNode({ validators: { test: () => {} }, queryTimeout: 5_000 }, { connectionGater }), connect)

    // partition
    partition.partitioned = true
    await a[0].hangUp(b[0].peerId)
    expect(await a[1].dial(b[1].getMultiaddrs()[0]).then(() => false, () => true)).to.equal(true)
    await a[1].services.dht.put(enc('/test/during'), enc('from side a'))
    expect(dec(await a[2].services.dht.get(enc('/test/during')))).to.equal('from side a')
    const missing = await b[1].services.dht.get(enc('/test/during')).then(() => undefined, (e: Error) => e)
    expect(missing?.name).to.equal('NotFoundError')

    // heal
    partition.partitioned = false
    await connect(b[2], a[1])
    expect(dec(await b[1].services.dht.get(enc('/test/during'), { useCache: false }))).to.equal('from side a')
    await b[0].services.dht.put(enc('/test/after'), enc('from side b'))
    expect(dec(await a[2].services.dht.get(enc('/test/after'), { useCache: false }))).to.equal('from side b')
  })
})
