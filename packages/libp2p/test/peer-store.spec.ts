import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromMultihash, peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@ts-libp2p/peer-record'
import { stubEvents } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { MemoryDatastore } from 'datastore-core'
import {
  MAX_METADATA_ENTRIES, MAX_TAGS_PER_PEER, PersistentPeerStore, peerIdFromKey, peerKey, persistentPeerStore
} from '../src/peer-store/index.js'
import type { StubEvents } from '@ts-libp2p/test-utils'
import type { Libp2pEvents, Peer, PeerId, PeerUpdate, PrivateKey } from '@ts-libp2p/interface'
import type { Datastore } from 'interface-datastore'

const addr1 = multiaddr('/ip4/192.0.2.1/tcp/4001')
const addr2 = multiaddr('/ip4/192.0.2.2/tcp/4001')
const addr3 = multiaddr('/ip6/2001:db8::1/udp/4001/quic-v1')

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const rejection = async (p: Promise<unknown>): Promise<any> => p.then(() => expect.fail('did not reject'), (err: Error) => err)

async function newPeer (): Promise<{ key: PrivateKey, id: PeerId }> {
  const key = await generateKeyPair('Ed25519')
  return { key, id: peerIdFromPrivateKey(key) }
}

describe('peer store', () => {
  let self: PeerId
  let events: StubEvents<Libp2pEvents>
  let datastore: Datastore
  let store: PersistentPeerStore
  let peer: { key: PrivateKey, id: PeerId }

  beforeEach(async () => {
    self = (await newPeer()).id
    events = stubEvents<Libp2pEvents>()
    datastore = new MemoryDatastore()
    store = persistentPeerStore({ peerId: self, datastore, events: events as any, logger: defaultLogger() })
    peer = await newPeer()
  })

  describe('save / get / has / delete / getInfo', () => {
    it('stores and reads back everything', async () => {
      expect(await store.has(peer.id)).to.equal(false)
      const saved = await store.save(peer.id, {
        multiaddrs: [addr1],
        addresses: [{ multiaddr: addr2, isCertified: true }],
        protocols: ['/b/1', '/a/1'],
        metadata: { agent: Uint8Array.from([1, 2]) },
        tags: new Map([['friend', { value: 50 }]])
      })
      const got = await store.get(peer.id)
      for (const p of [saved, got]) {
        expect(p.id.equals(peer.id)).to.equal(true)
        expect(p.addresses.map(a => [a.multiaddr.toString(), a.isCertified])).to.deep.equal([[addr2.toString(), true], [addr1.toString(), false]])
        expect(p.protocols).to.deep.equal(['/a/1', '/b/1'])
        expect(p.metadata.get('agent')).to.deep.equal(Uint8Array.from([1, 2]))
        expect(p.tags.get('friend')).to.deep.equal({ value: 50 })
      }
      expect(await store.has(peer.id)).to.equal(true)
      const info = await store.getInfo(peer.id)
      expect(info.id.equals(peer.id)).to.equal(true)
      expect(info.multiaddrs.map(String)).to.deep.equal([addr2.toString(), addr1.toString()])
    })

    it('get() and getInfo() fail with NotFoundError for an unknown peer', async () => {
      expect(await rejection(store.get(peer.id))).to.have.property('name', 'NotFoundError')
      expect(await rejection(store.getInfo(peer.id))).to.have.property('name', 'NotFoundError')
    })

    it('save() replaces everything', async () => {
      await store.save(peer.id, { multiaddrs: [addr1], protocols: ['/a/1'], metadata: { k: Uint8Array.from([1]) }, tags: { t: {} } })
      const p = await store.save(peer.id, { protocols: ['/b/1'] })
      expect(p.addresses).to.deep.equal([])
      expect(p.protocols).to.deep.equal(['/b/1'])
      expect(p.metadata.size).to.equal(0)
      expect(p.tags.size).to.equal(0)
    })

    it('delete() forgets the peer', async () => {
      await store.save(peer.id, { protocols: ['/a/1'] })
      await store.delete(peer.id)
      expect(await store.has(peer.id)).to.equal(false)
      await store.delete(peer.id) // deleting an unknown peer is fine
    })

    it('deduplicates addresses, certified wins', async () => {
      const p = await store.save(peer.id, {
        multiaddrs: [addr1, addr1, multiaddr(addr2.toString())],
        addresses: [{ multiaddr: addr2, isCertified: true }]
      })
      expect(p.addresses.map(a => [a.multiaddr.toString(), a.isCertified])).to.deep.equal([[addr2.toString(), true], [addr1.toString(), false]])
    })

    it('refuses invalid input with InvalidParametersError', async () => {
      const bad = [
        { multiaddrs: ['/ip4/1.2.3.4/tcp/1'] as any },
        { addresses: [{ multiaddr: 'nope', isCertified: true }] as any },
        { protocols: [''] },
        { protocols: [42] as any },
        { metadata: { k: 'string' as any } },
        { metadata: { '': new Uint8Array(1) } },
        { tags: { t: { value: 101 } } },
        { tags: { t: { value: 1.5 } } },
        { tags: { t: { ttl: -1 } } },
        { tags: { t: { ttl: Infinity } } },
        { tags: { '': { value: 1 } } }
      ]
      for (const data of bad) {
        expect(await rejection(store.save(peer.id, data)), JSON.stringify(data)).to.have.property('name', 'InvalidParametersError')
      }
      expect(await store.has(peer.id)).to.equal(false)
      expect(await rejection(store.save(undefined as any, {}))).to.have.property('name', 'InvalidParametersError')
    })
  })

  describe('patch / merge', () => {
    beforeEach(async () => {
      await store.save(peer.id, {
        multiaddrs: [addr1],
        protocols: ['/a/1'],
        metadata: { a: Uint8Array.from([1]), b: Uint8Array.from([2]) },
        tags: { x: { value: 1 }, y: { value: 2 } }
      })
    })

    it('patch() replaces the fields given and keeps the others', async () => {
      const p = await store.patch(peer.id, { protocols: ['/b/1'], tags: { z: { value: 3 } } })
      expect(p.protocols).to.deep.equal(['/b/1'])
      expect(p.addresses.map(a => a.multiaddr.toString())).to.deep.equal([addr1.toString()])
      expect([...p.metadata.keys()]).to.deep.equal(['a', 'b'])
      expect([...p.tags.keys()]).to.deep.equal(['z'])
    })

    it('merge() adds to what is known; undefined deletes metadata and tags', async () => {
      const p = await store.merge(peer.id, {
        multiaddrs: [addr2],
        addresses: [{ multiaddr: addr1, isCertified: true }],
        protocols: ['/a/1', '/c/1'],
        metadata: { a: undefined, c: Uint8Array.from([3]) },
        tags: { x: undefined, z: { value: 9 } }
      })
      expect(p.addresses.map(a => [a.multiaddr.toString(), a.isCertified])).to.deep.equal([[addr1.toString(), true], [addr2.toString(), false]])
      expect(p.protocols).to.deep.equal(['/a/1', '/c/1'])
      expect([...p.metadata.keys()].sort()).to.deep.equal(['b', 'c'])
      expect([...p.tags.entries()]).to.deep.equal([['y', { value: 2 }], ['z', { value: 9 }]])
    })

    it('merge() and patch() create an unknown peer', async () => {
      const other = await newPeer()
      await store.merge(other.id, { protocols: ['/a/1'] })
      await store.patch((await newPeer()).id, { protocols: ['/a/1'] })
      expect((await store.all()).length).to.equal(3)
    })
  })

  describe('limits', () => {
    it('refuses more addresses, protocols, metadata and tags than allowed, leaving the entry as it was', async () => {
      const small = new PersistentPeerStore({ peerId: self, datastore, events: events as any, logger: defaultLogger() }, {
        maxAddressesPerPeer: 2, maxProtocolsPerPeer: 2, maxMetadataEntries: 1, maxMetadataValueSize: 4, maxTagsPerPeer: 1
      })
      await small.save(peer.id, { multiaddrs: [addr1], protocols: ['/a/1'] })
      const attempts = [
        small.merge(peer.id, { multiaddrs: [addr2, addr3] }),
        small.merge(peer.id, { protocols: ['/b/1', '/c/1'] }),
        small.merge(peer.id, { metadata: { a: new Uint8Array(1), b: new Uint8Array(1) } }),
        small.merge(peer.id, { metadata: { a: new Uint8Array(5) } }),
        small.merge(peer.id, { tags: { a: {}, b: {} } })
      ]
      for (const attempt of attempts) {
        expect(await rejection(attempt)).to.have.property('name', 'LimitExceededError')
      }
      const p = await small.get(peer.id)
      expect(p.addresses.length).to.equal(1)
      expect(p.protocols).to.deep.equal(['/a/1'])
      expect(p.metadata.size).to.equal(0)
      expect(p.tags.size).to.equal(0)
    })

    it('refuses a new peer beyond maxPeers, still updates known ones, and frees a slot on delete', async () => {
      const prefilled = persistentPeerStore({ peerId: self, datastore, events: events as any, logger: defaultLogger() })
      const first = await newPeer()
      await prefilled.save(first.id, { protocols: ['/a/1'] })
      // a second store over the same datastore counts the peer already there
      const small = new PersistentPeerStore({ peerId: self, datastore, events: events as any, logger: defaultLogger() }, { maxPeers: 3 })
      const others = await Promise.all([newPeer(), newPeer(), newPeer(), newPeer()])
      const results = await Promise.allSettled(others.map(async other => small.save(other.id, { protocols: ['/a/1'] })))
      expect(results.filter(r => r.status === 'fulfilled').length).to.equal(2)
      const refused = results.find(r => r.status === 'rejected') as PromiseRejectedResult
      expect(refused.reason).to.have.property('name', 'LimitExceededError')
      expect((await small.all()).length).to.equal(3)
      await small.merge(first.id, { protocols: ['/b/1'] })
      await small.delete(first.id)
      await small.delete(first.id) // twice: counted once
      const refusedPeer = others[results.indexOf(refused)]
      await small.save(refusedPeer.id, { protocols: ['/a/1'] })
      expect((await small.all()).length).to.equal(3)
      expect(await rejection(small.save((await newPeer()).id, { protocols: ['/a/1'] }))).to.have.property('name', 'LimitExceededError')
    })

    it('has default limits', async () => {
      const tags = Object.fromEntries(Array.from({ length: MAX_TAGS_PER_PEER + 1 }, (_, i) => [`t${i}`, {}]))
      expect(await rejection(store.save(peer.id, { tags }))).to.have.property('name', 'LimitExceededError')
      const metadata = Object.fromEntries(Array.from({ length: MAX_METADATA_ENTRIES + 1 }, (_, i) => [`m${i}`, new Uint8Array(1)]))
      expect(await rejection(store.save(peer.id, { metadata }))).to.have.property('name', 'LimitExceededError')
    })
  })

  describe('tags', () => {
    it('drops a tag once its ttl has passed', async () => {
      // a ttl long enough that a loaded machine does not pass it before the first look (30 ms did, once)
      await store.save(peer.id, { tags: { short: { value: 10, ttl: 1000 }, forever: { value: 20 } } })
      expect([...(await store.get(peer.id)).tags.keys()].sort()).to.deep.equal(['forever', 'short'])
      await sleep(1100)
      const p = await store.get(peer.id)
      expect([...p.tags.keys()]).to.deep.equal(['forever'])
      expect((await store.all({ filters: [q => q.tags.has('short')] })).length).to.equal(0)
      // a later merge does not bring it back
      const merged = await store.merge(peer.id, { tags: { other: { value: 1 } } })
      expect([...merged.tags.keys()].sort()).to.deep.equal(['forever', 'other'])
    })

    it('a tag with a ttl of 0 has expired at once', async () => {
      const p = await store.save(peer.id, { tags: { gone: { value: 1, ttl: 0 }, kept: { value: 2 } } })
      expect([...p.tags.keys()]).to.deep.equal(['kept'])
    })

    it('a tag value defaults to 0', async () => {
      const p = await store.save(peer.id, { tags: { t: {} } })
      expect(p.tags.get('t')).to.deep.equal({ value: 0 })
    })
  })

  describe('public keys', () => {
    it('keeps the key of an RSA peer id and hands it back on the id', async function () {
      this.timeout(10_000)
      const rsa = await generateKeyPair('RSA', 2048)
      const withKey = peerIdFromPrivateKey(rsa)
      const bare = peerIdFromMultihash(withKey.toMultihash())
      expect(bare.publicKey).to.equal(undefined)
      await store.save(bare, { publicKey: rsa.publicKey })
      const p = await store.get(bare)
      expect(p.id.publicKey?.equals(rsa.publicKey)).to.equal(true)
      // a key on the id itself is kept too
      const other = peerIdFromPrivateKey(await generateKeyPair('RSA', 2048))
      await store.save(other, { protocols: ['/a/1'] })
      expect((await store.get(peerIdFromMultihash(other.toMultihash()))).id.publicKey).to.not.equal(undefined)
    })

    it('refuses a key that does not match the peer id', async function () {
      this.timeout(10_000)
      const other = await generateKeyPair('Ed25519')
      expect(await rejection(store.save(peer.id, { publicKey: other.publicKey }))).to.have.property('name', 'InvalidParametersError')
      const rsa = peerIdFromMultihash(peerIdFromPrivateKey(await generateKeyPair('RSA', 2048)).toMultihash())
      expect(await rejection(store.merge(rsa, { publicKey: other.publicKey }))).to.have.property('name', 'InvalidParametersError')
      expect(await store.has(peer.id)).to.equal(false)
    })
  })

  describe('all / forEach', () => {
    let ids: PeerId[]

    beforeEach(async () => {
      ids = []
      for (let i = 0; i < 5; i++) {
        const { id } = await newPeer()
        ids.push(id)
        await store.save(id, { tags: { rank: { value: i * 10 } }, protocols: i % 2 === 0 ? ['/even/1'] : ['/odd/1'] })
      }
      await store.save(self, { protocols: ['/self/1'] })
    })

    const rank = (p: Peer): number => p.tags.get('rank')?.value ?? -1
    const byRankDesc = (a: Peer, b: Peer): -1 | 0 | 1 => rank(a) > rank(b) ? -1 : rank(a) < rank(b) ? 1 : 0

    it('lists every peer but ourselves', async () => {
      const all = await store.all()
      expect(all.length).to.equal(5)
      expect(all.some(p => p.id.equals(self))).to.equal(false)
      expect(await store.has(self)).to.equal(true)
    })

    it('filters, orders, then pages', async () => {
      const even = await store.all({ filters: [p => p.protocols.includes('/even/1')], orders: [byRankDesc] })
      expect(even.map(rank)).to.deep.equal([40, 20, 0])
      const page = await store.all({ orders: [byRankDesc], offset: 1, limit: 2 })
      expect(page.map(rank)).to.deep.equal([30, 20])
      const twoFilters = await store.all({ filters: [p => rank(p) > 0, p => rank(p) < 40] })
      expect(twoFilters.map(rank).sort((a, b) => a - b)).to.deep.equal([10, 20, 30])
    })

    it('uses later orders to break ties', async () => {
      await store.merge(ids[0], { tags: { rank: { value: 40 } } })
      const sorted = await store.all({
        orders: [byRankDesc, (a, b) => a.protocols[0] < b.protocols[0] ? -1 : a.protocols[0] > b.protocols[0] ? 1 : 0],
        limit: 2
      })
      expect(sorted.map(p => [rank(p), p.protocols[0]])).to.deep.equal([[40, '/even/1'], [40, '/even/1']])
    })

    it('forEach() visits the same peers', async () => {
      const seen: string[] = []
      await store.forEach(p => seen.push(p.id.toString()), { filters: [p => rank(p) >= 20] })
      expect(seen.sort()).to.deep.equal(ids.slice(2).map(String).sort())
    })

    it('skips an unreadable entry', async () => {
      await datastore.put(peerKey(ids[0]), Uint8Array.from([0x0a, 0xff]))
      expect((await store.all()).length).to.equal(4)
      expect(await rejection(store.get(ids[0]))).to.have.property('name', 'InvalidStoredPeerError')
    })
  })

  describe('events', () => {
    it('emits peer:update with the previous entry, only when something changed', async () => {
      await store.save(peer.id, { protocols: ['/a/1'] })
      await store.merge(peer.id, { protocols: ['/b/1'] })
      await store.merge(peer.id, { protocols: ['/b/1'] }) // no change
      const updates = events.ofType('peer:update').map(evt => (evt as CustomEvent<PeerUpdate>).detail)
      expect(updates.length).to.equal(2)
      expect(updates[0].previous).to.equal(undefined)
      expect(updates[0].peer.protocols).to.deep.equal(['/a/1'])
      expect(updates[1].previous?.protocols).to.deep.equal(['/a/1'])
      expect(updates[1].peer.protocols).to.deep.equal(['/a/1', '/b/1'])
      expect(events.ofType('self:peer:update').length).to.equal(0)
    })

    it('emits self:peer:update for our own id', async () => {
      await store.patch(self, { protocols: ['/a/1'] })
      expect(events.ofType('self:peer:update').length).to.equal(1)
      expect(events.ofType('peer:update').length).to.equal(0)
    })
  })

  describe('persistence', () => {
    it('a second store over the same datastore knows the peers of the first', async () => {
      const rsa = await generateKeyPair('Ed25519')
      const rsaId = peerIdFromPrivateKey(rsa)
      await store.save(peer.id, { multiaddrs: [addr1], protocols: ['/a/1'], metadata: { m: Uint8Array.from([7]) }, tags: { t: { value: 5, ttl: 60_000 } } })
      const envelope = await RecordEnvelope.seal(new PeerRecord({ peerId: rsaId, multiaddrs: [addr2], seq: 1n }), rsa)
      expect(await store.consumePeerRecord(envelope.marshal())).to.equal(true)

      const restarted = persistentPeerStore({ peerId: self, datastore, events: stubEvents() as any, logger: defaultLogger() })
      const p = await restarted.get(peer.id)
      expect(p.addresses.map(a => a.multiaddr.toString())).to.deep.equal([addr1.toString()])
      expect(p.protocols).to.deep.equal(['/a/1'])
      expect(p.metadata.get('m')).to.deep.equal(Uint8Array.from([7]))
      expect(p.tags.get('t')).to.deep.equal({ value: 5 })
      const r = await restarted.get(rsaId)
      expect(r.peerRecordEnvelope).to.deep.equal(envelope.marshal())
      expect(r.addresses[0].isCertified).to.equal(true)
      expect((await restarted.all()).length).to.equal(2)
      // the stale record is still recognised as such after the restart
      expect(await restarted.consumePeerRecord(envelope.marshal())).to.equal(false)
    })

    it('keys peers as /peers/<base32 multihash>', () => {
      const key = peerKey(peer.id)
      expect(key.toString()).to.match(/^\/peers\/b[a-z2-7]+$/)
      expect(peerIdFromKey(key).equals(peer.id)).to.equal(true)
    })

    it('defaults to an in-memory datastore', async () => {
      const memory = persistentPeerStore({ peerId: self, events: stubEvents() as any, logger: defaultLogger() })
      await memory.save(peer.id, { protocols: ['/a/1'] })
      expect((await memory.get(peer.id)).protocols).to.deep.equal(['/a/1'])
    })
  })

  describe('concurrency', () => {
    it('serializes concurrent updates of one peer so none is lost', async () => {
      const protocols = Array.from({ length: 40 }, (_, i) => `/p/${String(i).padStart(2, '0')}`)
      await Promise.all(protocols.map(async (protocol, i) => store.merge(peer.id, { protocols: [protocol], tags: { [`t${i % 10}`]: { value: 1 } } })))
      const p = await store.get(peer.id)
      expect(p.protocols).to.deep.equal(protocols)
      expect(p.tags.size).to.equal(10)
    })

    it('an aborted waiter does not break the queue', async () => {
      const controller = new AbortController()
      const first = store.merge(peer.id, { protocols: ['/a/1'] })
      const aborted = store.merge(peer.id, { protocols: ['/b/1'] }, { signal: controller.signal })
      controller.abort()
      const third = store.merge(peer.id, { protocols: ['/c/1'] })
      await first
      expect(await rejection(aborted)).to.have.property('name', 'AbortError')
      await third
      expect((await store.get(peer.id)).protocols).to.deep.equal(['/a/1', '/c/1'])
    })

    it('rejects an already aborted call', async () => {
      const signal = AbortSignal.abort()
      expect(await rejection(store.save(peer.id, {}, { signal }))).to.have.property('name', 'AbortError')
      expect(await rejection(store.get(peer.id, { signal }))).to.have.property('name', 'AbortError')
      expect(await rejection(store.all({ signal }))).to.have.property('name', 'AbortError')
      expect(await rejection(store.consumePeerRecord(new Uint8Array(1), { signal }))).to.have.property('name', 'AbortError')
    })
  })

  describe('consumePeerRecord', () => {
    const seal = async (seq: bigint, multiaddrs = [addr1, addr2], key = peer.key, id = peer.id): Promise<Uint8Array> =>
      (await RecordEnvelope.seal(new PeerRecord({ peerId: id, multiaddrs, seq }), key)).marshal()

    it('stores the addresses as certified, the key and the envelope bytes', async () => {
      const bytes = await seal(10n)
      expect(await store.consumePeerRecord(bytes, { expectedPeer: peer.id })).to.equal(true)
      const p = await store.get(peer.id)
      expect(p.addresses.map(a => [a.multiaddr.toString(), a.isCertified])).to.deep.equal([[addr1.toString(), true], [addr2.toString(), true]])
      expect(p.peerRecordEnvelope).to.deep.equal(bytes)
      expect(events.ofType('peer:update').length).to.equal(1)
    })

    it('ignores a record whose seq is not newer', async () => {
      expect(await store.consumePeerRecord(await seal(10n))).to.equal(true)
      expect(await store.consumePeerRecord(await seal(10n, [addr3]))).to.equal(false)
      expect(await store.consumePeerRecord(await seal(9n, [addr3]))).to.equal(false)
      expect((await store.get(peer.id)).addresses.map(a => a.multiaddr.toString())).to.deep.equal([addr1.toString(), addr2.toString()])
    })

    it('a newer record replaces the certified addresses and keeps uncertified ones', async () => {
      await store.save(peer.id, { multiaddrs: [addr3] })
      expect(await store.consumePeerRecord(await seal(1n, [addr1]))).to.equal(true)
      expect(await store.consumePeerRecord(await seal(2n, [addr2]))).to.equal(true)
      const p = await store.get(peer.id)
      expect(p.addresses.map(a => [a.multiaddr.toString(), a.isCertified])).to.deep.equal([[addr2.toString(), true], [addr3.toString(), false]])
    })

    it('refuses a record of another peer than expectedPeer', async () => {
      const other = await newPeer()
      expect(await store.consumePeerRecord(await seal(1n), { expectedPeer: other.id })).to.equal(false)
      expect(await store.has(peer.id)).to.equal(false)
    })

    it('refuses a tampered envelope, another domain, a record signed for someone else, and garbage', async () => {
      const bytes = await seal(1n)
      const tampered = Uint8Array.from(bytes)
      tampered[tampered.byteLength - 1] ^= 1
      expect(await store.consumePeerRecord(tampered)).to.equal(false)

      const record = new PeerRecord({ peerId: peer.id, multiaddrs: [addr1], seq: 1n })
      const otherDomain = await RecordEnvelope.seal({ domain: 'libp2p-routing-state', codec: record.codec, marshal: () => record.marshal(), equals: () => false }, peer.key)
      expect(await store.consumePeerRecord(otherDomain.marshal())).to.equal(false)

      const intruder = await newPeer()
      expect(await store.consumePeerRecord(await seal(1n, [addr1], intruder.key, peer.id))).to.equal(false)

      expect(await store.consumePeerRecord(Uint8Array.from([1, 2, 3]))).to.equal(false)
      expect(await store.consumePeerRecord(new Uint8Array(0))).to.equal(false)
      expect(await store.has(peer.id)).to.equal(false)
      expect(events.ofType('peer:update').length).to.equal(0)
    })
  })
})
