import { StrictNoSign, TopicValidatorResult } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { connect, gossipNode, stopNodes, text, until } from './fixtures.js'
import type { GossipNode } from './fixtures.js'

/** A seeded PRNG so a failing topology reproduces. */
function rng (seed: number): () => number {
  let s = seed
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 }
}

/** A random connected sparse graph: each node links to one earlier node, plus `extra` random edges each. */
async function sparse (nodes: GossipNode[], extra: number, random: () => number): Promise<void> {
  const edges = new Set<string>()
  const link = async (i: number, j: number): Promise<void> => {
    if (i === j) return
    const key = i < j ? `${i}-${j}` : `${j}-${i}`
    if (edges.has(key)) return
    edges.add(key)
    await connect(nodes[i], nodes[j])
  }
  for (let i = 1; i < nodes.length; i++) await link(i, Math.floor(random() * i))
  for (let i = 0; i < nodes.length; i++) {
    for (let k = 0; k < extra; k++) await link(i, Math.floor(random() * nodes.length))
  }
}

const NODES = Number(process.env.GOSSIPSUB_TEST_NODES ?? 50)

describe('gossipsub networks', function () {
  this.timeout(60_000)
  afterEach(stopNodes)

  it(`${NODES} nodes in a random sparse topology all receive every one of 1000 messages over 10 topics`, async () => {
    const random = rng(42)
    const nodes = await Promise.all(Array.from({ length: NODES }, async () => gossipNode({ globalSignaturePolicy: StrictNoSign, heartbeatInterval: 200 })))
    await sparse(nodes, 1, random)
    const topics = Array.from({ length: 10 }, (_, i) => `topic-${i}`)
    const counts = nodes.map(() => 0)
    nodes.forEach((n, i) => {
      for (const t of topics) n.services.pubsub.subscribe(t)
      n.services.pubsub.addEventListener('message', () => { counts[i]++ })
    })
    // every node must know some subscriber of every topic before publishing
    await until(() => nodes.every(n => topics.every(t => n.services.pubsub.getMeshPeers(t).length > 0)), 20_000, 'meshes')
    const published = nodes.map(() => 0)
    for (let m = 0; m < 1000; m++) {
      const from = Math.floor(random() * NODES)
      published[from]++
      await nodes[from].services.pubsub.publish(topics[m % 10], text(`m${m}`))
      if (m % 50 === 49) await new Promise(resolve => setTimeout(resolve, 5))
    }
    // a node does not receive its own messages
    await until(() => counts.every((c, i) => c === 1000 - published[i]), 30_000, 'all deliveries')
    expect(counts.reduce((a, b) => a + b)).to.equal(1000 * (NODES - 1))
  })

  it('nodes joining and leaving: the mesh repairs and messages still reach everyone', async () => {
    const random = rng(7)
    const nodes = await Promise.all(Array.from({ length: 12 }, async () => gossipNode({ heartbeatInterval: 100 })))
    await sparse(nodes, 2, random)
    for (const n of nodes) n.services.pubsub.subscribe('t')
    await until(() => nodes.every(n => n.services.pubsub.getMeshPeers('t').length > 0), 5000, 'meshes')
    // three nodes leave
    const leaving = nodes.splice(9, 3)
    await Promise.all(leaving.map(async n => { await n.stop() }))
    // two join, each connected to two survivors
    for (let k = 0; k < 2; k++) {
      const n = await gossipNode({ heartbeatInterval: 100 })
      n.services.pubsub.subscribe('t')
      await connect(n, nodes[k])
      await connect(n, nodes[k + 4])
      nodes.push(n)
    }
    const gone = new Set(leaving.map(n => n.peerId.toString()))
    await until(() => nodes.every(n => n.services.pubsub.getMeshPeers('t').length > 0 && n.services.pubsub.getMeshPeers('t').every(p => !gone.has(p.toString()))), 5000, 'repaired meshes')
    const got = nodes.map(() => 0)
    nodes.forEach((n, i) => { n.services.pubsub.addEventListener('message', () => { got[i]++ }) })
    await nodes[nodes.length - 1].services.pubsub.publish('t', text('after churn'))
    await until(() => got.filter(c => c === 1).length === nodes.length - 1, 5000, 'delivery after churn')
  })

  it('scoring pushes a peer that sends invalid messages out of the mesh', async () => {
    const topicScore = { topicWeight: 1, invalidMessageDeliveriesWeight: -10, invalidMessageDeliveriesDecay: 0.9, timeInMeshWeight: 0, firstMessageDeliveriesWeight: 0, meshMessageDeliveriesWeight: 0, meshFailurePenaltyWeight: 0 }
    const victim = await gossipNode({ heartbeatInterval: 100, scoreParams: { topics: { t: topicScore } } })
    const others = await Promise.all([0, 1, 2].map(async () => gossipNode({ heartbeatInterval: 100 })))
    for (const o of others) await connect(victim, o)
    for (const n of [victim, ...others]) n.services.pubsub.subscribe('t')
    const bad = others[0]
    victim.services.pubsub.topicValidators.set('t', (_peer, msg) => new TextDecoder().decode(msg.data).startsWith('bad') ? TopicValidatorResult.Reject : TopicValidatorResult.Accept)
    await until(() => victim.services.pubsub.getMeshPeers('t').length === 3, 5000, 'mesh of 3')
    for (let i = 0; i < 5; i++) await bad.services.pubsub.publish('t', text(`bad ${i}`))
    await until(() => victim.services.pubsub.getScore(bad.peerId) < 0, 5000, 'negative score')
    await until(() => !victim.services.pubsub.getMeshPeers('t').some(p => p.equals(bad.peerId)), 5000, 'pruned')
    expect(victim.services.pubsub.getMeshPeers('t')).to.have.length(2)
    // the others keep a non-negative score and stay in the mesh
    for (const o of others.slice(1)) expect(victim.services.pubsub.getScore(o.peerId)).to.be.at.least(0)
  })
})
