import { expect } from 'chai'
import { GossipPromises, IHaveLimits, gossipIds, handleIHave, selectGossipPeers } from '../src/gossip.js'

const params = { Dlazy: 6, gossipFactor: 0.25, maxIHaveLength: 5000, maxIHaveMessages: 10, gossipRetransmission: 3 }
const random = Math.random

describe('gossip', () => {
  it('emits gossip to max(D_lazy, gossipFactor x eligible) peers, excluding mesh peers', () => {
    const many = Array.from({ length: 100 }, (_, i) => `p${i}`)
    const picked = selectGossipPeers(many, p => p === 'p0', params, random)
    expect(picked).to.have.length(24) // floor(99 * 0.25)
    expect(picked).to.not.include('p0')
    expect(selectGossipPeers(many.slice(0, 10), () => false, params, random)).to.have.length(6)
    expect(selectGossipPeers(many.slice(0, 3), () => false, params, random)).to.have.length(3)
  })

  it('caps the ids of one IHAVE at maxIHaveLength', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `m${i}`)
    expect(gossipIds(ids, 5, random)).to.have.length(5)
    expect(gossipIds(ids, 50, random)).to.equal(ids)
  })

  it('asks (IWANT) only for unseen ids of topics we are in', () => {
    const limits = new IHaveLimits()
    const want = handleIHave('a', [{ topicID: 't', messageIDs: ['m1', 'm2'] }, { topicID: 'x', messageIDs: ['m3'] }], limits, params, t => t === 't', id => id === 'm1', random)
    expect(want).to.deep.equal(['m2'])
  })

  it('ignores IHAVEs past maxIHaveMessages per heartbeat and asks at most maxIHaveLength ids', () => {
    const limits = new IHaveLimits()
    const p = { ...params, maxIHaveMessages: 2, maxIHaveLength: 3 }
    const ihave = (n: number): Array<{ topicID: string, messageIDs: string[] }> => [{ topicID: 't', messageIDs: Array.from({ length: n }, (_, i) => `m${n}-${i}`) }]
    expect(handleIHave('a', ihave(5), limits, p, () => true, () => false, random)).to.have.length(3)
    expect(handleIHave('a', ihave(4), limits, p, () => true, () => false, random)).to.have.length(0) // already asked 3
    expect(handleIHave('b', ihave(1), limits, p, () => true, () => false, random)).to.have.length(1)
    expect(handleIHave('b', ihave(1), limits, p, () => true, () => false, random)).to.have.length(1)
    expect(handleIHave('b', ihave(1), limits, p, () => true, () => false, random)).to.have.length(0) // third IHAVE
    limits.clear()
    expect(handleIHave('b', ihave(1), limits, p, () => true, () => false, random)).to.have.length(1)
  })

  it('tracks one promise per IWANT and reports the broken ones after the follow-up time', () => {
    let now = 0
    const promises = new GossipPromises(3000, () => now)
    promises.add('a', ['m1'], random)
    promises.add('b', ['m2'], random)
    promises.add('c', ['m3', 'm3'], random)
    promises.deliver('m2')
    now = 2000
    expect(promises.takeBroken().size).to.equal(0)
    now = 3001
    const broken = promises.takeBroken()
    expect(Object.fromEntries(broken)).to.deep.equal({ a: 1, c: 1 })
    expect(promises.size).to.equal(0)
  })
})
