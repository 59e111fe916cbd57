/**
 * Peer score parameters and thresholds of gossipsub v1.1 ("Peer Scoring",
 * "Overview of New Parameters"), their defaults and their validation.
 * Defaults where the spec gives none follow go-libp2p-pubsub / js gossipsub.
 */
import { InvalidScoreParamsError } from '../errors.js'

/** Per-topic parameters P₁ to P₄ ("Topic Parameters" table of v1.1). */
export interface TopicScoreParams {
  /** How much behaviour in this topic counts in the overall score. */
  topicWeight: number
  /** w₁, weight of P₁ time in mesh: a small positive value. */
  timeInMeshWeight: number
  /** Time (ms) in mesh for one point of P₁. */
  timeInMeshQuantum: number
  /** Maximum value of P₁. */
  timeInMeshCap: number
  /** w₂, weight of P₂ first message deliveries: positive. */
  firstMessageDeliveriesWeight: number
  /** Decay factor of P₂ per decay interval, in (0, 1). */
  firstMessageDeliveriesDecay: number
  /** Maximum value of the P₂ counter. */
  firstMessageDeliveriesCap: number
  /** w₃, weight of P₃ mesh message delivery deficit: negative. */
  meshMessageDeliveriesWeight: number
  /** Decay factor of the P₃ counter. */
  meshMessageDeliveriesDecay: number
  /** Deliveries below which P₃ (deficit²) applies. */
  meshMessageDeliveriesThreshold: number
  /** Maximum value of the P₃ counter, >= threshold. */
  meshMessageDeliveriesCap: number
  /** Time (ms) in mesh before P₃ applies. */
  meshMessageDeliveriesActivation: number
  /** Time (ms) after the first delivery in which a duplicate still counts for P₃ ("near-first"). */
  meshMessageDeliveriesWindow: number
  /** w₃b, weight of P₃b mesh failure penalty: negative. */
  meshFailurePenaltyWeight: number
  /** Decay factor of P₃b. */
  meshFailurePenaltyDecay: number
  /** w₄, weight of P₄ invalid messages: negative. */
  invalidMessageDeliveriesWeight: number
  /** Decay factor of P₄. */
  invalidMessageDeliveriesDecay: number
}

/** Global parameters (P₅ to P₇, decay and retention). */
export interface PeerScoreParams {
  /** Per-topic parameters; topics not listed do not count in P₁..P₄. */
  topics: Record<string, TopicScoreParams>
  /** Cap of the summed topic contribution; 0 for none. */
  topicScoreCap: number
  /** P₅: the application's score of a peer (any real value). */
  appSpecificScore: (peerId: string) => number
  /** w₅: positive. */
  appSpecificWeight: number
  /** w₆: negative (or 0 to disable). */
  IPColocationFactorWeight: number
  /** Peers per IP allowed before P₆ applies, at least 1. */
  IPColocationFactorThreshold: number
  /** IPs exempt from P₆. */
  IPColocationFactorWhitelist: Set<string>
  /** w₇: negative (or 0 to disable). */
  behaviourPenaltyWeight: number
  /** P₇ counter value below which no penalty applies (go extension, default 0). */
  behaviourPenaltyThreshold: number
  /** Decay factor of the P₇ counter, in (0, 1). */
  behaviourPenaltyDecay: number
  /** Interval (ms) between decays. */
  decayInterval: number
  /** Counters below this value decay to zero. */
  decayToZero: number
  /** Time (ms) a disconnected peer's score is remembered. */
  retainScore: number
}

/** v1.1 "Score Thresholds". */
export interface PeerScoreThresholds {
  /** Below it no gossip is emitted to the peer and its gossip is ignored; must be < 0. */
  gossipThreshold: number
  /** Below it our own messages are not sent to the peer; must be <= gossipThreshold. */
  publishThreshold: number
  /** Below it all RPCs of the peer are ignored; must be < publishThreshold. */
  graylistThreshold: number
  /** PX from peers below it is ignored; must be >= 0. */
  acceptPXThreshold: number
  /** Median mesh score below which opportunistic grafting kicks in; must be >= 0. */
  opportunisticGraftThreshold: number
}

/** Defaults of js/go gossipsub for the global parameters (no topics scored). */
export function defaultPeerScoreParams (): PeerScoreParams {
  return {
    topics: {},
    topicScoreCap: 10,
    appSpecificScore: () => 0,
    appSpecificWeight: 10,
    IPColocationFactorWeight: -5,
    IPColocationFactorThreshold: 10,
    IPColocationFactorWhitelist: new Set(),
    behaviourPenaltyWeight: -10,
    behaviourPenaltyThreshold: 0,
    behaviourPenaltyDecay: 0.2,
    decayInterval: 1000,
    decayToZero: 0.1,
    retainScore: 3600 * 1000
  }
}

/** Defaults of js/go gossipsub for one topic (P₃ off: its threshold must be tuned to the topic's rate). */
export function defaultTopicScoreParams (): TopicScoreParams {
  return {
    topicWeight: 0.5,
    timeInMeshWeight: 1,
    timeInMeshQuantum: 1000,
    timeInMeshCap: 3600,
    firstMessageDeliveriesWeight: 1,
    firstMessageDeliveriesDecay: 0.5,
    firstMessageDeliveriesCap: 2000,
    meshMessageDeliveriesWeight: -1,
    meshMessageDeliveriesDecay: 0.5,
    meshMessageDeliveriesCap: 100,
    meshMessageDeliveriesThreshold: 20,
    meshMessageDeliveriesWindow: 10,
    meshMessageDeliveriesActivation: 5000,
    meshFailurePenaltyWeight: -1,
    meshFailurePenaltyDecay: 0.5,
    invalidMessageDeliveriesWeight: -1,
    invalidMessageDeliveriesDecay: 0.3
  }
}

/** js/go gossipsub default thresholds. */
export function defaultPeerScoreThresholds (): PeerScoreThresholds {
  return {
    gossipThreshold: -10,
    publishThreshold: -50,
    graylistThreshold: -80,
    acceptPXThreshold: 10,
    opportunisticGraftThreshold: 20
  }
}

/** Merges partial parameters over the defaults (topic entries over the topic defaults). */
export function createPeerScoreParams (p: Partial<Omit<PeerScoreParams, 'topics'>> & { topics?: Record<string, Partial<TopicScoreParams>> } = {}): PeerScoreParams {
  const topics: Record<string, TopicScoreParams> = {}
  for (const [topic, params] of Object.entries(p.topics ?? {})) {
    topics[topic] = { ...defaultTopicScoreParams(), ...params }
  }
  return { ...defaultPeerScoreParams(), ...p, topics }
}

/** Merges partial thresholds over the defaults. */
export function createPeerScoreThresholds (p: Partial<PeerScoreThresholds> = {}): PeerScoreThresholds {
  return { ...defaultPeerScoreThresholds(), ...p }
}

function fail (message: string): never {
  throw new InvalidScoreParamsError(message)
}

function decayOk (v: number): boolean {
  return v > 0 && v < 1
}

/** Throws InvalidScoreParamsError when a topic parameter breaks a v1.1 rule. */
export function validateTopicScoreParams (topic: string, p: TopicScoreParams): void {
  const where = `topic "${topic}":`
  if (!(p.topicWeight >= 0)) fail(`${where} topicWeight must be >= 0`)
  if (p.timeInMeshWeight !== 0) {
    if (!(p.timeInMeshWeight > 0)) fail(`${where} timeInMeshWeight must be positive (or 0 to disable)`)
    if (!(p.timeInMeshQuantum > 0)) fail(`${where} timeInMeshQuantum must be positive`)
    if (!(p.timeInMeshCap > 0)) fail(`${where} timeInMeshCap must be positive`)
  }
  if (p.firstMessageDeliveriesWeight !== 0) {
    if (!(p.firstMessageDeliveriesWeight > 0)) fail(`${where} firstMessageDeliveriesWeight must be positive (or 0)`)
    if (!decayOk(p.firstMessageDeliveriesDecay)) fail(`${where} firstMessageDeliveriesDecay must be in (0, 1)`)
    if (!(p.firstMessageDeliveriesCap > 0)) fail(`${where} firstMessageDeliveriesCap must be positive`)
  }
  if (p.meshMessageDeliveriesWeight !== 0) {
    if (!(p.meshMessageDeliveriesWeight < 0)) fail(`${where} meshMessageDeliveriesWeight must be negative (or 0)`)
    if (!decayOk(p.meshMessageDeliveriesDecay)) fail(`${where} meshMessageDeliveriesDecay must be in (0, 1)`)
    if (!(p.meshMessageDeliveriesThreshold > 0)) fail(`${where} meshMessageDeliveriesThreshold must be positive`)
    if (!(p.meshMessageDeliveriesCap >= p.meshMessageDeliveriesThreshold)) fail(`${where} meshMessageDeliveriesCap must be >= the threshold`)
    if (!(p.meshMessageDeliveriesActivation >= 1000)) fail(`${where} meshMessageDeliveriesActivation must be at least 1 s`)
    if (!(p.meshMessageDeliveriesWindow >= 0)) fail(`${where} meshMessageDeliveriesWindow must be >= 0`)
  }
  if (p.meshFailurePenaltyWeight !== 0) {
    if (!(p.meshFailurePenaltyWeight < 0)) fail(`${where} meshFailurePenaltyWeight must be negative (or 0)`)
    if (!decayOk(p.meshFailurePenaltyDecay)) fail(`${where} meshFailurePenaltyDecay must be in (0, 1)`)
  }
  if (p.invalidMessageDeliveriesWeight !== 0) {
    if (!(p.invalidMessageDeliveriesWeight < 0)) fail(`${where} invalidMessageDeliveriesWeight must be negative (or 0)`)
    if (!decayOk(p.invalidMessageDeliveriesDecay)) fail(`${where} invalidMessageDeliveriesDecay must be in (0, 1)`)
  }
}

/** Throws InvalidScoreParamsError when a global parameter or a topic's breaks a v1.1 rule. */
export function validatePeerScoreParams (p: PeerScoreParams): void {
  for (const [topic, params] of Object.entries(p.topics)) validateTopicScoreParams(topic, params)
  if (!(p.topicScoreCap >= 0)) fail('topicScoreCap must be >= 0 (0 for no cap)')
  if (typeof p.appSpecificScore !== 'function') fail('appSpecificScore must be a function')
  if (!(p.appSpecificWeight >= 0)) fail('appSpecificWeight must be positive (or 0)')
  if (!(p.IPColocationFactorWeight <= 0)) fail('IPColocationFactorWeight must be negative (or 0)')
  if (p.IPColocationFactorWeight !== 0 && !(p.IPColocationFactorThreshold >= 1)) fail('IPColocationFactorThreshold must be at least 1')
  if (!(p.behaviourPenaltyWeight <= 0)) fail('behaviourPenaltyWeight must be negative (or 0)')
  if (p.behaviourPenaltyWeight !== 0 && !decayOk(p.behaviourPenaltyDecay)) fail('behaviourPenaltyDecay must be in (0, 1)')
  if (!(p.behaviourPenaltyThreshold >= 0)) fail('behaviourPenaltyThreshold must be >= 0')
  if (!(p.decayInterval >= 1)) fail('decayInterval must be positive')
  if (!(p.decayToZero > 0 && p.decayToZero < 1)) fail('decayToZero must be in (0, 1)')
  if (!(p.retainScore >= 0)) fail('retainScore must be >= 0')
}

/** Throws InvalidScoreParamsError unless graylist < publish <= gossip < 0 <= acceptPX, opportunisticGraft. */
export function validatePeerScoreThresholds (t: PeerScoreThresholds): void {
  if (!(t.gossipThreshold <= 0)) fail('gossipThreshold must be <= 0')
  if (!(t.publishThreshold <= 0 && t.publishThreshold <= t.gossipThreshold)) fail('publishThreshold must be <= 0 and <= gossipThreshold')
  if (!(t.graylistThreshold <= 0 && t.graylistThreshold <= t.publishThreshold)) fail('graylistThreshold must be <= 0 and <= publishThreshold')
  if (!(t.acceptPXThreshold >= 0)) fail('acceptPXThreshold must be >= 0')
  if (!(t.opportunisticGraftThreshold >= 0)) fail('opportunisticGraftThreshold must be >= 0')
}
