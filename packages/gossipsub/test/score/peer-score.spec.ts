import { expect } from 'chai'
import { createPeerScoreParams } from '../../src/score/params.js'
import { PeerScore, RejectReason } from '../../src/score/peer-score.js'
import type { PeerScoreParams, TopicScoreParams } from '../../src/score/params.js'

/** A topic with every parameter zeroed except the overrides, so each test sees one parameter. */
function only (topic: Partial<TopicScoreParams>, global: Partial<PeerScoreParams> = {}): PeerScoreParams {
  return createPeerScoreParams({
    topicScoreCap: 0,
    appSpecificWeight: 0,
    IPColocationFactorWeight: 0,
    behaviourPenaltyWeight: 0,
    ...global,
    topics: {
      t: {
        topicWeight: 1,
        timeInMeshWeight: 0,
        firstMessageDeliveriesWeight: 0,
        meshMessageDeliveriesWeight: 0,
        meshFailurePenaltyWeight: 0,
        invalidMessageDeliveriesWeight: 0,
        ...topic
      }
    }
  })
}

function setup (params: PeerScoreParams): { ps: PeerScore, clock: { now: number } } {
  const clock = { now: 1_000_000 }
  const ps = new PeerScore(params, () => clock.now)
  ps.addPeer('a')
  return { ps, clock }
}

describe('peer score', () => {
  it('P1 time in mesh: weight x min(time / quantum, cap), only while in the mesh', () => {
    const { ps, clock } = setup(only({ timeInMeshWeight: 0.5, timeInMeshQuantum: 1000, timeInMeshCap: 10 }))
    ps.graft('a', 't')
    clock.now += 4000
    ps.refreshScores()
    expect(ps.score('a')).to.be.closeTo(2, 1e-9)
    clock.now += 60_000
    expect(ps.score('a')).to.be.closeTo(5, 1e-9) // capped at 10 quanta
    ps.prune('a', 't')
    expect(ps.score('a')).to.equal(0)
  })

  it('P2 first message deliveries: counted, capped, decayed', () => {
    const { ps } = setup(only({ firstMessageDeliveriesWeight: 1, firstMessageDeliveriesCap: 3, firstMessageDeliveriesDecay: 0.5 }))
    for (const id of ['m1', 'm2', 'm3', 'm4']) {
      ps.validateMessage(id, 't')
      ps.deliverMessage('a', id, 't')
    }
    expect(ps.score('a')).to.equal(3)
    ps.refreshScores()
    expect(ps.score('a')).to.equal(1.5)
  })

  it('P3 mesh delivery deficit: squared deficit after activation; near-first duplicates count', () => {
    const { ps, clock } = setup(only({ meshMessageDeliveriesWeight: -1, meshMessageDeliveriesThreshold: 4, meshMessageDeliveriesCap: 10, meshMessageDeliveriesActivation: 1000, meshMessageDeliveriesWindow: 10, meshMessageDeliveriesDecay: 0.9 }))
    ps.addPeer('b')
    ps.graft('a', 't')
    // not active yet: no penalty
    expect(ps.score('a')).to.equal(0)
    clock.now += 2000
    ps.refreshScores()
    expect(ps.score('a')).to.equal(-16)
    // one first delivery by b, a's copy within the window counts for a
    ps.validateMessage('m1', 't')
    ps.deliverMessage('b', 'm1', 't')
    clock.now += 5
    ps.duplicateMessage('a', 'm1', 't')
    expect(ps.topicStats('a', 't')?.meshMessageDeliveries).to.equal(1)
    expect(ps.score('a')).to.equal(-9)
    // a late copy (after the window) does not count
    ps.validateMessage('m2', 't')
    ps.deliverMessage('b', 'm2', 't')
    clock.now += 50
    ps.duplicateMessage('a', 'm2', 't')
    expect(ps.topicStats('a', 't')?.meshMessageDeliveries).to.equal(1)
  })

  it('P3b mesh failure penalty: the deficit at prune time sticks and decays', () => {
    const { ps, clock } = setup(only({ meshFailurePenaltyWeight: -1, meshFailurePenaltyDecay: 0.5, meshMessageDeliveriesThreshold: 3, meshMessageDeliveriesCap: 10, meshMessageDeliveriesActivation: 1000 }))
    ps.graft('a', 't')
    clock.now += 1500
    ps.refreshScores()
    ps.prune('a', 't')
    expect(ps.score('a')).to.equal(-9)
    ps.refreshScores()
    expect(ps.score('a')).to.equal(-4.5)
  })

  it('P4 invalid messages: squared counter; a validator reject charges every peer that sent a copy', () => {
    const { ps } = setup(only({ invalidMessageDeliveriesWeight: -1, invalidMessageDeliveriesDecay: 0.5 }))
    ps.addPeer('b')
    ps.validateMessage('m1', 't')
    ps.duplicateMessage('b', 'm1', 't') // b's copy arrives while validating
    ps.rejectMessage('a', 'm1', 't', RejectReason.Reject)
    expect(ps.score('a')).to.equal(-1)
    expect(ps.score('b')).to.equal(-1)
    ps.rejectMessage('a', undefined, 't', RejectReason.Error)
    expect(ps.score('a')).to.equal(-4)
    // a later copy of an invalid message is charged too
    ps.addPeer('c')
    ps.duplicateMessage('c', 'm1', 't')
    expect(ps.score('c')).to.equal(-1)
    // ignore charges nobody
    ps.validateMessage('m2', 't')
    ps.rejectMessage('b', 'm2', 't', RejectReason.Ignore)
    expect(ps.score('b')).to.equal(-1)
    ps.refreshScores()
    expect(ps.score('a')).to.equal(-1)
  })

  it('topic weight and topic score cap apply to the topic sum', () => {
    const { ps } = setup(only({ topicWeight: 2, firstMessageDeliveriesWeight: 1, firstMessageDeliveriesCap: 100 }, { topicScoreCap: 5 }))
    for (let i = 0; i < 2; i++) { ps.validateMessage(`m${i}`, 't'); ps.deliverMessage('a', `m${i}`, 't') }
    expect(ps.score('a')).to.equal(4)
    for (let i = 2; i < 10; i++) { ps.validateMessage(`m${i}`, 't'); ps.deliverMessage('a', `m${i}`, 't') }
    expect(ps.score('a')).to.equal(5)
  })

  it('P5 application score times its weight', () => {
    const { ps } = setup(only({}, { appSpecificWeight: 2, appSpecificScore: (p) => p === 'a' ? -3 : 0 }))
    expect(ps.score('a')).to.equal(-6)
  })

  it('P6 IP colocation: squared surplus over the threshold, whitelist exempt', () => {
    const { ps } = setup(only({}, { IPColocationFactorWeight: -1, IPColocationFactorThreshold: 2, IPColocationFactorWhitelist: new Set(['10.0.0.9']) }))
    for (const p of ['b', 'c', 'd']) ps.addPeer(p)
    for (const p of ['a', 'b', 'c', 'd']) ps.setIPs(p, ['1.2.3.4'])
    expect(ps.score('a')).to.equal(-4)
    ps.setIPs('d', ['5.6.7.8'])
    expect(ps.score('a')).to.equal(-1)
    for (const p of ['a', 'b', 'c', 'd']) ps.setIPs(p, ['10.0.0.9'])
    expect(ps.score('a')).to.equal(0)
  })

  it('P7 behaviour penalty: squared excess over the threshold, decayed', () => {
    const { ps } = setup(only({}, { behaviourPenaltyWeight: -1, behaviourPenaltyThreshold: 1, behaviourPenaltyDecay: 0.5 }))
    ps.addPenalty('a', 1)
    expect(ps.score('a')).to.equal(0)
    ps.addPenalty('a', 3)
    expect(ps.score('a')).to.equal(-9)
    ps.refreshScores()
    expect(ps.score('a')).to.equal(-1)
    ps.refreshScores()
    expect(ps.behaviourPenalty('a')).to.equal(1)
  })

  it('retains a non-positive score after disconnect for retainScore, forgets a positive one at once', () => {
    const { ps, clock } = setup(only({ firstMessageDeliveriesWeight: 1 }, { behaviourPenaltyWeight: -1, retainScore: 10_000 }))
    ps.addPenalty('a', 2)
    ps.removePeer('a')
    ps.refreshScores()
    ps.addPeer('a')
    expect(ps.score('a')).to.equal(-4) // not laundered by reconnecting
    ps.removePeer('a')
    clock.now += 20_000
    ps.refreshScores()
    expect(ps.size).to.equal(0)
    ps.addPeer('b')
    ps.validateMessage('m', 't'); ps.deliverMessage('b', 'm', 't')
    ps.removePeer('b')
    expect(ps.size).to.equal(0)
  })

  it('topics without parameters do not count', () => {
    const { ps } = setup(only({ firstMessageDeliveriesWeight: 1 }))
    ps.validateMessage('m', 'unscored'); ps.deliverMessage('a', 'm', 'unscored')
    expect(ps.score('a')).to.equal(0)
    expect(ps.score('nobody')).to.equal(0)
  })
})
