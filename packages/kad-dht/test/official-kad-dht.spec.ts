/**
 * Interop with the official js-libp2p DHT (@libp2p/kad-dht 16), run as a
 * service inside our node (its components are structurally compatible),
 * talking to our DHT over real plaintext + yamux connections: put/get and
 * provide/findProviders in both directions, and peer routing. Needs the
 * Promise.withResolvers polyfill on Node 20, hence the official-*.spec.ts name.
 */
import { kadDHT as officialKadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { identify } from '@ts-libp2p/identify'
import { ping } from '@ts-libp2p/ping'
import { expect } from 'chai'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { PROTOCOL } from '../src/index.js'
import { all, dhtNode, eventually, plainNode, stopNodes } from './fixtures.js'
import type { DHTNode } from './fixtures.js'
import type { Libp2pNode } from '@ts-libp2p/libp2p'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const accept = { test: async (): Promise<void> => {} }
const first = { test: (): number => 0 }

async function officialNode (): Promise<Libp2pNode<any>> {
  return await plainNode<any>({
    services: {
      identify: identify(),
      ping: ping(),
      dht: officialKadDHT({ clientMode: false, peerInfoMapper: passthroughMapper, validators: accept, selectors: first }) as any
    }
  })
}

/**
 * Makes sure the official DHT has `peer` in its table. Its topology handler
 * reads the peer store when identify reports the protocols and drops a peer
 * whose addresses are not there yet; our identify stores the protocols
 * before the signed peer record's addresses, so the official table can miss
 * the peer (reported to the identify owner). We add it the way its own
 * topology handler would, once the addresses are known.
 */
async function officialKnows (official: Libp2pNode<any>, peer: Libp2pNode<any>): Promise<void> {
  expect(await eventually(async () => ((await official.peerStore.get(peer.peerId).catch(() => undefined))?.addresses.length ?? 0) > 0)).to.equal(true)
  if (await official.services.dht.routingTable.find(peer.peerId) == null) await official.services.dht.routingTable.add(peer.peerId)
  expect(await eventually(async () => (await official.services.dht.routingTable.find(peer.peerId)) != null), 'theirs has ours').to.equal(true)
}

async function pair (): Promise<{ ours: DHTNode, theirs: Libp2pNode<any> }> {
  // the official DHT pings a new contact (with /ipfs/ping/1.0.0) before adding it
  const ours = await dhtNode({ validators: accept, selectors: first }, { services: { ping: ping() } })
  const theirs = await officialNode()
  await ours.dial(theirs.getMultiaddrs()[0])
  // each side learns through identify that the other serves the DHT
  expect(await eventually(() => ours.services.dht.routingTable.has(theirs.peerId)), 'ours has theirs').to.equal(true)
  await officialKnows(theirs, ours)
  return { ours, theirs }
}

describe('interop with the official @libp2p/kad-dht', function () {
  this.timeout(20_000)
  afterEach(stopNodes)

  it('speaks the same protocol id', async () => {
    const theirs = await officialNode()
    expect(theirs.services.dht.protocol ?? PROTOCOL).to.equal(PROTOCOL)
  })

  it('ours puts, theirs gets; theirs puts, ours gets', async () => {
    const { ours, theirs } = await pair()
    await ours.services.dht.put(enc('/test/from-ours'), enc('hello from ts'))
    let got: Uint8Array | undefined
    for await (const event of theirs.services.dht.get(enc('/test/from-ours'))) {
      if (event.name === 'VALUE') got = event.value
    }
    expect(new TextDecoder().decode(got)).to.equal('hello from ts')

    for await (const _ of theirs.services.dht.put(enc('/test/from-theirs'), enc('hello from js'))) { /* drain */ }
    expect(await eventually(async () => (await ours.services.dht.get(enc('/test/from-theirs'), { useCache: true }).catch(() => undefined)) != null)).to.equal(true)
    // make sure it came over the wire into our store, not from a cache of the put path
    expect(new TextDecoder().decode(await ours.services.dht.get(enc('/test/from-theirs')))).to.equal('hello from js')
  })

  it('ours provides, theirs finds; theirs provides, ours finds', async () => {
    const { ours, theirs } = await pair()
    const a = CID.createV1(0x55, await sha256.digest(enc('provided by ts')))
    await ours.services.dht.provide(a)
    const found: string[] = []
    for await (const event of theirs.services.dht.findProviders(a)) {
      if (event.name === 'PROVIDER') found.push(...event.providers.map((p: any) => p.id.toString()))
    }
    expect(found).to.include(ours.peerId.toString())

    const b = CID.createV1(0x55, await sha256.digest(enc('provided by js')))
    for await (const _ of theirs.services.dht.provide(b)) { /* drain */ }
    const providers = await all(ours.services.dht.findProviders(b, { useCache: false }))
    expect(providers.map(p => p.id.toString())).to.include(theirs.peerId.toString())
  })

  it('both find a third peer through the other', async () => {
    const { ours, theirs } = await pair()
    const third = await dhtNode({}, { services: { ping: ping() } })
    await third.dial(theirs.getMultiaddrs()[0])
    await officialKnows(theirs, third)
    const info = await ours.services.dht.findPeer(third.peerId)
    expect(info.multiaddrs.length).to.be.greaterThan(0)

    const fourth = await officialNode()
    await fourth.dial(ours.getMultiaddrs()[0])
    expect(await eventually(() => ours.services.dht.routingTable.has(fourth.peerId))).to.equal(true)
    let addrs: unknown[] = []
    for await (const event of theirs.services.dht.findPeer(fourth.peerId)) {
      if (event.name === 'FINAL_PEER') addrs = event.peer.multiaddrs
    }
    expect(addrs.length).to.be.greaterThan(0)
  })
})
