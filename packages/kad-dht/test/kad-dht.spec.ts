import { expect } from 'chai'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { all, connect, dhtNode, stopNodes } from './fixtures.js'

describe('kad-dht service', () => {
  afterEach(stopNodes)

  it('three nodes: put/get, provide/findProviders, findPeer', async () => {
    const a = await dhtNode({ validators: { test: () => {} } })
    const b = await dhtNode({ validators: { test: () => {} } })
    const c = await dhtNode({ validators: { test: () => {} } })
    await connect(a, b)
    await connect(b, c)
    const key = new TextEncoder().encode('/test/hello')
    await a.services.dht.put(key, new TextEncoder().encode('world'))
    const value = await c.services.dht.get(key)
    expect(new TextDecoder().decode(value)).to.equal('world')
    const cid = CID.createV1(0x55, await sha256.digest(new TextEncoder().encode('content')))
    await c.services.dht.provide(cid)
    const providers = await all(a.services.dht.findProviders(cid))
    expect(providers.map(p => p.id.toString())).to.include(c.peerId.toString())
    const found = await a.services.dht.findPeer(c.peerId)
    expect(found.multiaddrs.map(String)).to.include(c.getMultiaddrs()[0].toString().split('/p2p/')[0])
  })
})
