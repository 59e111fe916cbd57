import { peerIdFromMultihash } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import * as Digest from 'multiformats/hashes/digest'
import { compareCloser, kadKey } from '../src/distance.js'
import { runQuery } from '../src/query.js'
import type { PeerAnswer, QueryInit, QueryOutcome } from '../src/query.js'
import type { PeerId, PeerInfo } from '@ts-libp2p/interface'

/** A peer id from random bytes (a sha2-256 multihash, as RSA peer ids): cheap to make by the thousand. */
function randomPeer (): PeerInfo {
  return { id: peerIdFromMultihash(Digest.create(0x12, crypto.getRandomValues(new Uint8Array(32)))), multiaddrs: [] }
}

const kids = new Map<string, Uint8Array>()
/** The kad id of a peer, cached: the simulations sort thousands of times. */
function kid (p: PeerId): Uint8Array {
  const s = p.toString()
  let k = kids.get(s)
  if (k == null) {
    k = kadKey(p.toMultihash().bytes)
    kids.set(s, k)
  }
  return k
}

function closestTo (target: Uint8Array, peers: PeerInfo[], n: number): PeerInfo[] {
  return [...peers].sort((a, b) => compareCloser(target, kid(a.id), kid(b.id))).slice(0, n)
}

/** A simulated Kademlia network: each peer knows its 20 closest peers and 10 random ones. */
function simulatedNetwork (size: number): { peers: PeerInfo[], tables: Map<string, PeerInfo[]> } {
  const peers = Array.from({ length: size }, randomPeer)
  const tables = new Map<string, PeerInfo[]>()
  for (const p of peers) {
    const near = closestTo(kid(p.id), peers.filter(x => x !== p), 20)
    const far = Array.from({ length: 10 }, () => peers[Math.floor(Math.random() * size)]).filter(x => x !== p)
    tables.set(p.id.toString(), [...near, ...far])
  }
  return { peers, tables }
}

async function drain<T> (init: QueryInit<T>): Promise<{ outcome: QueryOutcome, answers: number }> {
  const run = runQuery(init)
  let answers = 0
  while (true) {
    const next = await run.next()
    if (next.done === true) return { outcome: next.value, answers }
    answers++
  }
}

describe('iterative lookup', () => {
  const self = randomPeer().id

  it('finds the k closest peers of a 300-peer network in few hops', async () => {
    const { peers, tables } = simulatedNetwork(300)
    const key = crypto.getRandomValues(new Uint8Array(34))
    const target = kadKey(key)
    const seeds = peers.slice(0, 20)
    const { outcome } = await drain({
      key, seeds, self,
      ask: async (peer) => ({ closer: closestTo(target, tables.get(peer.id.toString()) ?? [], 20) })
    })
    const truth = closestTo(target, peers, 20).map(p => p.id.toString())
    const found = outcome.closest.map(p => p.id.toString())
    expect(found.slice(0, 5)).to.deep.equal(truth.slice(0, 5))
    expect(found.filter(id => truth.includes(id)).length).to.be.at.least(18)
    expect(outcome.hops).to.be.at.most(Math.ceil(Math.log2(300)))
    expect(outcome.queried).to.be.lessThan(150)
    expect(outcome.reason).to.equal('converged')
  })

  it('converges when a peer answers every query with itself', async () => {
    const { peers, tables } = simulatedNetwork(100)
    const liar = peers[0]
    const key = crypto.getRandomValues(new Uint8Array(34))
    const target = kadKey(key)
    let liarAsked = 0
    const { outcome } = await drain({
      key, seeds: [liar, ...peers.slice(1, 4)], self,
      ask: async (peer) => {
        if (peer === liar) {
          liarAsked++
          return { closer: [liar, liar, liar] }
        }
        return { closer: closestTo(target, tables.get(peer.id.toString()) ?? [], 20) }
      }
    })
    expect(liarAsked).to.be.at.most(1)
    expect(outcome.reason).to.equal('converged')
    expect(outcome.closest[0].id.toString()).to.equal(closestTo(target, peers, 1)[0].id.toString())
  })

  it('stays bounded when a peer returns thousands of unreachable closer peers', async () => {
    const { peers, tables } = simulatedNetwork(60)
    const flooder = peers[0]
    const junk = Array.from({ length: 5000 }, randomPeer)
    const key = crypto.getRandomValues(new Uint8Array(34))
    const target = kadKey(key)
    const started = Date.now()
    const { outcome } = await drain({
      key, seeds: [flooder, ...peers.slice(1, 5)], self, maxPeersQueried: 200,
      ask: async (peer) => {
        if (peer === flooder) return { closer: junk }
        if (!tables.has(peer.id.toString())) throw new Error('unreachable')
        return { closer: closestTo(target, tables.get(peer.id.toString()) ?? [], 20) }
      }
    })
    // at most 5k closer peers are taken from one answer, and at most maxPeersQueried are asked
    expect(outcome.queried).to.be.at.most(200)
    expect(Date.now() - started).to.be.lessThan(5_000)
    expect(['converged', 'exhausted', 'limit']).to.include(outcome.reason)
  })

  it('never asks itself, and skips failed peers', async () => {
    const peers = Array.from({ length: 5 }, randomPeer)
    const asked: string[] = []
    const { outcome } = await drain({
      key: Uint8Array.of(1), seeds: peers, self, alpha: 1,
      ask: async (peer) => {
        asked.push(peer.id.toString())
        if (peer === peers[0]) throw new Error('down')
        return { closer: [{ id: self, multiaddrs: [] }] }
      }
    })
    expect(asked).to.not.include(self.toString())
    expect(outcome.failed).to.equal(1)
    expect(outcome.closest.map(p => p.id.toString())).to.not.include(peers[0].id.toString())
  })

  it('an answer with stop ends the lookup at that hop', async () => {
    const peers = Array.from({ length: 10 }, randomPeer)
    let outcomeSeen: QueryOutcome | undefined
    const { outcome, answers } = await drain<string>({
      key: Uint8Array.of(2), seeds: peers, self, alpha: 1, onOutcome: (o) => { outcomeSeen = o },
      ask: async (): Promise<PeerAnswer<string>> => ({ closer: [], value: 'found', stop: true })
    })
    expect(answers).to.equal(1)
    expect(outcome.reason).to.equal('stopped')
    expect(outcome.hops).to.equal(1)
    expect(outcomeSeen).to.deep.equal(outcome)
  })

  it('keeps at most alpha requests in flight and reports progress', async () => {
    const { peers, tables } = simulatedNetwork(80)
    const key = crypto.getRandomValues(new Uint8Array(34))
    let inFlight = 0
    let most = 0
    const events: string[] = []
    await drain({
      key, seeds: peers.slice(0, 20), self, alpha: 2,
      onProgress: (e) => { events.push(e.type) },
      ask: async (peer) => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise(resolve => setTimeout(resolve, 1))
        inFlight--
        return { closer: closestTo(kadKey(key), tables.get(peer.id.toString()) ?? [], 20) }
      }
    })
    expect(most).to.equal(2)
    expect(events).to.include('kad-dht:query:peer-queried')
    expect(events).to.include('kad-dht:query:closest')
  })

  it('rejects with the signal\'s reason when aborted, and aborts the requests in flight', async () => {
    const peers = Array.from({ length: 5 }, randomPeer)
    const controller = new AbortController()
    let sawAbort = false
    const promise = drain({
      key: Uint8Array.of(3), seeds: peers, self, signal: controller.signal,
      ask: async (_peer, signal) => await new Promise<PeerAnswer<unknown>>((_resolve, reject) => {
        signal.addEventListener('abort', () => { sawAbort = true; reject(signal.reason) }, { once: true })
      })
    })
    setTimeout(() => { controller.abort(new Error('caller gave up')) }, 10)
    const err = await promise.then(() => undefined, (e) => e)
    expect(err?.message).to.equal('caller gave up')
    expect(sawAbort).to.equal(true)
  })
})
