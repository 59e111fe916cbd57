import { NotFoundError, TimeoutError, setMaxListeners } from '@ts-libp2p/interface'
import { peerIdFromString } from '@ts-libp2p/peer-id'
import { anySignal } from '@ts-libp2p/utils'
import { equals as equalBytes } from 'multiformats/bytes'
import { CustomProgressEvent } from 'progress-events'
import { MAX_PROVIDERS_PER_RESPONSE } from './constants.js'
import { kadKey } from './distance.js'
import { QuorumNotMetError } from './errors.js'
import { MessageType } from './message.js'
import { parsePeers, toWirePeer } from './network.js'
import { runQuery } from './query.js'
import type { KadDHTQueryOptions } from './index.js'
import type { DHTMessage } from './message.js'
import type { DHTStats, Network } from './network.js'
import type { Providers } from './providers.js'
import type { PeerInfoCache } from './peer-info-cache.js'
import type { PeerAnswer, QueryOutcome } from './query.js'
import type { RecordStore } from './record-store.js'
import type { RecordValidation } from './records.js'
import type { RoutingTable } from './routing-table.js'
import type { Logger, PeerId, PeerInfo, PeerStore, Provider } from '@ts-libp2p/interface'
import type { ConnectionManager } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { CID } from 'multiformats/cid'

/** Lookup statistics, on top of the RPC counters. */
export interface QueryStats extends DHTStats {
  /** Lookups run. */
  queries: number
  /** Sum of the hop counts of all lookups. */
  totalHops: number
  /** The deepest lookup. */
  maxHops: number
  /** Hops of the last lookup. */
  lastHops: number
}

/** What the operations need. */
export interface OperationsContext {
  self: PeerId
  selfAddresses(): Multiaddr[]
  routingTable: RoutingTable
  network: Network
  records: RecordStore
  providers: Providers
  validation: RecordValidation
  peerStore: Pick<PeerStore, 'merge'>
  peerInfo: PeerInfoCache
  connectionManager: Pick<ConnectionManager, 'getConnections'>
  allowPrivateAddresses: boolean
  alpha: number
  beta: number
  k: number
  queryTimeout: number
  getQuorum: number
  putQuorum: number
  log: Logger
  stats: QueryStats
  /** Fires when the DHT stops. */
  shutdown(): AbortSignal | undefined
  /** Background work (stale record correction) to wait for on stop. */
  track(promise: Promise<unknown>): void
}

type Ask<T> = (peer: PeerInfo, signal: AbortSignal) => Promise<PeerAnswer<T>>

/** The DHT operations: lookups, values and providers (spec, "DHT operations"). */
export class Operations {
  readonly #ctx: OperationsContext

  constructor (ctx: OperationsContext) {
    this.#ctx = ctx
  }

  /** A lookup of `key` asking each peer with `ask`; yields answers, returns the outcome. */
  async * query<T> (kind: string, key: Uint8Array, ask: Ask<T>, options: KadDHTQueryOptions = {}): AsyncGenerator<{ peer: PeerId, value?: T }, QueryOutcome> {
    const ctx = this.#ctx
    const ms = options.queryTimeout ?? ctx.queryTimeout
    const timeout = new AbortController()
    const timer = setTimeout(() => { timeout.abort(new TimeoutError(`The ${kind} lookup took over ${ms} ms`)) }, ms)
    const signal = anySignal([options.signal, ctx.shutdown(), timeout.signal])
    setMaxListeners(Infinity, signal)
    // we dial by peer id: the peer store has the addresses of routing table peers
    const seeds = ctx.routingTable.closest(kadKey(key), ctx.k).map(id => ({ id, multiaddrs: [] }))
    const started = performance.now()
    let outcome: QueryOutcome | undefined
    const run = runQuery<T>({
        key,
        seeds,
        self: ctx.self,
        alpha: options.alpha ?? ctx.alpha,
        beta: ctx.beta,
        k: ctx.k,
        signal,
        onProgress: options.onProgress,
        onOutcome: (o) => { outcome = o },
        ask: async (peer, querySignal) => {
          await this.#remember(peer)
          try {
            const answer = await ask(peer, querySignal)
            // it answered on the DHT protocol, so it serves the DHT: a good routing table entry
            ctx.routingTable.add(peer.id)
            return answer
          } catch (err: any) {
            if (!querySignal.aborted && ctx.connectionManager.getConnections(peer.id).length === 0) ctx.routingTable.remove(peer.id)
            throw err
          }
        }
      })
    try {
      while (true) {
        const next = await run.next()
        if (next.done === true) break
        yield next.value
      }
    } finally {
      // a consumer that stops early ends the query too
      await run.return(undefined as any).catch(() => {})
      clearTimeout(timer)
      signal.clear()
      const elapsed = performance.now() - started
      if (outcome != null) {
        ctx.stats.queries++
        ctx.stats.totalHops += outcome.hops
        ctx.stats.maxHops = Math.max(ctx.stats.maxHops, outcome.hops)
        ctx.stats.lastHops = outcome.hops
        ctx.log('%s lookup %s: %s after %d hop(s), %d queried, %d failed, %d ms', kind, shortKey(key), outcome.reason, outcome.hops, outcome.queried, outcome.failed, elapsed.toFixed(1))
        options.onProgress?.(new CustomProgressEvent('kad-dht:query:done', { ...outcome, ms: elapsed }) as any)
      }
    }
    return outcome as QueryOutcome
  }

  /** Runs a FIND_NODE lookup for `key` and returns the k closest peers that answered. */
  async closestPeers (key: Uint8Array, options: KadDHTQueryOptions = {}): Promise<PeerInfo[]> {
    const run = this.query<never>('FIND_NODE', key, async (peer, signal) => {
      const response = await this.#ctx.network.request(peer.id, { type: MessageType.FIND_NODE, key, closerPeers: [], providerPeers: [] }, { signal }) as DHTMessage
      return { closer: this.#parse(response.closerPeers) }
    }, options)
    while (true) {
      const next = await run.next()
      if (next.done === true) return await this.#infos(next.value.closest.map(p => p.id), next.value.closest)
    }
  }

  /** Finds a peer's addresses: from a live connection, else by a FIND_NODE lookup that stops once someone names it. */
  async findPeer (peerId: PeerId, options: KadDHTQueryOptions = {}): Promise<PeerInfo> {
    const ctx = this.#ctx
    if (options.useCache !== false && ctx.connectionManager.getConnections(peerId).length > 0) {
      const [info] = await this.#infos([peerId])
      if (info.multiaddrs.length > 0) return info
    }
    if (options.useNetwork === false) throw new NotFoundError(`${peerId} is not connected and the network was not to be used`)
    const key = peerId.toMultihash().bytes
    let found: PeerInfo | undefined
    const run = this.query<PeerInfo>('FIND_NODE', key, async (peer, signal) => {
      const response = await ctx.network.request(peer.id, { type: MessageType.FIND_NODE, key, closerPeers: [], providerPeers: [] }, { signal }) as DHTMessage
      const closer = this.#parse(response.closerPeers)
      const match = closer.find(p => p.id.equals(peerId) && p.multiaddrs.length > 0) ?? (peer.id.equals(peerId) ? peer : undefined)
      return { closer, value: match, stop: match != null }
    }, options)
    // an answer naming the target stops the query, so this loop ends there
    for await (const answer of run) {
      if (answer.value != null) found = answer.value
    }
    if (found == null) throw new NotFoundError(`No DHT peer knew the addresses of ${peerId}`)
    await this.#remember(found)
    return found
  }

  /**
   * Runs `fn` for every peer at once under one signal made of the caller's
   * and the DHT's shutdown (so stop() ends the fan-out), with no listener
   * limit: each of the up to k requests listens to it.
   */
  async #eachPeer<P> (peers: P[], callerSignal: AbortSignal | undefined, fn: (peer: P, signal: AbortSignal) => Promise<void>): Promise<void> {
    const signal = anySignal([callerSignal, this.#ctx.shutdown()])
    setMaxListeners(Infinity, signal)
    try {
      await Promise.all(peers.map(async (peer) => { await fn(peer, signal) }))
    } finally {
      signal.clear()
    }
  }

  /** Stores a value on the k closest peers (and locally); QuorumNotMetError below `quorum` acceptances. */
  async put (key: Uint8Array, value: Uint8Array, options: KadDHTQueryOptions = {}): Promise<void> {
    const ctx = this.#ctx
    await ctx.validation.validate(key, value)
    const record = await ctx.records.put(key, value)
    const closest = await this.closestPeers(key, options)
    const quorum = options.quorum ?? ctx.putQuorum
    let accepted = 0
    await this.#eachPeer(closest, options.signal, async (peer, signal) => {
      try {
        const response = await ctx.network.request(peer.id, { type: MessageType.PUT_VALUE, key, record, closerPeers: [], providerPeers: [] }, { signal })
        if (response?.record != null && equalBytes(response.record.value, value)) accepted++
      } catch (err: any) {
        ctx.log('PUT_VALUE to %p failed - %e', peer.id, err)
      }
    })
    options.onProgress?.(new CustomProgressEvent('kad-dht:put:done', { accepted, asked: closest.length }) as any)
    if (accepted < quorum) throw new QuorumNotMetError(`${accepted} of ${closest.length} peers stored the value, the quorum is ${quorum}`)
  }

  /**
   * Gets the best value for a key (spec, "Value retrieval"): the local
   * record counts as one answer; GET_VALUE answers are validated, the best
   * chosen by the namespace's selector; the lookup stops at `quorum` values.
   * Then peers that answered a worse value, or none while among the closest,
   * are sent the best one (entry correction).
   */
  async get (key: Uint8Array, options: KadDHTQueryOptions = {}): Promise<Uint8Array> {
    const ctx = this.#ctx
    const quorum = Math.max(1, options.quorum ?? ctx.getQuorum)
    let best: Uint8Array | undefined
    let bestPeers: PeerId[] = []
    const outdated: PeerId[] = []
    const noValue: PeerId[] = []
    let count = 0
    if (options.useCache !== false) {
      const local = await ctx.records.get(key)
      if (local != null) {
        try {
          await ctx.validation.validate(key, local.value)
          best = local.value
          count++
        } catch (err: any) {
          ctx.log('the local record no longer validates - %e', err)
          await ctx.records.delete(key)
        }
      }
    }
    if ((best != null && quorum <= 1) || options.useNetwork === false) {
      if (best != null) return best
      throw new NotFoundError('No local record for the key and the network was not to be used')
    }
    const run = this.query<Uint8Array | null>('GET_VALUE', key, async (peer, signal) => {
      const response = await ctx.network.request(peer.id, { type: MessageType.GET_VALUE, key, closerPeers: [], providerPeers: [] }, { signal }) as DHTMessage
      const closer = this.#parse(response.closerPeers)
      let value: Uint8Array | null = null
      if (response.record != null && equalBytes(response.record.key, key)) {
        try {
          await ctx.validation.validate(key, response.record.value)
          value = response.record.value
        } catch (err: any) {
          ctx.log('%p returned an invalid record - %e', peer.id, err)
        }
      }
      return { closer, value, stop: value != null && count + 1 >= quorum }
    }, options)
    let outcome: QueryOutcome | undefined
    while (true) {
      const next = await run.next()
      if (next.done === true) {
        outcome = next.value
        break
      }
      const { peer, value } = next.value
      if (value == null) {
        noValue.push(peer)
        continue
      }
      count++
      if (best == null) {
        best = value
        bestPeers = [peer]
      } else if (equalBytes(best, value)) {
        bestPeers.push(peer)
      } else if (ctx.validation.select(key, [best, value]) === 1) {
        outdated.push(...bestPeers)
        best = value
        bestPeers = [peer]
      } else {
        outdated.push(peer)
      }
    }
    if (best == null) throw new NotFoundError('No peer had a valid record for the key')
    // keep the best locally if we held a worse one
    const local = await ctx.records.get(key).catch(() => undefined)
    if (local != null && !equalBytes(local.value, best)) await ctx.records.put(key, best)
    const closestIds = new Set((outcome?.closest ?? []).map(p => p.id.toString()))
    const stale = [...outdated, ...noValue.filter(p => closestIds.has(p.toString()))]
    if (stale.length > 0) this.#correct(key, best, stale)
    return best
  }

  /** Sends the best record to peers holding a worse one or none (in the background, bounded by the RPC timeout). */
  #correct (key: Uint8Array, value: Uint8Array, peers: PeerId[]): void {
    const ctx = this.#ctx
    const record = { key, value, timeReceived: '' }
    for (const peer of peers) {
      ctx.track(ctx.network.request(peer, { type: MessageType.PUT_VALUE, key, record, closerPeers: [], providerPeers: [] }, { signal: ctx.shutdown() }).then(
        () => { ctx.log.trace('corrected the record held by %p', peer) },
        (err) => { ctx.log('could not correct the record held by %p - %e', peer, err) }
      ))
    }
  }

  /** Announces us as a provider of `cid` to the k closest peers of its multihash. */
  async provide (cid: CID, options: KadDHTQueryOptions = {}): Promise<number> {
    const ctx = this.#ctx
    const key = cid.multihash.bytes
    const addrs = ctx.selfAddresses()
    await ctx.providers.add(key, ctx.self.toString(), addrs.map(a => a.bytes))
    const closest = await this.closestPeers(key, options)
    const self = toWirePeer({ id: ctx.self, multiaddrs: addrs })
    let sent = 0
    await this.#eachPeer(closest, options.signal, async (peer, signal) => {
      try {
        await ctx.network.request(peer.id, { type: MessageType.ADD_PROVIDER, key, closerPeers: [], providerPeers: [self] }, { signal, expectResponse: false })
        sent++
      } catch (err: any) {
        ctx.log('ADD_PROVIDER to %p failed - %e', peer.id, err)
      }
    })
    const quorum = options.quorum ?? ctx.putQuorum
    if (sent < quorum) throw new QuorumNotMetError(`${sent} of ${closest.length} peers took the provider record, the quorum is ${quorum}`)
    return sent
  }

  /** Providers of `cid`: ours first, then from GET_PROVIDERS answers as they come, up to `maxProviders`. */
  async * findProviders (cid: CID, options: KadDHTQueryOptions = {}): AsyncGenerator<Provider> {
    const ctx = this.#ctx
    const key = cid.multihash.bytes
    const max = options.maxProviders ?? MAX_PROVIDERS_PER_RESPONSE
    const seen = new Set<string>()
    let yielded = 0
    if (options.useCache !== false) {
      for (const entry of await ctx.providers.get(key)) {
        if (yielded >= max) return
        const info = this.#parse([{ id: peerBytes(entry.peer) ?? new Uint8Array(0), addrs: entry.addrs, connection: 0 }])[0]
        if (info == null) continue
        seen.add(info.id.toString())
        const [known] = info.multiaddrs.length > 0 ? [info] : await this.#infos([info.id])
        yielded++
        yield { ...known, routing: 'kad-dht' }
      }
    }
    if (options.useNetwork === false) return
    const run = this.query<PeerInfo[]>('GET_PROVIDERS', key, async (peer, signal) => {
      const response = await ctx.network.request(peer.id, { type: MessageType.GET_PROVIDERS, key, closerPeers: [], providerPeers: [] }, { signal }) as DHTMessage
      const providers = this.#parse(response.providerPeers)
      const fresh = providers.filter(p => !seen.has(p.id.toString())).length
      return { closer: this.#parse(response.closerPeers), value: providers, stop: yielded + fresh >= max }
    }, options)
    for await (const answer of run) {
      for (const provider of answer.value ?? []) {
        const id = provider.id.toString()
        if (seen.has(id)) continue
        seen.add(id)
        await this.#remember(provider)
        const [known] = provider.multiaddrs.length > 0 ? [provider] : await this.#infos([provider.id])
        yielded++
        yield { ...known, routing: 'kad-dht' }
        if (yielded >= max) return
      }
    }
  }

  #parse (peers: DHTMessage['closerPeers']): PeerInfo[] {
    return parsePeers(peers, { allowPrivateAddresses: this.#ctx.allowPrivateAddresses, log: this.#ctx.log })
  }

  /** PeerInfo with the peer store's addresses (or the ones given). */
  async #infos (ids: PeerId[], given: PeerInfo[] = []): Promise<PeerInfo[]> {
    return await Promise.all(ids.map(async (id, i) => {
      if (given[i] != null && given[i].multiaddrs.length > 0) return given[i]
      return await this.#ctx.peerInfo.get(id)
    }))
  }

  /** "Any time a relevant Peer record is encountered, the associated multiaddrs are stored in the node's peerbook" (spec). */
  async #remember (peer: PeerInfo): Promise<void> {
    if (peer.multiaddrs.length === 0 || peer.id.equals(this.#ctx.self)) return
    try {
      this.#ctx.peerInfo.delete(peer.id)
      await this.#ctx.peerStore.merge(peer.id, { multiaddrs: peer.multiaddrs })
    } catch (err: any) {
      this.#ctx.log('could not store the addresses of %p - %e', peer.id, err)
    }
  }
}

/** The multihash bytes of a stored peer id string. */
function peerBytes (text: string): Uint8Array | undefined {
  try {
    return peerIdFromString(text).toMultihash().bytes
  } catch {
    return undefined
  }
}

function shortKey (key: Uint8Array): string {
  const hex = Array.from(key.subarray(-6), b => b.toString(16).padStart(2, '0')).join('')
  return `…${hex}`
}
