import { MemoryDatastore } from 'datastore-core'
import { countingMemoryScope } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { STORE_ENTRY_OVERHEAD, STORE_MEMORY_HEADROOM } from '../src/constants.js'
import { MessageType, PROTOCOL } from '../src/index.js'
import { messageChannel } from '../src/message.js'
import { Providers } from '../src/providers.js'
import { RecordStore } from '../src/record-store.js'
import { StoreMemory } from '../src/store-memory.js'
import { dhtNode, eventually, plainNode, stopNodes } from './fixtures.js'
import type { DHTMessage } from '../src/message.js'
import type { DHTNode } from './fixtures.js'
import type { Libp2pNode } from '@ts-libp2p/libp2p'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const empty = { closerPeers: [], providerPeers: [] }

const scope = countingMemoryScope

async function ask (client: Libp2pNode<any>, server: DHTNode, request: DHTMessage): Promise<DHTMessage> {
  const stream = await client.dialProtocol(server.getMultiaddrs()[0], PROTOCOL)
  const channel = messageChannel(stream)
  await channel.write(request)
  const out = await channel.read({ signal: AbortSignal.timeout(2_000) })
  await stream.close()
  return out
}

async function rejected (promise: Promise<unknown>): Promise<boolean> {
  return await promise.then(() => false, () => true)
}

describe('store memory', () => {
  it('charges each entry once at its size, replaces a charge, releases on delete and on releaseAll; refuses what would not leave the headroom', () => {
    const memory = scope(1000 + 100)
    const store = new StoreMemory(memory, 100)
    store.charge('/a', 400)
    store.charge('/b', 300)
    expect(memory.used).to.equal(700)
    store.charge('/a', 500)
    expect(memory.used).to.equal(800)
    store.charge('/a', 200)
    expect(memory.used).to.equal(500)
    // 500 + 501 + 100 headroom > 1100: refused, nothing charged
    expect(() => { store.charge('/c', 501) }).to.throw().with.property('name', 'ResourceLimitError')
    expect(memory.used).to.equal(500)
    store.charge('/c', 500)
    expect(store.total).to.equal(1000)
    store.release('/b')
    store.release('/unknown')
    expect(memory.used).to.equal(700)
    store.releaseAll()
    expect(memory.used).to.equal(0)
    expect(store.total).to.equal(0)
  })

  it('the record store charges a record at about its encoded size and returns it when it is deleted, expires on read or is swept', async () => {
    const memory = scope()
    let now = 1_000_000
    const records = new RecordStore(new MemoryDatastore(), { maxRecordAge: 1000, now: () => now, memory: new StoreMemory(memory, 0) })
    await records.put(enc('/test/a'), new Uint8Array(300))
    expect(memory.used).to.be.within(300 + STORE_ENTRY_OVERHEAD, 300 + STORE_ENTRY_OVERHEAD + 120)
    const one = memory.used
    // a replacement is charged once
    await records.put(enc('/test/a'), new Uint8Array(300))
    expect(memory.used).to.equal(one)
    await records.put(enc('/test/b'), new Uint8Array(300))
    await records.put(enc('/test/c'), new Uint8Array(300))
    expect(memory.used).to.equal(3 * one)
    await records.delete(enc('/test/a'))
    expect(memory.used).to.equal(2 * one)
    now += 2000
    expect(await records.get(enc('/test/b'))).to.equal(undefined)
    expect(memory.used).to.equal(one)
    expect(await records.sweep()).to.equal(1)
    expect(memory.used).to.equal(0)
  })

  it('a refused record is not stored', async () => {
    const memory = scope(500)
    const datastore = new MemoryDatastore()
    const records = new RecordStore(datastore, { memory: new StoreMemory(memory, 0) })
    await records.put(enc('/test/a'), new Uint8Array(100))
    let error: Error | undefined
    try {
      await records.put(enc('/test/b'), new Uint8Array(400))
    } catch (err: any) {
      error = err
    }
    expect(error?.name).to.equal('ResourceLimitError')
    expect(await records.get(enc('/test/b'))).to.equal(undefined)
    expect(await records.get(enc('/test/a'))).to.not.equal(undefined)
  })

  it('the provider store charges each entry with its addresses, once per peer and key, and returns it on eviction, expiry and sweep', async () => {
    const memory = scope()
    let now = 1_000_000
    const providers = new Providers(new MemoryDatastore(), { ttl: 1000, maxPerKey: 2, now: () => now, memory: new StoreMemory(memory, 0) })
    const key = (await sha256.digest(enc('x'))).bytes
    const addr = new Uint8Array(50)
    await providers.add(key, 'peerA', [addr])
    const one = memory.used
    expect(one).to.be.greaterThan(2 * addr.byteLength + STORE_ENTRY_OVERHEAD)
    await providers.add(key, 'peerA', [addr])
    expect(memory.used).to.equal(one)
    await providers.add(key, 'peerB', [addr])
    now += 1
    // the key is full (maxPerKey 2): peerC pushes out the oldest, whose charge is returned
    await providers.add(key, 'peerC', [addr])
    expect(memory.used).to.equal(2 * one)
    expect((await providers.get(key)).map(p => p.peer).sort()).to.deep.equal(['peerB', 'peerC'])
    now += 2000
    expect(await providers.get(key)).to.deep.equal([])
    expect(memory.used).to.equal(0)
    const other = (await sha256.digest(enc('y'))).bytes
    await providers.add(other, 'peerA', [])
    expect(memory.used).to.be.greaterThan(0)
    now += 2000
    expect(await providers.sweep()).to.equal(1)
    expect(memory.used).to.equal(0)
  })
})

describe('kad-dht stores and the resource manager', () => {
  afterEach(stopNodes)

  it('PUT_VALUE past the service scope is refused (stream reset, nothing stored), the server keeps answering, and stop returns the charge', async () => {
    const server = await dhtNode({ validators: { test: () => {} } }, { resourceManager: { limits: { services: { 'kad-dht': { memory: STORE_MEMORY_HEADROOM + 4000 } } } } })
    const client = await plainNode()
    const rm = server.components.resourceManager
    let stored = 0
    let refusedAt = -1
    for (let i = 0; i < 40; i++) {
      const key = enc(`/test/${i}`)
      const ok = !await rejected(ask(client, server, { type: MessageType.PUT_VALUE, key, record: { key, value: new Uint8Array(400), timeReceived: '' }, ...empty }))
      if (!ok) {
        refusedAt = i
        break
      }
      stored++
    }
    expect(stored).to.be.greaterThan(2)
    expect(refusedAt).to.equal(stored)
    const charged = rm.stat().services['kad-dht'].memory
    expect(charged).to.be.within(stored * 400, 4000)
    // the refused record is absent, the stored ones are served, other requests are answered
    const refusedKey = enc(`/test/${refusedAt}`)
    expect((await ask(client, server, { type: MessageType.GET_VALUE, key: refusedKey, ...empty })).record).to.equal(undefined)
    expect((await ask(client, server, { type: MessageType.GET_VALUE, key: enc('/test/0'), ...empty })).record?.value.byteLength).to.equal(400)
    expect((await ask(client, server, { type: MessageType.FIND_NODE, key: client.peerId.toMultihash().bytes, ...empty })).type).to.equal(MessageType.FIND_NODE)
    expect(rm.stat().services['kad-dht'].memory).to.equal(charged)
    await server.stop()
    expect(rm.stat().services['kad-dht']?.memory ?? 0).to.equal(0)
  })

  it('ADD_PROVIDER past the service scope is not stored; the provider store is charged per entry', async () => {
    const server = await dhtNode({}, { resourceManager: { limits: { services: { 'kad-dht': { memory: STORE_MEMORY_HEADROOM + 2000 } } } } })
    const client = await plainNode()
    const rm = server.components.resourceManager
    const addr = new Uint8Array(20)
    const keys: Uint8Array[] = []
    for (let i = 0; i < 20; i++) {
      const key = CID.createV1(0x55, await sha256.digest(enc(`p${i}`))).multihash.bytes
      keys.push(key)
      const stream = await client.dialProtocol(server.getMultiaddrs()[0], PROTOCOL)
      await messageChannel(stream).write({ type: MessageType.ADD_PROVIDER, key, closerPeers: [], providerPeers: [{ id: client.peerId.toMultihash().bytes, addrs: [addr], connection: 0 }] })
      await stream.close().catch(() => {})
    }
    let held = 0
    expect(await eventually(async () => {
      held = 0
      for (const key of keys) {
        const res = await ask(client, server, { type: MessageType.GET_PROVIDERS, key, ...empty })
        held += res.providerPeers.length
      }
      return held > 0 && rm.stat().services['kad-dht'].memory > 0
    })).to.equal(true)
    // some were stored, the rest refused; what is charged stays under the scope's share left for the stores
    expect(held).to.be.greaterThan(0)
    expect(held).to.be.lessThan(keys.length)
    expect(rm.stat().services['kad-dht'].memory).to.be.within(held * 100, 2000)
    await server.stop()
    expect(rm.stat().services['kad-dht']?.memory ?? 0).to.equal(0)
  })
})
