/**
 * Mesh maintenance, the heartbeat of gossipsub v1.0 ("Heartbeat", "Mesh
 * Maintenance", "Fanout Maintenance") with the v1.1 rules ("Heartbeat
 * Maintenance", "Outbound Mesh Quotas", "Opportunistic Grafting"). A pure
 * function over the router's state: it edits the mesh and fanout sets it is
 * given and returns the GRAFTs and PRUNEs to send; randomness is injected.
 */

/** The overlay parameters the heartbeat uses. */
export interface MeshParams {
  D: number
  Dlo: number
  Dhi: number
  Dscore: number
  Dout: number
  fanoutTTL: number
  opportunisticGraftTicks: number
  opportunisticGraftPeers: number
}

/** The thresholds the heartbeat compares scores with. */
export interface MeshThresholds {
  publishThreshold: number
  opportunisticGraftThreshold: number
}

/** What the heartbeat reads (and, for the maps and sets, edits). */
export interface MeshState {
  /** topic -> peers in our mesh (edited). */
  mesh: Map<string, Set<string>>
  /** topic -> fanout peers for topics we publish to without joining (edited). */
  fanout: Map<string, Set<string>>
  /** topic -> when we last published to it through the fanout. */
  fanoutLastPub: Map<string, number>
  /** topic -> peers subscribed to it. */
  topicPeers: Map<string, Set<string>>
  /** Explicit peers: never in the mesh. */
  direct: Set<string>
  /** True for peers that speak a gossipsub protocol (floodsub peers cannot be grafted). */
  canMesh(peer: string): boolean
  /** True when our connection to the peer is outbound. */
  isOutbound(peer: string): boolean
  score(peer: string): number
  isBackoff(topic: string, peer: string): boolean
}

export interface HeartbeatContext {
  now: number
  /** Heartbeat counter, for opportunistic grafting every `opportunisticGraftTicks`. */
  tick: number
  /** Uniform in [0, 1). */
  random: () => number
}

export interface MeshChanges {
  /** peer -> topics to GRAFT. */
  toGraft: Map<string, string[]>
  /** peer -> topics to PRUNE. */
  toPrune: Map<string, string[]>
  /** Peers pruned for a negative score: no PX for them. */
  noPX: Set<string>
  /** Fanout topics that expired. */
  fanoutExpired: string[]
}

/** Fisher-Yates in place with the injected random source. */
export function shuffle<T> (items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = items[i]; items[i] = items[j]; items[j] = t
  }
  return items
}

function push (map: Map<string, string[]>, peer: string, topic: string): void {
  const list = map.get(peer)
  if (list == null) map.set(peer, [topic])
  else list.push(topic)
}

/** Up to `count` random peers of `topic` passing `filter`. */
export function selectPeers (state: MeshState, topic: string, count: number, random: () => number, filter: (peer: string) => boolean): string[] {
  const candidates: string[] = []
  for (const peer of state.topicPeers.get(topic) ?? []) {
    if (state.canMesh(peer) && filter(peer)) candidates.push(peer)
  }
  shuffle(candidates, random)
  return count >= candidates.length ? candidates : candidates.slice(0, count)
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs mesh and fanout maintenance for every topic; see the module docs. */
export function maintainMesh (state: MeshState, params: MeshParams, thresholds: MeshThresholds, ctx: HeartbeatContext): MeshChanges {
  const changes: MeshChanges = { toGraft: new Map(), toPrune: new Map(), noPX: new Set(), fanoutExpired: [] }
  const scores = new Map<string, number>()
  const score = (peer: string): number => {
    let s = scores.get(peer)
    if (s == null) { s = state.score(peer); scores.set(peer, s) }
    return s
  }

  for (const [topic, peers] of state.mesh) {
    const graft = (peer: string): void => { peers.add(peer); push(changes.toGraft, peer, topic) }
    const prune = (peer: string): void => { peers.delete(peer); push(changes.toPrune, peer, topic) }
    const eligible = (peer: string): boolean => !peers.has(peer) && !state.direct.has(peer) && !state.isBackoff(topic, peer) && score(peer) >= 0

    // v1.1: peers with a negative score are pruned from all meshes (and get no PX)
    for (const peer of [...peers]) {
      if (score(peer) < 0) {
        prune(peer)
        changes.noPX.add(peer)
      }
    }

    // v1.0: |mesh| < D_low -> graft D - |mesh| peers (non-negative score, not backed off)
    if (peers.size < params.Dlo) {
      for (const peer of selectPeers(state, topic, params.D - peers.size, ctx.random, eligible)) graft(peer)
    }

    // v1.0: |mesh| > D_high -> prune down to D, v1.1: keeping the best D_score and D_out outbound
    if (peers.size > params.Dhi) {
      const sorted = shuffle([...peers], ctx.random).sort((a, b) => score(b) - score(a))
      const rest = shuffle(sorted.slice(params.Dscore), ctx.random)
      const keep = [...sorted.slice(0, params.Dscore), ...rest]
      // ensure D_out outbound peers among the first D by moving outbound peers forward
      const outboundInD = keep.slice(0, params.D).filter(p => state.isOutbound(p)).length
      if (outboundInD < params.Dout) {
        let need = params.Dout - outboundInD
        const outboundRest = keep.slice(params.D).filter(p => state.isOutbound(p)).slice(0, need)
        need = outboundRest.length
        if (need > 0) {
          const inbound = keep.slice(0, params.D).filter(p => !state.isOutbound(p))
          // drop the lowest ranked inbound peers of the first D to make room
          const dropped = new Set(inbound.slice(inbound.length - need))
          const head = keep.slice(0, params.D).filter(p => !dropped.has(p))
          const tail = keep.slice(params.D).filter(p => !outboundRest.includes(p))
          keep.splice(0, keep.length, ...head, ...outboundRest, ...dropped, ...tail)
        }
      }
      for (const peer of keep.slice(params.D)) prune(peer)
    }

    // v1.1 outbound quota: with at least D_low peers but fewer than D_out outbound, graft outbound peers
    if (peers.size >= params.Dlo) {
      let outbound = 0
      for (const peer of peers) if (state.isOutbound(peer)) outbound++
      if (outbound < params.Dout) {
        for (const peer of selectPeers(state, topic, params.Dout - outbound, ctx.random, p => eligible(p) && state.isOutbound(p))) graft(peer)
      }
    }

    // v1.1 opportunistic grafting: if the median mesh score is below the threshold, graft peers above the median
    if (ctx.tick % params.opportunisticGraftTicks === 0 && peers.size > 1) {
      const med = median([...peers].map(score))
      if (med < thresholds.opportunisticGraftThreshold) {
        for (const peer of selectPeers(state, topic, params.opportunisticGraftPeers, ctx.random, p => eligible(p) && score(p) > med)) graft(peer)
      }
    }
  }

  // v1.0 fanout maintenance: expire unused topics, drop departed (or v1.1: low-scoring) peers, refill to D
  for (const [topic, lastPub] of state.fanoutLastPub) {
    if (lastPub + params.fanoutTTL < ctx.now) {
      state.fanout.delete(topic)
      state.fanoutLastPub.delete(topic)
      changes.fanoutExpired.push(topic)
    }
  }
  for (const [topic, peers] of state.fanout) {
    const subscribed = state.topicPeers.get(topic)
    for (const peer of [...peers]) {
      if (subscribed?.has(peer) !== true || score(peer) < thresholds.publishThreshold) peers.delete(peer)
    }
    if (peers.size < params.D) {
      const more = selectPeers(state, topic, params.D - peers.size, ctx.random,
        p => !peers.has(p) && !state.direct.has(p) && score(p) >= thresholds.publishThreshold)
      for (const peer of more) peers.add(peer)
    }
  }
  return changes
}
