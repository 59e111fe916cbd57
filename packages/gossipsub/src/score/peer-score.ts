/**
 * The v1.1 peer score ("The Score Function", "Topic Parameter Calculation
 * and Decay"): per peer counters fed by router events, a score computed from
 * them, and periodic decay. Pure: time comes from the injected clock.
 */
import type { PeerScoreParams } from './params.js'

/** Why a message was refused; decides whom P₄ is charged to. */
export enum RejectReason {
  /** The topic validator rejected it: P₄ for the sender and every peer that sent a copy. */
  Reject = 'reject',
  /** Bad or missing signature, bad seqno or from: P₄ for the sender only. */
  Error = 'error',
  /** Ignored by the validator: no penalty. */
  Ignore = 'ignore',
  /** Our own validation queue was full: no penalty. */
  Blacklisted = 'blacklisted'
}

interface TopicStats {
  inMesh: boolean
  graftTime: number
  meshTime: number
  firstMessageDeliveries: number
  meshMessageDeliveries: number
  meshMessageDeliveriesActive: boolean
  meshFailurePenalty: number
  invalidMessageDeliveries: number
}

interface PeerStats {
  connected: boolean
  expire: number
  topics: Map<string, TopicStats>
  ips: string[]
  behaviourPenalty: number
}

const enum DeliveryStatus { Unknown, Valid, Invalid, Ignored }

interface DeliveryRecord {
  status: DeliveryStatus
  firstSeen: number
  validated: number
  peers: Set<string>
  topic: string
  expire: number
}

/** How long delivery records are kept (go `TimeCacheDuration`, 2 min, as the seen cache). */
const DELIVERY_RECORD_TTL = 120_000
/** Bound on delivery records (one per message seen within the TTL). */
const MAX_DELIVERY_RECORDS = 200_000

export class PeerScore {
  readonly params: PeerScoreParams
  readonly #now: () => number
  readonly #peers = new Map<string, PeerStats>()
  /** ip -> peers seen on it (P₆). */
  readonly #peerIPs = new Map<string, Set<string>>()
  readonly #deliveries = new Map<string, DeliveryRecord>()

  constructor (params: PeerScoreParams, now: () => number = Date.now) {
    this.params = params
    this.#now = now
  }

  /** Peers with a record (connected or retained). */
  get size (): number {
    return this.#peers.size
  }

  addPeer (id: string): void {
    const existing = this.#peers.get(id)
    if (existing != null) {
      existing.connected = true
      existing.expire = 0
      return
    }
    this.#peers.set(id, { connected: true, expire: 0, topics: new Map(), ips: [], behaviourPenalty: 0 })
  }

  /**
   * The peer disconnected. A positive score is forgotten at once; otherwise
   * the record is retained for `retainScore` so a peer cannot reset a bad
   * score by reconnecting, and mesh delivery deficits become P₃b failures.
   */
  removePeer (id: string): void {
    const stats = this.#peers.get(id)
    if (stats == null) return
    if (this.score(id) > 0) {
      this.#removeIPs(id, stats.ips)
      this.#peers.delete(id)
      return
    }
    for (const [topic, ts] of stats.topics) {
      const tp = this.params.topics[topic]
      if (ts.inMesh && tp != null) this.#applyMeshFailure(ts, tp.meshMessageDeliveriesThreshold)
      ts.inMesh = false
      ts.meshMessageDeliveriesActive = false
    }
    stats.connected = false
    stats.expire = this.#now() + this.params.retainScore
  }

  /** The peer's IP addresses (P₆ counts peers per IP). */
  setIPs (id: string, ips: string[]): void {
    const stats = this.#peers.get(id)
    if (stats == null) return
    this.#removeIPs(id, stats.ips)
    stats.ips = [...new Set(ips)]
    for (const ip of stats.ips) {
      let peers = this.#peerIPs.get(ip)
      if (peers == null) { peers = new Set(); this.#peerIPs.set(ip, peers) }
      peers.add(id)
    }
  }

  #removeIPs (id: string, ips: string[]): void {
    for (const ip of ips) {
      const peers = this.#peerIPs.get(ip)
      peers?.delete(id)
      if (peers?.size === 0) this.#peerIPs.delete(ip)
    }
  }

  #topicStats (id: string, topic: string): TopicStats | undefined {
    const stats = this.#peers.get(id)
    if (stats == null || this.params.topics[topic] == null) return undefined
    let ts = stats.topics.get(topic)
    if (ts == null) {
      ts = { inMesh: false, graftTime: 0, meshTime: 0, firstMessageDeliveries: 0, meshMessageDeliveries: 0, meshMessageDeliveriesActive: false, meshFailurePenalty: 0, invalidMessageDeliveries: 0 }
      stats.topics.set(topic, ts)
    }
    return ts
  }

  /** The peer joined our mesh for `topic`: P₁ starts counting, P₃ activates later. */
  graft (id: string, topic: string): void {
    const ts = this.#topicStats(id, topic)
    if (ts == null) return
    ts.inMesh = true
    ts.graftTime = this.#now()
    ts.meshTime = 0
    ts.meshMessageDeliveriesActive = false
  }

  /** The peer left our mesh for `topic`: an active delivery deficit becomes a sticky P₃b penalty. */
  prune (id: string, topic: string): void {
    const ts = this.#topicStats(id, topic)
    const tp = this.params.topics[topic]
    if (ts == null || tp == null) return
    this.#applyMeshFailure(ts, tp.meshMessageDeliveriesThreshold)
    ts.inMesh = false
  }

  #applyMeshFailure (ts: TopicStats, threshold: number): void {
    if (ts.meshMessageDeliveriesActive && ts.meshMessageDeliveries < threshold) {
      const deficit = threshold - ts.meshMessageDeliveries
      ts.meshFailurePenalty += deficit * deficit
    }
  }

  /** P₇: a misbehaviour (broken IWANT promise, GRAFT in backoff...) counted `count` times. */
  addPenalty (id: string, count: number): void {
    const stats = this.#peers.get(id)
    if (stats != null) stats.behaviourPenalty += count
  }

  /** A message was seen for the first time (before validation): opens its delivery record. */
  validateMessage (msgId: string, topic: string): void {
    // unscored topics need no delivery records (P₂-P₄ do not apply to them)
    if (this.params.topics[topic] == null || this.#deliveries.has(msgId)) return
    if (this.#deliveries.size >= MAX_DELIVERY_RECORDS) this.#expireDeliveries(true)
    const now = this.#now()
    this.#deliveries.set(msgId, { status: DeliveryStatus.Unknown, firstSeen: now, validated: 0, peers: new Set(), topic, expire: now + DELIVERY_RECORD_TTL })
  }

  /** The message from `from` validated: P₂ (and P₃) for it, P₃ for peers whose copies arrived while validating. */
  deliverMessage (from: string, msgId: string, topic: string): void {
    if (this.params.topics[topic] == null) return
    this.#markFirstDelivery(from, topic)
    const record = this.#record(msgId, topic)
    if (record.status !== DeliveryStatus.Unknown) return
    record.status = DeliveryStatus.Valid
    record.validated = this.#now()
    for (const peer of record.peers) {
      if (peer !== from) this.#markDuplicateDelivery(peer, topic, 0)
    }
  }

  /** The message from `from` was refused; see {@link RejectReason} for whom it costs. */
  rejectMessage (from: string, msgId: string | undefined, topic: string, reason: RejectReason): void {
    if (this.params.topics[topic] == null) return
    if (reason === RejectReason.Error || msgId == null) {
      this.#markInvalidDelivery(from, topic)
      return
    }
    if (reason === RejectReason.Blacklisted) return
    const record = this.#record(msgId, topic)
    if (record.status !== DeliveryStatus.Unknown) return
    if (reason === RejectReason.Ignore) {
      record.status = DeliveryStatus.Ignored
      record.peers.clear()
      return
    }
    record.status = DeliveryStatus.Invalid
    this.#markInvalidDelivery(from, topic)
    for (const peer of record.peers) this.#markInvalidDelivery(peer, topic)
    record.peers.clear()
  }

  /** Another copy of a message already seen arrived from `from`. */
  duplicateMessage (from: string, msgId: string, topic: string): void {
    if (this.params.topics[topic] == null) return
    const record = this.#record(msgId, topic)
    if (record.peers.has(from)) return
    switch (record.status) {
      case DeliveryStatus.Unknown:
        record.peers.add(from)
        break
      case DeliveryStatus.Valid:
        record.peers.add(from)
        this.#markDuplicateDelivery(from, topic, record.validated)
        break
      case DeliveryStatus.Invalid:
        this.#markInvalidDelivery(from, topic)
        break
      default:
        break
    }
  }

  #record (msgId: string, topic: string): DeliveryRecord {
    let record = this.#deliveries.get(msgId)
    if (record == null) {
      this.validateMessage(msgId, topic)
      record = this.#deliveries.get(msgId) as DeliveryRecord
    }
    return record
  }

  #markFirstDelivery (id: string, topic: string): void {
    const ts = this.#topicStats(id, topic)
    const tp = this.params.topics[topic]
    if (ts == null || tp == null) return
    ts.firstMessageDeliveries = Math.min(ts.firstMessageDeliveries + 1, tp.firstMessageDeliveriesCap)
    if (ts.inMesh) ts.meshMessageDeliveries = Math.min(ts.meshMessageDeliveries + 1, tp.meshMessageDeliveriesCap)
  }

  #markDuplicateDelivery (id: string, topic: string, validated: number): void {
    const ts = this.#topicStats(id, topic)
    const tp = this.params.topics[topic]
    if (ts == null || tp == null || !ts.inMesh) return
    // a copy counts for P₃ only if it came "near-first": before validation ended or within the window after
    if (validated !== 0 && this.#now() > validated + tp.meshMessageDeliveriesWindow) return
    ts.meshMessageDeliveries = Math.min(ts.meshMessageDeliveries + 1, tp.meshMessageDeliveriesCap)
  }

  #markInvalidDelivery (id: string, topic: string): void {
    const ts = this.#topicStats(id, topic)
    if (ts != null) ts.invalidMessageDeliveries += 1
  }

  /** The score of a peer (0 for an unknown one). */
  score (id: string): number {
    const stats = this.#peers.get(id)
    if (stats == null) return 0
    const p = this.params
    let topicsScore = 0
    for (const [topic, ts] of stats.topics) {
      const tp = p.topics[topic]
      if (tp == null) continue
      let s = 0
      if (ts.inMesh) {
        const meshTime = Math.max(ts.meshTime, this.#now() - ts.graftTime)
        s += Math.min(meshTime / tp.timeInMeshQuantum, tp.timeInMeshCap) * tp.timeInMeshWeight
      }
      s += ts.firstMessageDeliveries * tp.firstMessageDeliveriesWeight
      if (ts.meshMessageDeliveriesActive && ts.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold) {
        const deficit = tp.meshMessageDeliveriesThreshold - ts.meshMessageDeliveries
        s += deficit * deficit * tp.meshMessageDeliveriesWeight
      }
      s += ts.meshFailurePenalty * tp.meshFailurePenaltyWeight
      // P₄ is the square of the counter, as go and rust compute it
      s += ts.invalidMessageDeliveries * ts.invalidMessageDeliveries * tp.invalidMessageDeliveriesWeight
      topicsScore += s * tp.topicWeight
    }
    if (p.topicScoreCap > 0 && topicsScore > p.topicScoreCap) topicsScore = p.topicScoreCap
    let score = topicsScore
    score += p.appSpecificScore(id) * p.appSpecificWeight
    score += this.ipColocationFactor(id) * p.IPColocationFactorWeight
    if (stats.behaviourPenalty > p.behaviourPenaltyThreshold) {
      const excess = stats.behaviourPenalty - p.behaviourPenaltyThreshold
      score += excess * excess * p.behaviourPenaltyWeight
    }
    return score
  }

  /** P₆: the square of the surplus of peers sharing each of the peer's IPs, summed. */
  ipColocationFactor (id: string): number {
    const stats = this.#peers.get(id)
    if (stats == null) return 0
    let factor = 0
    for (const ip of stats.ips) {
      if (this.params.IPColocationFactorWhitelist.has(ip)) continue
      const count = this.#peerIPs.get(ip)?.size ?? 0
      if (count > this.params.IPColocationFactorThreshold) {
        const surplus = count - this.params.IPColocationFactorThreshold
        factor += surplus * surplus
      }
    }
    return factor
  }

  /** Raw counters of a peer in a topic (for tests and metrics). */
  topicStats (id: string, topic: string): Readonly<TopicStats> | undefined {
    return this.#peers.get(id)?.topics.get(topic)
  }

  behaviourPenalty (id: string): number {
    return this.#peers.get(id)?.behaviourPenalty ?? 0
  }

  /**
   * Decay ("Parameter Decay"), run every `decayInterval`: counters are
   * multiplied by their decay factor and dropped to zero below
   * `decayToZero`; P₃ activates for peers in the mesh long enough; retained
   * records of disconnected peers expire.
   */
  refreshScores (): void {
    const now = this.#now()
    const p = this.params
    const decay = (v: number, factor: number): number => {
      const d = v * factor
      return d < p.decayToZero ? 0 : d
    }
    for (const [id, stats] of this.#peers) {
      if (!stats.connected) {
        if (stats.expire < now) {
          this.#removeIPs(id, stats.ips)
          this.#peers.delete(id)
        }
        // a retained score does not decay while the peer is away, so reconnecting does not launder it
        continue
      }
      for (const [topic, ts] of stats.topics) {
        const tp = p.topics[topic]
        if (tp == null) continue
        ts.firstMessageDeliveries = decay(ts.firstMessageDeliveries, tp.firstMessageDeliveriesDecay)
        ts.meshMessageDeliveries = decay(ts.meshMessageDeliveries, tp.meshMessageDeliveriesDecay)
        ts.meshFailurePenalty = decay(ts.meshFailurePenalty, tp.meshFailurePenaltyDecay)
        ts.invalidMessageDeliveries = decay(ts.invalidMessageDeliveries, tp.invalidMessageDeliveriesDecay)
        if (ts.inMesh) {
          ts.meshTime = now - ts.graftTime
          if (ts.meshTime > tp.meshMessageDeliveriesActivation) ts.meshMessageDeliveriesActive = true
        }
      }
      stats.behaviourPenalty = decay(stats.behaviourPenalty, p.behaviourPenaltyDecay)
    }
    this.#expireDeliveries(false)
  }

  #expireDeliveries (force: boolean): void {
    const now = this.#now()
    for (const [id, record] of this.#deliveries) {
      // insertion order is expiry order: stop at the first live one
      if (record.expire > now && !force) break
      this.#deliveries.delete(id)
      if (force && this.#deliveries.size < MAX_DELIVERY_RECORDS / 2) break
    }
  }
}
