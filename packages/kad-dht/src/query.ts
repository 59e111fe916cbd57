import { setMaxListeners } from '@ts-libp2p/interface'
import { anySignal } from '@ts-libp2p/utils'
import { CustomProgressEvent } from 'progress-events'
import { ALPHA, BETA, K, MAX_PEERS_QUERIED } from './constants.js'
import { compareCloser, kadKey } from './distance.js'
import type { AbortOptions, PeerId, PeerInfo } from '@ts-libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

/** What asking one peer gave: closer peers, and whether the query may stop now. */
export interface PeerAnswer<T> {
  closer: PeerInfo[]
  /** Whatever else the caller extracted (record, providers...). */
  value?: T
  /** True ends the whole query after this answer (value found, quorum met). */
  stop?: boolean
}

/** Progress of a lookup, dispatched through `onProgress`. */
export type QueryProgressEvents =
  ProgressEvent<'kad-dht:query:peer-queried', { peer: PeerId, hop: number, closer: number }> |
  ProgressEvent<'kad-dht:query:peer-failed', { peer: PeerId, hop: number, error: Error }> |
  ProgressEvent<'kad-dht:query:closest', { closest: PeerId[] }>

/** An answer as the query yields it. */
export interface QueryAnswer<T> {
  peer: PeerId
  /** The hop at which this peer was reached: seeds are hop 1. */
  hop: number
  value?: T
}

/** How a finished lookup went. */
export interface QueryOutcome {
  /** The closest peers that answered, closest first (at most k). */
  closest: PeerInfo[]
  /** Peers asked. */
  queried: number
  /** Peers that failed or timed out. */
  failed: number
  /**
   * The path length of the lookup: the hop of the peer whose answer stopped
   * it, else the hop of the closest peer that answered (seeds are hop 1).
   */
  hops: number
  /** The deepest hop that answered at all. */
  maxHop: number
  /** Why it ended. */
  reason: 'converged' | 'exhausted' | 'stopped' | 'limit'
}

/** Options of one lookup. */
export interface QueryInit<T> extends AbortOptions, ProgressOptions<QueryProgressEvents> {
  /** The key on the wire; its sha256 is the target in the keyspace. */
  key: Uint8Array
  /** Where to start: usually the k closest peers of the routing table. */
  seeds: PeerInfo[]
  self: PeerId
  /** Asks one peer; throws on failure. Gets a signal that fires when the query ends. */
  ask(peer: PeerInfo, signal: AbortSignal): Promise<PeerAnswer<T>>
  alpha?: number
  beta?: number
  k?: number
  maxPeersQueried?: number
  /** Called once with the outcome, also when the consumer stops iterating early (reason 'stopped'). */
  onOutcome?(outcome: QueryOutcome): void
}

interface Candidate {
  info: PeerInfo
  kadId: Uint8Array
  hop: number
  state: 'waiting' | 'asking' | 'answered' | 'failed'
}

/**
 * An iterative Kademlia lookup (spec, "Peer routing"): start from the
 * seeds, keep `alpha` requests in flight to the closest peers not yet asked,
 * add the closer peers each answer brings. It converges when the `beta`
 * closest live peers have answered and no peer closer than the k-th closest
 * answered one is left to ask; it also ends when nothing is left to ask, an
 * answer says stop, `maxPeersQueried` is reached or the signal fires.
 *
 * Yields every answer as it arrives; returns the outcome. Stopping the
 * iteration early aborts the requests in flight.
 */
export async function * runQuery<T> (init: QueryInit<T>): AsyncGenerator<QueryAnswer<T>, QueryOutcome> {
  const target = kadKey(init.key)
  const alpha = Math.max(1, init.alpha ?? ALPHA)
  const beta = Math.max(1, init.beta ?? BETA)
  const k = Math.max(1, init.k ?? K)
  const maxQueried = init.maxPeersQueried ?? MAX_PEERS_QUERIED
  const self = init.self.toString()
  const candidates = new Map<string, Candidate>()
  let sorted: Candidate[] = []
  let dirty = false

  const addCandidate = (info: PeerInfo, hop: number): void => {
    const id = info.id.toString()
    if (id === self) return
    const existing = candidates.get(id)
    if (existing != null) {
      // learn addresses a later answer brought, before we dial it
      if (existing.state === 'waiting' && info.multiaddrs.length > 0 && existing.info.multiaddrs.length === 0) existing.info = info
      return
    }
    candidates.set(id, { info, kadId: kadKey(info.id.toMultihash().bytes), hop, state: 'waiting' })
    dirty = true
  }
  const ordered = (): Candidate[] => {
    if (dirty) {
      sorted = [...candidates.values()].sort((a, b) => compareCloser(target, a.kadId, b.kadId))
      dirty = false
    }
    return sorted
  }

  for (const seed of init.seeds) addCandidate(seed, 1)

  const ended = new AbortController()
  const signal = anySignal([init.signal, ended.signal])
  // every request in flight listens to it
  setMaxListeners(Infinity, signal)
  const inFlight = new Map<string, Promise<{ c: Candidate, answer?: PeerAnswer<T>, error?: Error }>>()
  let queried = 0
  let failed = 0
  let maxHop = 0
  let outcome: QueryOutcome
  let stoppedAt: number | undefined
  let reason: QueryOutcome['reason'] = 'stopped'
  let lastClosest = ''

  const converged = (): boolean => {
    const live = ordered().filter(c => c.state !== 'failed')
    if (live.length === 0) return false
    const closestBeta = live.slice(0, beta)
    if (!closestBeta.every(c => c.state === 'answered')) return false
    // nothing worth asking closer than the k-th closest peer that answered
    let answered = 0
    for (const c of live) {
      if (c.state === 'answered') {
        answered++
        if (answered >= k) return true
      } else if (c.state === 'waiting') {
        return false
      }
    }
    return true
  }

  try {
    while (true) {
      signal.throwIfAborted()
      if (converged()) {
        // the beta closest answered and nothing closer is waiting: slower peers in flight are not waited for
        reason = 'converged'
        break
      }
      // fill the window with the closest peers not yet asked
      for (const c of ordered()) {
        if (inFlight.size >= alpha || queried >= maxQueried) break
        if (c.state !== 'waiting') continue
        c.state = 'asking'
        queried++
        const id = c.info.id.toString()
        inFlight.set(id, init.ask(c.info, signal).then(
          answer => ({ c, answer }),
          error => ({ c, error: error instanceof Error ? error : new Error(String(error)) })
        ))
      }
      if (inFlight.size === 0) {
        reason = queried >= maxQueried ? 'limit' : 'exhausted'
        break
      }
      reason = 'stopped'
      const { c, answer, error } = await raceAbort(Promise.race(inFlight.values()), signal)
      inFlight.delete(c.info.id.toString())
      if (error != null || answer == null) {
        c.state = 'failed'
        failed++
        init.onProgress?.(new CustomProgressEvent('kad-dht:query:peer-failed', { peer: c.info.id, hop: c.hop, error: error ?? new Error('no answer') }))
        continue
      }
      c.state = 'answered'
      maxHop = Math.max(maxHop, c.hop)
      // a peer naming itself (or us) as closer is ignored by addCandidate / the answered state
      let kept = 0
      for (const info of answer.closer) {
        if (kept >= k * 5) break
        addCandidate(info, c.hop + 1)
        kept++
      }
      init.onProgress?.(new CustomProgressEvent('kad-dht:query:peer-queried', { peer: c.info.id, hop: c.hop, closer: answer.closer.length }))
      const closest = ordered().filter(x => x.state === 'answered').slice(0, k)
      const closestIds = closest.map(x => x.info.id.toString()).join(',')
      if (closestIds !== lastClosest) {
        lastClosest = closestIds
        init.onProgress?.(new CustomProgressEvent('kad-dht:query:closest', { closest: closest.map(x => x.info.id) }))
      }
      yield { peer: c.info.id, hop: c.hop, value: answer.value }
      if (answer.stop === true) {
        reason = 'stopped'
        stoppedAt = c.hop
        break
      }
    }
  } finally {
    ended.abort(new Error('The query ended'))
    signal.clear()
    // requests in flight settle on their own (they saw the abort); nobody waits for them
    const answered = ordered().filter(c => c.state === 'answered')
    outcome = {
      closest: answered.slice(0, k).map(c => c.info),
      queried,
      failed,
      hops: stoppedAt ?? answered[0]?.hop ?? 0,
      maxHop,
      reason
    }
    init.onOutcome?.(outcome)
  }
  return outcome
}

async function raceAbort<T> (promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw signal.reason
  let listener: (() => void) | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        listener = () => { reject(signal.reason) }
        signal.addEventListener('abort', listener, { once: true })
      })
    ])
  } finally {
    if (listener != null) signal.removeEventListener('abort', listener)
  }
}
