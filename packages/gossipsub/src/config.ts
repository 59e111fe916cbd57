/**
 * Resolves the service options against the spec defaults and checks the
 * rules the specs put on them (v1.1: `D_out < D_lo` and `D_out <= D/2`;
 * `D_lo <= D <= D_hi`; score parameters and thresholds).
 */
import { StrictSign } from '@ts-libp2p/interface'
import * as C from './constants.js'
import { InvalidGossipsubParamsError } from './errors.js'
import { createPeerScoreParams, createPeerScoreThresholds, validatePeerScoreParams, validatePeerScoreThresholds } from './score/params.js'
import type { GossipsubOptions } from './index.js'
import type { PeerScoreParams, PeerScoreThresholds } from './score/params.js'
import type { SignaturePolicy } from '@ts-libp2p/interface'

export interface GossipsubConfig {
  D: number
  Dlo: number
  Dhi: number
  Dlazy: number
  Dscore: number
  Dout: number
  heartbeatInterval: number
  fanoutTTL: number
  mcacheLength: number
  mcacheGossip: number
  seenTTL: number
  pruneBackoff: number
  unsubscribeBackoff: number
  gossipFactor: number
  floodPublish: boolean
  doPX: boolean
  directConnectTicks: number
  opportunisticGraftTicks: number
  opportunisticGraftPeers: number
  gossipRetransmission: number
  maxIHaveLength: number
  maxIHaveMessages: number
  iwantFollowupTime: number
  graftFloodThreshold: number
  idontwantMessageThreshold: number
  maxIDontWantMessages: number
  testExtension: boolean
  globalSignaturePolicy: SignaturePolicy
  maxRpcSize: number
  emitSelf: boolean
  allowPublishToZeroTopicPeers: boolean
  protocols: string[]
  maxOutboundQueueBytes: number
  maxValidationsInFlight: number
  scoreParams: PeerScoreParams
  scoreThresholds: PeerScoreThresholds
  random: () => number
}

export function resolveConfig (init: GossipsubOptions): GossipsubConfig {
  const D = init.D ?? C.D
  const config: GossipsubConfig = {
    D,
    Dlo: init.Dlo ?? Math.min(C.D_LO, D),
    Dhi: init.Dhi ?? Math.max(C.D_HI, D),
    Dlazy: init.Dlazy ?? C.D_LAZY,
    Dscore: init.Dscore ?? Math.min(C.D_SCORE, D),
    Dout: init.Dout ?? Math.min(C.D_OUT, Math.floor(D / 2)),
    heartbeatInterval: init.heartbeatInterval ?? C.HEARTBEAT_INTERVAL,
    fanoutTTL: init.fanoutTTL ?? C.FANOUT_TTL,
    mcacheLength: init.mcacheLength ?? C.MCACHE_LEN,
    mcacheGossip: init.mcacheGossip ?? C.MCACHE_GOSSIP,
    seenTTL: init.seenTTL ?? C.SEEN_TTL,
    pruneBackoff: init.pruneBackoff ?? C.PRUNE_BACKOFF,
    unsubscribeBackoff: init.unsubscribeBackoff ?? C.UNSUBSCRIBE_BACKOFF,
    gossipFactor: init.gossipFactor ?? C.GOSSIP_FACTOR,
    floodPublish: init.floodPublish ?? C.FLOOD_PUBLISH,
    doPX: init.doPX ?? true,
    directConnectTicks: init.directConnectTicks ?? C.DIRECT_CONNECT_TICKS,
    opportunisticGraftTicks: init.opportunisticGraftTicks ?? C.OPPORTUNISTIC_GRAFT_TICKS,
    opportunisticGraftPeers: init.opportunisticGraftPeers ?? C.OPPORTUNISTIC_GRAFT_PEERS,
    gossipRetransmission: init.gossipRetransmission ?? C.GOSSIP_RETRANSMISSION,
    maxIHaveLength: init.maxIHaveLength ?? C.MAX_IHAVE_LENGTH,
    maxIHaveMessages: init.maxIHaveMessages ?? C.MAX_IHAVE_MESSAGES,
    iwantFollowupTime: init.iwantFollowupTime ?? C.IWANT_FOLLOWUP_TIME,
    graftFloodThreshold: init.graftFloodThreshold ?? C.GRAFT_FLOOD_THRESHOLD,
    idontwantMessageThreshold: init.idontwantMessageThreshold ?? C.IDONTWANT_MESSAGE_THRESHOLD,
    maxIDontWantMessages: init.maxIDontWantMessages ?? C.MAX_IDONTWANT_MESSAGES,
    testExtension: init.testExtension ?? true,
    globalSignaturePolicy: init.globalSignaturePolicy ?? StrictSign,
    maxRpcSize: init.maxRpcSize ?? C.MAX_RPC_SIZE,
    emitSelf: init.emitSelf ?? false,
    allowPublishToZeroTopicPeers: init.allowPublishToZeroTopicPeers ?? false,
    protocols: init.protocols ?? (init.fallbackToFloodsub === false ? C.PROTOCOLS.filter(p => p !== C.FLOODSUB) : [...C.PROTOCOLS]),
    maxOutboundQueueBytes: init.maxOutboundQueueBytes ?? C.MAX_OUTBOUND_QUEUE_BYTES,
    maxValidationsInFlight: init.maxValidationsInFlight ?? C.MAX_VALIDATIONS_IN_FLIGHT,
    scoreParams: createPeerScoreParams(init.scoreParams),
    scoreThresholds: createPeerScoreThresholds(init.scoreThresholds),
    random: init.random ?? Math.random
  }
  validateConfig(config)
  return config
}

function fail (message: string): never {
  throw new InvalidGossipsubParamsError(message)
}

export function validateConfig (c: GossipsubConfig): void {
  if (!(c.D >= 1)) fail('D must be at least 1')
  if (!(c.Dlo >= 0 && c.Dlo <= c.D)) fail('D_lo must be within 0..D')
  if (!(c.Dhi >= c.D)) fail('D_hi must be >= D')
  if (!(c.Dscore >= 0 && c.Dscore <= c.D)) fail('D_score must be within 0..D')
  // v1.1: "Must be less than D_lo and at most D/2"
  if (!(c.Dout >= 0 && (c.Dout < c.Dlo || c.Dout === 0) && c.Dout <= c.D / 2)) fail('D_out must be less than D_lo and at most D/2')
  if (!(c.Dlazy >= 0)) fail('D_lazy must be >= 0')
  if (!(c.heartbeatInterval >= 1)) fail('heartbeatInterval must be positive')
  if (!(c.gossipFactor >= 0 && c.gossipFactor <= 1)) fail('gossipFactor must be within [0, 1]')
  if (!(c.mcacheGossip <= c.mcacheLength && c.mcacheLength >= 1)) fail('mcacheGossip must be <= mcacheLength')
  if (!(c.opportunisticGraftTicks >= 1)) fail('opportunisticGraftTicks must be at least 1')
  if (!(c.maxRpcSize >= 1024)) fail('maxRpcSize must be at least 1 KiB')
  if (c.protocols.length === 0) fail('at least one protocol must be offered')
  validatePeerScoreParams(c.scoreParams)
  validatePeerScoreThresholds(c.scoreThresholds)
}
