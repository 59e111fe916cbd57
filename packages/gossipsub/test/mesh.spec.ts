import { expect } from 'chai'
import { maintainMesh, shuffle } from '../src/mesh.js'
import type { MeshParams, MeshState } from '../src/mesh.js'

const params: MeshParams = { D: 6, Dlo: 5, Dhi: 12, Dscore: 4, Dout: 2, fanoutTTL: 60_000, opportunisticGraftTicks: 60, opportunisticGraftPeers: 2 }
const thresholds = { publishThreshold: -50, opportunisticGraftThreshold: 1 }

/** A seeded PRNG so failures reproduce. */
function rng (seed = 1): () => number {
  let s = seed
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 }
}

function peers (n: number, prefix = 'p'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`)
}

function state (init: Partial<MeshState> & { scores?: Record<string, number>, outbound?: Set<string>, backoff?: Set<string>, floodsub?: Set<string> } = {}): MeshState {
  const scores = init.scores ?? {}
  return {
    mesh: init.mesh ?? new Map(),
    fanout: init.fanout ?? new Map(),
    fanoutLastPub: init.fanoutLastPub ?? new Map(),
    topicPeers: init.topicPeers ?? new Map(),
    direct: init.direct ?? new Set(),
    canMesh: (p) => init.floodsub?.has(p) !== true,
    isOutbound: (p) => init.outbound?.has(p) === true,
    score: (p) => scores[p] ?? 0,
    isBackoff: (_t, p) => init.backoff?.has(p) === true
  }
}

describe('mesh maintenance (heartbeat)', () => {
  it('grafts up to D when below D_lo, skipping direct, backed-off, negative and floodsub peers', () => {
    const all = peers(20)
    const s = state({
      mesh: new Map([['t', new Set(['p0'])]]),
      topicPeers: new Map([['t', new Set(all)]]),
      direct: new Set(['p1']),
      backoff: new Set(['p2']),
      floodsub: new Set(['p3']),
      scores: { p4: -1 }
    })
    const changes = maintainMesh(s, params, thresholds, { now: 0, tick: 1, random: rng() })
    const mesh = s.mesh.get('t') as Set<string>
    expect(mesh.size).to.equal(6)
    for (const bad of ['p1', 'p2', 'p3', 'p4']) expect(mesh.has(bad)).to.equal(false)
    expect([...changes.toGraft.keys()]).to.have.length(5)
  })

  it('prunes negative-score peers without PX', () => {
    const s = state({ mesh: new Map([['t', new Set(peers(6))]]), topicPeers: new Map([['t', new Set(peers(6))]]), scores: { p0: -0.5 } })
    const changes = maintainMesh(s, params, thresholds, { now: 0, tick: 1, random: rng() })
    expect(changes.toPrune.get('p0')).to.deep.equal(['t'])
    expect(changes.noPX.has('p0')).to.equal(true)
    expect(s.mesh.get('t')?.has('p0')).to.equal(false)
  })

  it('prunes down to D above D_hi, keeping the D_score best and D_out outbound peers', () => {
    const all = peers(15)
    const scores: Record<string, number> = {}
    all.forEach((p, i) => { scores[p] = i }) // p14 best
    const outbound = new Set(['p0', 'p1'])
    for (let seed = 1; seed < 20; seed++) {
      const s = state({ mesh: new Map([['t', new Set(all)]]), topicPeers: new Map([['t', new Set(all)]]), scores, outbound })
      const changes = maintainMesh(s, params, thresholds, { now: 0, tick: 1, random: rng(seed) })
      const mesh = s.mesh.get('t') as Set<string>
      expect(mesh.size).to.equal(6)
      for (const best of ['p14', 'p13', 'p12', 'p11']) expect(mesh.has(best)).to.equal(true)
      expect(mesh.has('p0') && mesh.has('p1')).to.equal(true)
      expect(changes.toPrune.size).to.equal(9)
      expect(changes.noPX.size).to.equal(0)
    }
  })

  it('grafts outbound peers when the mesh has D_lo peers but fewer than D_out outbound', () => {
    const s = state({
      mesh: new Map([['t', new Set(peers(6))]]),
      topicPeers: new Map([['t', new Set([...peers(6), 'o1', 'o2', 'o3', 'i1'])]]),
      outbound: new Set(['o1', 'o2', 'o3'])
    })
    const changes = maintainMesh(s, params, thresholds, { now: 0, tick: 1, random: rng() })
    expect([...changes.toGraft.keys()].sort()).to.have.length(2)
    for (const p of changes.toGraft.keys()) expect(p.startsWith('o')).to.equal(true)
  })

  it('opportunistically grafts peers above a low median every opportunisticGraftTicks', () => {
    const mesh = peers(6)
    const scores: Record<string, number> = Object.fromEntries(mesh.map(p => [p, 0.1]))
    scores.good1 = 5; scores.good2 = 5; scores.good3 = 5; scores.meh = 0.05
    const topicPeers = new Map([['t', new Set([...mesh, 'good1', 'good2', 'good3', 'meh'])]])
    const off = state({ mesh: new Map([['t', new Set(mesh)]]), topicPeers, scores })
    expect(maintainMesh(off, params, thresholds, { now: 0, tick: 59, random: rng() }).toGraft.size).to.equal(0)
    const on = state({ mesh: new Map([['t', new Set(mesh)]]), topicPeers, scores })
    const changes = maintainMesh(on, params, thresholds, { now: 0, tick: 60, random: rng() })
    expect(changes.toGraft.size).to.equal(2)
    for (const p of changes.toGraft.keys()) expect(p.startsWith('good')).to.equal(true)
  })

  it('expires fanout topics after the TTL and refills the others to D with publishable peers', () => {
    const s = state({
      fanout: new Map([['old', new Set(['p0'])], ['live', new Set(['p0', 'gone'])]]),
      fanoutLastPub: new Map([['old', 0], ['live', 100_000]]),
      topicPeers: new Map([['live', new Set(peers(10))]]),
      scores: { p5: -100 }
    })
    const changes = maintainMesh(s, params, thresholds, { now: 100_500, tick: 1, random: rng() })
    expect(changes.fanoutExpired).to.deep.equal(['old'])
    const live = s.fanout.get('live') as Set<string>
    expect(live.size).to.equal(6)
    expect(live.has('gone')).to.equal(false)
    expect(live.has('p5')).to.equal(false)
  })

  it('shuffle keeps the elements', () => {
    expect(shuffle([1, 2, 3, 4, 5], rng()).sort()).to.deep.equal([1, 2, 3, 4, 5])
  })
})
