import { NotFoundError, contentRoutingSymbol, peerRoutingSymbol } from '@ts-libp2p/interface'
import type { ContentRouting, PeerId, PeerInfo, PeerRouting, Provider, RoutingOptions } from '@ts-libp2p/interface'
import type { CID } from 'multiformats/cid'

/** No service of the node offers content routing. */
export class NoContentRoutersError extends Error {
  static override name = 'NoContentRoutersError'
  constructor (message = 'No content routers are available: add a service that provides content routing (e.g. a DHT)') { super(message); this.name = 'NoContentRoutersError' }
}

/** No service of the node offers peer routing. */
export class NoPeerRoutersError extends Error {
  static override name = 'NoPeerRoutersError'
  constructor (message = 'No peer routers are available: add a service that provides peer routing (e.g. a DHT)') { super(message); this.name = 'NoPeerRoutersError' }
}

/** The routers that services expose under the content and peer routing symbols. */
export function routersOf (services: Record<string, unknown>): { content: Array<Partial<ContentRouting>>, peer: Array<Partial<PeerRouting>> } {
  const content: Array<Partial<ContentRouting>> = []
  const peer: Array<Partial<PeerRouting>> = []
  for (const service of Object.values(services)) {
    if (service == null || typeof service !== 'object') continue
    const c = (service as any)[contentRoutingSymbol]
    const p = (service as any)[peerRoutingSymbol]
    if (c != null) content.push(c)
    if (p != null) peer.push(p)
  }
  return { content, peer }
}

/** Yields from several async iterables as values arrive, skipping keys already yielded. */
async function * merge<T> (sources: Array<AsyncIterable<T>>, key: (value: T) => string): AsyncGenerator<T> {
  const seen = new Set<string>()
  const iterators = sources.map(s => s[Symbol.asyncIterator]())
  const next = (i: number): Promise<{ i: number, result: IteratorResult<T> }> => iterators[i].next().then(result => ({ i, result }))
  const inFlight = new Map<number, Promise<{ i: number, result: IteratorResult<T> }>>(iterators.map((_, i) => [i, next(i)]))
  try {
    while (inFlight.size > 0) {
      const { i, result } = await Promise.race(inFlight.values())
      if (result.done === true) {
        inFlight.delete(i)
        continue
      }
      inFlight.set(i, next(i))
      const k = key(result.value)
      if (seen.has(k)) continue
      seen.add(k)
      yield result.value
    }
  } finally {
    await Promise.allSettled(iterators.map(async (it) => { await it.return?.() }))
  }
}

/** Content routing across every router the node's services provide. */
export class CompoundContentRouting implements ContentRouting {
  readonly #routers: () => Array<Partial<ContentRouting>>

  constructor (routers: () => Array<Partial<ContentRouting>>) {
    this.#routers = routers
  }

  #with<K extends keyof ContentRouting> (method: K): Array<Required<Pick<ContentRouting, K>>> {
    const routers = this.#routers().filter(r => typeof r[method] === 'function') as Array<Required<Pick<ContentRouting, K>>>
    if (routers.length === 0) throw new NoContentRoutersError()
    return routers
  }

  async provide (cid: CID, options?: RoutingOptions): Promise<void> {
    await Promise.all(this.#with('provide').map(async (r) => { await r.provide(cid, options) }))
  }

  async cancelReprovide (key: CID, options?: RoutingOptions): Promise<void> {
    await Promise.all(this.#with('cancelReprovide').map(async (r) => { await r.cancelReprovide(key, options) }))
  }

  async * findProviders (cid: CID, options?: RoutingOptions): AsyncIterable<Provider> {
    yield * merge(this.#with('findProviders').map(r => r.findProviders(cid, options)), (p) => p.id.toString())
  }

  async put (key: Uint8Array, value: Uint8Array, options?: RoutingOptions): Promise<void> {
    await Promise.all(this.#with('put').map(async (r) => { await r.put(key, value, options) }))
  }

  async get (key: Uint8Array, options?: RoutingOptions): Promise<Uint8Array> {
    return await Promise.any(this.#with('get').map(async (r) => await r.get(key, options))).catch((err: AggregateError) => {
      throw new NotFoundError(`No router found a value for the key: ${err.errors.map((e: Error) => e.message).join('; ')}`)
    })
  }
}

/** Peer routing across every router the node's services provide. */
export class CompoundPeerRouting implements PeerRouting {
  readonly #routers: () => Array<Partial<PeerRouting>>
  readonly #self: PeerId

  constructor (self: PeerId, routers: () => Array<Partial<PeerRouting>>) {
    this.#self = self
    this.#routers = routers
  }

  #with<K extends keyof PeerRouting> (method: K): Array<Required<Pick<PeerRouting, K>>> {
    const routers = this.#routers().filter(r => typeof r[method] === 'function') as Array<Required<Pick<PeerRouting, K>>>
    if (routers.length === 0) throw new NoPeerRoutersError()
    return routers
  }

  async findPeer (peerId: PeerId, options?: RoutingOptions): Promise<PeerInfo> {
    if (peerId.equals(this.#self)) throw new NotFoundError('findPeer() was asked for this node itself')
    return await Promise.any(this.#with('findPeer').map(async (r) => await r.findPeer(peerId, options))).catch((err: AggregateError) => {
      throw new NotFoundError(`No router found ${peerId}: ${err.errors.map((e: Error) => e.message).join('; ')}`)
    })
  }

  async * getClosestPeers (key: Uint8Array, options?: RoutingOptions): AsyncIterable<PeerInfo> {
    yield * merge(this.#with('getClosestPeers').map(r => r.getClosestPeers(key, options)), (p) => p.id.toString())
  }
}
