import { expect } from 'chai'
import { MemoryDatastore } from 'datastore-core'
import { Providers } from '../src/providers.js'

const key = Uint8Array.of(0x12, 0x20, ...new Uint8Array(32).fill(7))

describe('provider store', () => {
  it('adds, lists newest first and replaces a provider\'s older record', async () => {
    let now = 1_000
    const providers = new Providers(new MemoryDatastore(), { now: () => now })
    await providers.add(key, 'peerA', [Uint8Array.of(1)])
    now += 10
    await providers.add(key, 'peerB', [])
    now += 10
    await providers.add(key, 'peerA', [Uint8Array.of(2)])
    const list = await providers.get(key)
    expect(list.map(p => p.peer)).to.deep.equal(['peerA', 'peerB'])
    expect(list[0].addrs).to.deep.equal([Uint8Array.of(2)])
  })

  it('expires records after the TTL and serves addresses only within the addresses TTL', async () => {
    let now = 0
    const providers = new Providers(new MemoryDatastore(), { now: () => now, ttl: 100, addrsTtl: 10 })
    await providers.add(key, 'peerA', [Uint8Array.of(1)])
    now = 5
    expect((await providers.get(key))[0].addrs.length).to.equal(1)
    now = 50
    expect((await providers.get(key))[0].addrs.length).to.equal(0)
    now = 101
    expect(await providers.get(key)).to.deep.equal([])
  })

  it('persists in the datastore: a new store (a restarted node) sees the records; sweep deletes the expired ones', async () => {
    let now = 0
    const datastore = new MemoryDatastore()
    await new Providers(datastore, { now: () => now, ttl: 100 }).add(key, 'peerA', [])
    const restarted = new Providers(datastore, { now: () => now, ttl: 100 })
    expect((await restarted.get(key)).map(p => p.peer)).to.deep.equal(['peerA'])
    now = 200
    expect(await restarted.sweep()).to.equal(1)
    expect(await new Providers(datastore, { now: () => now }).get(key)).to.deep.equal([])
  })

  it('bounds providers per key (the oldest gives way) and keys held in memory', async () => {
    let now = 0
    const datastore = new MemoryDatastore()
    const providers = new Providers(datastore, { now: () => now++, maxPerKey: 3, cacheSize: 2 })
    for (const p of ['a', 'b', 'c', 'd']) await providers.add(key, p, [])
    expect((await providers.get(key)).map(p => p.peer).sort()).to.deep.equal(['b', 'c', 'd'])
    // other keys push this one out of memory; it comes back from the datastore
    await providers.add(Uint8Array.of(1), 'x', [])
    await providers.add(Uint8Array.of(2), 'y', [])
    expect((await providers.get(key)).map(p => p.peer).sort()).to.deep.equal(['b', 'c', 'd'])
  })
})
