/**
 * Gossip: IHAVE emission (v1.0 "Gossip Emission", v1.1 "Adaptive Gossip
 * Dissemination"), IHAVE/IWANT handling with the v1.1 spam limits, and the
 * IWANT follow-up promises whose breach costs a P₇ penalty (v1.1 "Spam
 * Protection Measures"). Pure over the state passed in.
 */
import { shuffle } from './mesh.js'

export interface GossipParams {
  Dlazy: number
  gossipFactor: number
  maxIHaveLength: number
  maxIHaveMessages: number
  gossipRetransmission: number
}

/**
 * Picks the gossip targets of a topic: peers subscribed to it, not in the
 * mesh/fanout (`exclude`), not direct, able to gossip, scoring at least the
 * gossip threshold; `max(D_lazy, gossipFactor * candidates)` of them, at random.
 */
export function selectGossipPeers (candidates: Iterable<string>, exclude: (peer: string) => boolean, params: Pick<GossipParams, 'Dlazy' | 'gossipFactor'>, random: () => number): string[] {
  const eligible: string[] = []
  for (const peer of candidates) if (!exclude(peer)) eligible.push(peer)
  const target = Math.max(params.Dlazy, Math.floor(eligible.length * params.gossipFactor))
  shuffle(eligible, random)
  return target >= eligible.length ? eligible : eligible.slice(0, target)
}

/**
 * The ids advertised in one IHAVE: at most `maxIHaveLength`, chosen at
 * random when there are more (go does the same so every id gets a chance).
 */
export function gossipIds (ids: string[], maxIHaveLength: number, random: () => number): string[] {
  if (ids.length <= maxIHaveLength) return ids
  return shuffle([...ids], random).slice(0, maxIHaveLength)
}

/** Per-heartbeat counters of the IHAVE limits for each peer. */
export class IHaveLimits {
  /** IHAVE messages received per peer this heartbeat. */
  readonly peerhave = new Map<string, number>()
  /** Message ids we asked each peer for this heartbeat. */
  readonly iasked = new Map<string, number>()

  clear (): void {
    this.peerhave.clear()
    this.iasked.clear()
  }
}

export interface IHaveInput {
  topicID?: string
  messageIDs: string[]
}

/**
 * Decides which advertised ids to ask for with IWANT. Ignores the IHAVE
 * entirely past `maxIHaveMessages` per heartbeat or `maxIHaveLength`
 * asked ids; skips topics we are not in (`wantTopic`) and ids already seen.
 */
export function handleIHave (peer: string, ihaves: IHaveInput[], limits: IHaveLimits, params: GossipParams, wantTopic: (topic: string) => boolean, seen: (id: string) => boolean, random: () => number): string[] {
  const have = (limits.peerhave.get(peer) ?? 0) + 1
  limits.peerhave.set(peer, have)
  if (have > params.maxIHaveMessages) return []
  const asked = limits.iasked.get(peer) ?? 0
  if (asked >= params.maxIHaveLength) return []
  const want = new Set<string>()
  for (const ihave of ihaves) {
    if (ihave.topicID == null || !wantTopic(ihave.topicID)) continue
    for (const id of ihave.messageIDs) {
      if (!seen(id)) want.add(id)
      // bound the work per frame too: stop scanning once more than we could ask for is collected
      if (want.size >= params.maxIHaveLength) break
    }
  }
  let ids = [...want]
  const room = params.maxIHaveLength - asked
  if (ids.length > room) ids = shuffle(ids, random).slice(0, room)
  if (ids.length > 0) limits.iasked.set(peer, asked + ids.length)
  return ids
}

/**
 * The promises made by IWANT: for each IHAVE that made us send an IWANT we
 * track one random id of it; if that message has not arrived (from anyone)
 * by the deadline, the advertiser broke its promise.
 */
export class GossipPromises {
  /** msgId -> peer -> deadline */
  readonly #promises = new Map<string, Map<string, number>>()
  readonly #followup: number
  readonly #now: () => number
  readonly #max: number

  constructor (followupTime: number, now: () => number = Date.now, max = 100_000) {
    this.#followup = followupTime
    this.#now = now
    this.#max = max
  }

  get size (): number {
    return this.#promises.size
  }

  /** Tracks one random id of `ids`, requested from `peer`. */
  add (peer: string, ids: string[], random: () => number): void {
    if (ids.length === 0 || this.#promises.size >= this.#max) return
    const id = ids[Math.floor(random() * ids.length)]
    let peers = this.#promises.get(id)
    if (peers == null) { peers = new Map(); this.#promises.set(id, peers) }
    if (!peers.has(peer)) peers.set(peer, this.#now() + this.#followup)
  }

  /** The message arrived (valid, or invalid and penalised through P₄): every promise for it is kept. */
  deliver (id: string): void {
    this.#promises.delete(id)
  }

  /** peer -> promises broken (deadline passed); those promises are dropped. */
  takeBroken (): Map<string, number> {
    const now = this.#now()
    const broken = new Map<string, number>()
    for (const [id, peers] of this.#promises) {
      for (const [peer, deadline] of peers) {
        if (deadline < now) {
          broken.set(peer, (broken.get(peer) ?? 0) + 1)
          peers.delete(peer)
        }
      }
      if (peers.size === 0) this.#promises.delete(id)
    }
    return broken
  }
}
