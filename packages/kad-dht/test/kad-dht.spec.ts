import { expect } from 'chai'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { identify } from '@ts-libp2p/identify'
import { MessageType, PROTOCOL } from '../src/index.js'
import { messageChannel } from '../src/message.js'
import { all, connect, dhtNode, eventually, plainNode, stopNodes } from './fixtures.js'
import type { DHTMessage } from '../src/message.js'

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

describe('kad-dht against hostile and stale peers', () => {
  afterEach(stopNodes)

  it('lookups, gets and findPeer still work next to a peer that floods, lies and serves invalid records', async function () {
    this.timeout(20_000)
    const honest = [await dhtNode({ validators: { test: strict } }), await dhtNode({ validators: { test: strict } }), await dhtNode({ validators: { test: strict } }), await dhtNode({ validators: { test: strict } })]
    const hostile = await plainNode({ services: { identify: identify() } })
    let hostileRequests = 0
    await hostile.handle(PROTOCOL, async (stream) => {
      const channel = messageChannel(stream)
      try {
        while (true) {
          const request = await channel.read()
          hostileRequests++
          // thousands of closer peers with bogus ids and addresses, itself first
          const junk = Array.from({ length: 3000 }, (_, i) => ({ id: i % 2 === 0 ? Uint8Array.of(0x12, 0x20, i & 0xff) : randomPeerBytes(), addrs: [Uint8Array.of(0xde, 0xad, i & 0xff)], connection: 0 as const }))
          const self = { id: hostile.peerId.toMultihash().bytes, addrs: hostile.getMultiaddrs().map(a => a.bytes), connection: 1 as const }
          const response: DHTMessage = { type: request.type, key: request.key, closerPeers: [self, ...junk], providerPeers: [] }
          if (request.type === MessageType.GET_VALUE && request.key != null) response.record = { key: request.key, value: enc('not valid at all'), timeReceived: '' }
          await channel.write(response)
        }
      } catch {
        stream.abort(new Error('done'))
      }
    })
    for (const n of honest) await hostile.dial(n.getMultiaddrs()[0])
    await connect(honest[0], honest[1])
    await connect(honest[2], honest[3])
    await connect(honest[1], honest[2])
    expect(await eventually(() => honest.every(n => n.services.dht.routingTable.has(hostile.peerId)))).to.equal(true)

    const key = enc('/test/hostile')
    await honest[0].services.dht.put(key, enc('ok'))
    const started = Date.now()
    expect(new TextDecoder().decode(await honest[3].services.dht.get(key, { useCache: false }))).to.equal('ok')
    const found = await honest[3].services.dht.findPeer(honest[0].peerId, { useCache: false })
    expect(found.id.equals(honest[0].peerId)).to.equal(true)
    expect(Date.now() - started).to.be.lessThan(10_000)
    expect(hostileRequests).to.be.greaterThan(0)
  })

  it('sends the best record to peers that returned a worse one (entry correction)', async function () {
    this.timeout(20_000)
    const init = { validators: { test: strict }, selectors: { test: higher } }
    const nodes = [await dhtNode(init), await dhtNode(init), await dhtNode(init), await dhtNode(init)]
    for (let i = 1; i < nodes.length; i++) await connect(nodes[0], nodes[i])
    await eventually(() => nodes.every(n => n.services.dht.routingTable.size === nodes.length - 1))
    const key = enc('/test/counter')
    await nodes[1].services.dht.put(key, enc('1'))
    // a newer value reaches only node 2
    const client = await plainNode()
    const stream = await client.dialProtocol(nodes[2].getMultiaddrs()[0], PROTOCOL)
    const channel = messageChannel(stream)
    await channel.write({ type: MessageType.PUT_VALUE, key, record: { key, value: enc('2'), timeReceived: '' }, closerPeers: [], providerPeers: [] })
    await channel.read()
    await stream.close()

    expect(new TextDecoder().decode(await nodes[0].services.dht.get(key, { useCache: false }))).to.equal('2')
    // the others were corrected in the background
    expect(await eventually(async () => {
      for (const n of [nodes[1], nodes[3]]) {
        const local = await n.services.dht.get(key, { useNetwork: false }).catch(() => undefined)
        if (local == null || new TextDecoder().decode(local) !== '2') return false
      }
      return true
    })).to.equal(true)
  })

  it('put fails with QuorumNotMetError when nobody stores, get with NotFoundError when nobody has it', async () => {
    const lonely = await dhtNode({ validators: { test: strict } })
    const err = await lonely.services.dht.put(enc('/test/alone'), enc('x')).then(() => undefined, (e) => e)
    expect(err?.name).to.equal('QuorumNotMetError')
    const a = await dhtNode({ validators: { test: strict } })
    const b = await dhtNode({ validators: { test: strict } })
    await connect(a, b)
    const missing = await a.services.dht.get(enc('/test/missing')).then(() => undefined, (e) => e)
    expect(missing?.name).to.equal('NotFoundError')
    const invalid = await a.services.dht.put(enc('/test/x'), enc('far too long for the validator')).then(() => undefined, (e) => e)
    expect(invalid?.name).to.equal('InvalidRecordError')
  })

  it('is the node\'s content and peer routing, and refreshes and stops cleanly', async () => {
    const a = await dhtNode({ validators: { test: strict }, refreshInterval: 50, cleanupInterval: 50 })
    const b = await dhtNode({ validators: { test: strict } })
    const c = await dhtNode({ validators: { test: strict } })
    await connect(a, b)
    await connect(b, c)
    await a.contentRouting.put(enc('/test/routing'), enc('via'))
    expect(new TextDecoder().decode(await c.contentRouting.get(enc('/test/routing')))).to.equal('via')
    const info = await a.peerRouting.findPeer(c.peerId)
    expect(info.id.equals(c.peerId)).to.equal(true)
    const closest = await all(a.peerRouting.getClosestPeers(enc('anything')))
    expect(closest.map(p => p.id.toString()).sort()).to.deep.equal([b.peerId.toString(), c.peerId.toString()].sort())
    const before = a.services.dht.getStats().queries
    await new Promise(resolve => setTimeout(resolve, 200))
    // periodic refresh ran lookups on its own
    expect(a.services.dht.getStats().queries).to.be.greaterThan(before)
    await a.services.dht.refreshRoutingTable()
  })
})

/** Values of at most 8 bytes. */
function strict (_key: Uint8Array, value: Uint8Array): void {
  if (value.byteLength > 8) throw new Error('too long')
}

/** The value with the highest number wins. */
function higher (_key: Uint8Array, values: Uint8Array[]): number {
  let best = 0
  values.forEach((v, i) => { if (Number(new TextDecoder().decode(v)) > Number(new TextDecoder().decode(values[best]))) best = i })
  return best
}

function randomPeerBytes (): Uint8Array {
  return new Uint8Array([0x12, 0x20, ...crypto.getRandomValues(new Uint8Array(32))])
}

function enc (s: string): Uint8Array {
  return new TextEncoder().encode(s)
}
