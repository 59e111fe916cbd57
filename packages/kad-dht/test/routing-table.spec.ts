import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import { commonPrefixLength, compareCloser, kadKey } from '../src/distance.js'
import { RoutingTable } from '../src/routing-table.js'
import { eventually } from './fixtures.js'
import type { PeerId } from '@ts-libp2p/interface'

async function peers (n: number): Promise<PeerId[]> {
  return await Promise.all(Array.from({ length: n }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
}

/** Peers that all fall in bucket `cpl` of `self`. */
async function peersInBucket (self: RoutingTable, cpl: number, n: number): Promise<PeerId[]> {
  const out: PeerId[] = []
  while (out.length < n) {
    for (const p of await peers(32)) {
      if (self.bucketIndexOf(kadKey(p.toMultihash().bytes)) === cpl && out.length < n) out.push(p)
    }
  }
  return out
}

describe('routing table', () => {
  it('adds, updates, removes and never holds itself', async () => {
    const [self, a, b] = await peers(3)
    const table = new RoutingTable(self)
    const added: string[] = []
    table.addEventListener('peer:add', (e) => { added.push(e.detail.toString()) })
    expect(table.add(self)).to.equal('self')
    expect(table.add(a)).to.equal('added')
    expect(table.add(a)).to.equal('updated')
    expect(table.add(b)).to.equal('added')
    expect(table.size).to.equal(2)
    expect(added).to.deep.equal([a.toString(), b.toString()])
    expect(table.remove(a)).to.equal(true)
    expect(table.has(a)).to.equal(false)
    expect(table.remove(a)).to.equal(false)
  })

  it('buckets peers by common prefix length with our key', async () => {
    const [self, ...others] = await peers(20)
    const table = new RoutingTable(self)
    for (const p of others) table.add(p)
    for (const i of table.nonEmptyBuckets()) {
      for (const e of table.bucket(i)) expect(Math.min(commonPrefixLength(e.kadId, table.selfKey), 255)).to.equal(i)
    }
  })

  it('returns the closest peers to a key, closest first', async () => {
    const [self, ...others] = await peers(40)
    const table = new RoutingTable(self)
    for (const p of others) table.add(p)
    const target = kadKey(Uint8Array.of(9, 9, 9))
    const closest = table.closest(target, 10)
    // with random ids a bucket can overflow k (the newcomers wait as replacements): compare with the table's members
    const members = others.filter(p => table.has(p))
    expect(members.length).to.be.greaterThan(10)
    const expected = members.sort((x, y) => compareCloser(target, kadKey(x.toMultihash().bytes), kadKey(y.toMultihash().bytes))).slice(0, 10)
    expect(closest.map(String)).to.deep.equal(expected.map(String))
  })

  it('a full bucket keeps a live oldest peer; the newcomer waits as a replacement', async () => {
    const [self] = await peers(1)
    let checked: PeerId | undefined
    const table = new RoutingTable(self, { k: 2, isAlive: async (p) => { checked = p; return true } })
    const [p1, p2, p3] = await peersInBucket(table, 0, 3)
    table.add(p1)
    table.add(p2)
    expect(table.add(p3)).to.equal('pending')
    expect(await eventually(() => checked != null)).to.equal(true)
    expect(checked?.equals(p1)).to.equal(true)
    expect(table.has(p3)).to.equal(false)
    expect(table.replacements(0).map(e => e.peerId.toString())).to.deep.equal([p3.toString()])
    // the oldest, found alive, became the most recently seen
    await eventually(() => table.bucket(0)[1].peerId.equals(p1))
    expect(table.bucket(0).map(e => e.peerId.toString())).to.deep.equal([p2.toString(), p1.toString()])
  })

  it('a dead oldest peer is evicted for the newest replacement', async () => {
    const [self] = await peers(1)
    const table = new RoutingTable(self, { k: 2, isAlive: async () => false })
    const [p1, p2, p3] = await peersInBucket(table, 0, 3)
    table.add(p1)
    table.add(p2)
    table.add(p3)
    expect(await eventually(() => table.has(p3))).to.equal(true)
    expect(table.has(p1)).to.equal(false)
    expect(table.bucket(0).length).to.equal(2)
  })

  it('removing a peer promotes a replacement; the replacement cache is bounded', async () => {
    const [self] = await peers(1)
    const table = new RoutingTable(self, { k: 1, replacementCacheSize: 2 })
    const [p1, p2, p3, p4] = await peersInBucket(table, 0, 4)
    table.add(p1)
    table.add(p2)
    table.add(p3)
    table.add(p4)
    expect(table.replacements(0).map(e => e.peerId.toString())).to.deep.equal([p3.toString(), p4.toString()])
    table.remove(p1)
    expect(table.has(p4)).to.equal(true)
    expect(table.size).to.equal(1)
  })

  it('stop() ends liveness checks', async () => {
    const [self] = await peers(1)
    let calls = 0
    const table = new RoutingTable(self, { k: 1, isAlive: async () => { calls++; return false } })
    table.stop()
    const [p1, p2] = await peersInBucket(table, 0, 2)
    table.add(p1)
    table.add(p2)
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(calls).to.equal(0)
    expect(table.has(p1)).to.equal(true)
  })
})
