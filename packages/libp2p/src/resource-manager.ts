import { totalmem } from 'node:os'
import { InvalidParametersError } from '@ts-libp2p/interface'
import {
  MAX_RESOURCE_MEMORY, MAX_SERVICE_SCOPES, MIN_RESOURCE_MEMORY, PEER_MEMORY_SHARE, PROTOCOL_MEMORY_SHARE,
  RESOURCE_MEMORY_FRACTION, SERVICE_MEMORY_SHARE, TRANSIENT_MEMORY_SHARE
} from './constants.js'
import { ResourceLimitError } from './errors.js'
import type { CounterGroup, ComponentLogger, Connection, Logger, MemoryScope, Metrics, NewStreamOptions, PeerId, Stream } from '@ts-libp2p/interface'

/** What a scope counts. `conns` and `streams` are the totals of both directions. */
export type Resource = 'connsInbound' | 'connsOutbound' | 'conns' | 'streamsInbound' | 'streamsOutbound' | 'streams' | 'memory'

/** The kinds of scope, from the whole node down. */
export type ScopeKind = 'system' | 'transient' | 'peer' | 'protocol' | 'service' | 'connection' | 'stream'

/** The most a scope may hold of each resource (`Infinity` for no limit); memory is in bytes. */
export type ScopeLimits = Record<Resource, number>

/** What a scope holds now. */
export type ScopeUsage = Record<Resource, number>

/** Limits of every scope kind, plus overrides for named protocols, services and peers. */
export interface ResourceLimits {
  /** The whole node. */
  system: ScopeLimits
  /** Connections not yet tied to a peer (upgrading) and streams not yet tied to a protocol. */
  transient: ScopeLimits
  /** Each remote peer, unless `peers` names it. */
  peer: ScopeLimits
  /** Each protocol, unless `protocols` names it. */
  protocol: ScopeLimits
  /** Each service, unless `services` names it. */
  service: ScopeLimits
  protocols: Record<string, Partial<ScopeLimits>>
  services: Record<string, Partial<ScopeLimits>>
  /** Keyed by peer id string. */
  peers: Record<string, Partial<ScopeLimits>>
}

/** Options of the resource manager: any limit left out takes the machine-scaled default. */
export interface ResourceManagerInit {
  limits?: { [K in keyof ResourceLimits]?: K extends 'protocols' | 'services' | 'peers' ? ResourceLimits[K] : Partial<ScopeLimits> }
  /** The memory the defaults are scaled to. Default `os.totalmem()`. */
  totalMemory?: number
}

/** What the resource manager needs from the node. */
export interface ResourceManagerComponents {
  logger: ComponentLogger
  metrics?: Metrics
}

const RESOURCES: Resource[] = ['connsInbound', 'connsOutbound', 'conns', 'streamsInbound', 'streamsOutbound', 'streams', 'memory']
const MiB = 1024 * 1024
const GiB = 1024 * MiB

function zero (): ScopeUsage {
  return { connsInbound: 0, connsOutbound: 0, conns: 0, streamsInbound: 0, streamsOutbound: 0, streams: 0, memory: 0 }
}

function isEmpty (usage: ScopeUsage): boolean {
  return RESOURCES.every(r => usage[r] === 0)
}

/**
 * The default limits for a machine with `totalMemory` bytes. The node may
 * reserve {@link RESOURCE_MEMORY_FRACTION} of it (clamped between
 * {@link MIN_RESOURCE_MEMORY} and {@link MAX_RESOURCE_MEMORY}); connection
 * and stream counts grow with that budget from a base, as go-libp2p's rcmgr
 * scales its defaults, so a small device gets small limits and a server
 * larger ones. Per-peer limits do not scale: one peer needs no more on a
 * bigger machine.
 */
export function defaultResourceLimits (totalMemory: number = totalmem()): ResourceLimits {
  if (!(totalMemory > 0)) throw new InvalidParametersError(`totalMemory must be a positive byte count, not ${totalMemory}`)
  const memory = Math.min(MAX_RESOURCE_MEMORY, Math.max(MIN_RESOURCE_MEMORY, Math.floor(totalMemory * RESOURCE_MEMORY_FRACTION)))
  const g = memory / GiB
  const scaled = (base: number, perGiB: number): number => Math.round(base + perGiB * g)
  return {
    system: {
      connsInbound: scaled(64, 128),
      connsOutbound: scaled(128, 128),
      conns: scaled(128, 256),
      streamsInbound: scaled(1024, 2048),
      streamsOutbound: scaled(2048, 4096),
      streams: scaled(2048, 4096),
      memory
    },
    transient: {
      connsInbound: scaled(32, 32),
      connsOutbound: scaled(64, 32),
      conns: scaled(64, 64),
      streamsInbound: scaled(128, 128),
      streamsOutbound: scaled(256, 256),
      streams: scaled(256, 256),
      memory: Math.floor(memory * TRANSIENT_MEMORY_SHARE)
    },
    peer: {
      connsInbound: 8,
      connsOutbound: 8,
      conns: 8,
      streamsInbound: 256,
      streamsOutbound: 512,
      streams: 512,
      memory: Math.min(64 * MiB, Math.floor(memory * PEER_MEMORY_SHARE))
    },
    protocol: {
      connsInbound: Infinity,
      connsOutbound: Infinity,
      conns: Infinity,
      streamsInbound: scaled(512, 512),
      streamsOutbound: scaled(1024, 1024),
      streams: scaled(1024, 1024),
      memory: Math.floor(memory * PROTOCOL_MEMORY_SHARE)
    },
    service: {
      connsInbound: Infinity,
      connsOutbound: Infinity,
      conns: Infinity,
      streamsInbound: scaled(1024, 1024),
      streamsOutbound: scaled(2048, 2048),
      streams: scaled(2048, 2048),
      memory: Math.floor(memory * SERVICE_MEMORY_SHARE)
    },
    protocols: {},
    services: {},
    peers: {}
  }
}

/**
 * One accounting scope: the whole node, the transient pool, a peer, a
 * protocol or a service. Reserving checks this scope and every scope above it
 * (the system scope) and adds to all or none.
 */
export class ResourceScope {
  readonly kind: ScopeKind
  readonly name: string
  readonly limits: ScopeLimits
  readonly #usage = zero()
  readonly #parents: ResourceScope[]
  readonly #manager: ResourceManager

  /** @internal made by the {@link ResourceManager} */
  constructor (manager: ResourceManager, kind: ScopeKind, name: string, limits: ScopeLimits, parents: ResourceScope[]) {
    this.#manager = manager
    this.kind = kind
    this.name = name
    this.limits = limits
    this.#parents = parents
  }

  /** A copy of what the scope holds now. */
  get usage (): ScopeUsage {
    return { ...this.#usage }
  }

  /**
   * Reserves `bytes` of memory in this scope and the scopes above it, or
   * throws {@link ResourceLimitError} naming the scope that is full (nothing
   * is reserved then). Release it with {@link releaseMemory}.
   */
  reserveMemory (bytes: number): void {
    checkBytes(bytes)
    this.#manager.charge([this, ...this.#parents], { memory: bytes }, false)
  }

  /** Returns memory reserved with {@link reserveMemory}. */
  releaseMemory (bytes: number): void {
    checkBytes(bytes)
    this.#manager.release([this, ...this.#parents], { memory: bytes })
  }

  /** @internal the first resource `delta` would take past a limit, if any */
  exceeded (delta: Partial<ScopeUsage>): { resource: Resource, used: number, limit: number } | undefined {
    for (const resource of RESOURCES) {
      const add = delta[resource] ?? 0
      if (add > 0 && this.#usage[resource] + add > this.limits[resource]) {
        return { resource, used: this.#usage[resource], limit: this.limits[resource] }
      }
    }
    return undefined
  }

  /** @internal */
  add (delta: Partial<ScopeUsage>, sign: 1 | -1): void {
    for (const resource of RESOURCES) {
      const change = delta[resource] ?? 0
      if (change !== 0) this.#usage[resource] = Math.max(0, this.#usage[resource] + sign * change)
    }
  }

  /** @internal */
  get empty (): boolean {
    return isEmpty(this.#usage)
  }
}

function checkBytes (bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new InvalidParametersError(`A memory reservation must be a byte count, not ${bytes}`)
}

/**
 * What one connection holds: counted in the transient scope until its peer
 * is known ({@link setPeer}), then in that peer's scope; always in the system
 * scope. `done()` returns everything it still holds (idempotent).
 */
export class ConnectionScope {
  readonly direction: 'inbound' | 'outbound'
  readonly #manager: ResourceManager
  readonly #held: Partial<ScopeUsage>
  #scope: ResourceScope
  #memory = 0
  #done = false

  /** @internal made by {@link ResourceManager.openConnection} */
  constructor (manager: ResourceManager, direction: 'inbound' | 'outbound', transient: ResourceScope) {
    this.#manager = manager
    this.direction = direction
    this.#held = direction === 'inbound' ? { connsInbound: 1, conns: 1 } : { connsOutbound: 1, conns: 1 }
    this.#scope = transient
  }

  /** The peer's scope (or the transient one before {@link setPeer}). */
  get scope (): ResourceScope {
    return this.#scope
  }

  /** Moves the connection into `peer`'s scope; throws ResourceLimitError (the connection stays transient). */
  setPeer (peer: PeerId): void {
    if (this.#done) return
    const next = this.#manager.peerScope(peer)
    this.#scope = this.#manager.move(this.#scope, next, { ...this.#held, memory: this.#memory })
  }

  reserveMemory (bytes: number): void {
    checkBytes(bytes)
    if (this.#done) throw new InvalidParametersError('The connection scope is done')
    this.#manager.charge([this.#scope, this.#manager.system], { memory: bytes }, false)
    this.#memory += bytes
  }

  releaseMemory (bytes: number): void {
    checkBytes(bytes)
    const amount = Math.min(bytes, this.#memory)
    this.#memory -= amount
    this.#manager.release([this.#scope, this.#manager.system], { memory: amount })
  }

  done (): void {
    if (this.#done) return
    this.#done = true
    this.#manager.release([this.#scope, this.#manager.system], { ...this.#held, memory: this.#memory })
    this.#memory = 0
  }
}

/**
 * What one stream holds: counted in its peer's scope and the system scope,
 * in its protocol's scope once known ({@link setProtocol}) and in a
 * service's scope when a service claims it ({@link setService}).
 */
export class StreamScope {
  readonly direction: 'inbound' | 'outbound'
  readonly #manager: ResourceManager
  readonly #held: Partial<ScopeUsage>
  readonly #peer: ResourceScope
  #protocol?: ResourceScope
  #service?: ResourceScope
  #memory = 0
  #done = false

  /** @internal made by {@link ResourceManager.openStream} */
  constructor (manager: ResourceManager, direction: 'inbound' | 'outbound', peer: ResourceScope) {
    this.#manager = manager
    this.direction = direction
    this.#held = direction === 'inbound' ? { streamsInbound: 1, streams: 1 } : { streamsOutbound: 1, streams: 1 }
    this.#peer = peer
  }

  get #scopes (): ResourceScope[] {
    return [this.#peer, this.#manager.system, ...(this.#protocol != null ? [this.#protocol] : []), ...(this.#service != null ? [this.#service] : [])]
  }

  /** Counts the stream against `protocol`'s scope too; throws ResourceLimitError. */
  setProtocol (protocol: string): void {
    if (this.#done || this.#protocol != null) return
    const scope = this.#manager.protocolScope(protocol)
    this.#manager.charge([scope], { ...this.#held, memory: this.#memory }, false)
    this.#protocol = scope
  }

  /** Counts the stream against service `name`'s scope too; throws ResourceLimitError. */
  setService (name: string): void {
    if (this.#done || this.#service != null) return
    const scope = this.#manager.serviceScope(name)
    this.#manager.charge([scope], { ...this.#held, memory: this.#memory }, false)
    this.#service = scope
  }

  /** Reserves buffer memory for this stream in every scope it counts in; throws ResourceLimitError. */
  reserveMemory (bytes: number): void {
    checkBytes(bytes)
    if (this.#done) throw new InvalidParametersError('The stream scope is done')
    this.#manager.charge(this.#scopes, { memory: bytes }, false)
    this.#memory += bytes
  }

  releaseMemory (bytes: number): void {
    checkBytes(bytes)
    const amount = Math.min(bytes, this.#memory)
    this.#memory -= amount
    this.#manager.release(this.#scopes, { memory: amount })
  }

  done (): void {
    if (this.#done) return
    this.#done = true
    this.#manager.release(this.#scopes, { ...this.#held, memory: this.#memory })
    this.#memory = 0
  }
}

/** A snapshot of the usage of every scope, for metrics, logs and tests. */
export interface ResourceStat {
  system: ScopeUsage
  transient: ScopeUsage
  peers: Record<string, ScopeUsage>
  protocols: Record<string, ScopeUsage>
  services: Record<string, ScopeUsage>
}

/**
 * Accounts connections, streams and reserved memory in nested scopes and
 * refuses what would pass a limit, in the spirit of go-libp2p's resource
 * manager (`p2p/host/resource-manager`): the node asks it before accepting
 * or dialling a connection and before handing a stream to its handler, and
 * services and muxers reserve their buffers through it. A refusal is a
 * {@link ResourceLimitError} that names the scope and the limit.
 *
 * Peer and protocol scopes exist only while they hold something, so the
 * maps keyed by remote data stay bounded by the connection and stream
 * limits themselves.
 */
export class ResourceManager {
  readonly limits: ResourceLimits
  readonly system: ResourceScope
  readonly transient: ResourceScope
  readonly #peers = new Map<string, ResourceScope>()
  readonly #protocols = new Map<string, ResourceScope>()
  readonly #services = new Map<string, ResourceScope>()
  readonly #log: Logger
  readonly #refused?: CounterGroup

  constructor (components: ResourceManagerComponents, init: ResourceManagerInit = {}) {
    const defaults = defaultResourceLimits(init.totalMemory)
    const given = init.limits ?? {}
    this.limits = {
      system: { ...defaults.system, ...given.system },
      transient: { ...defaults.transient, ...given.transient },
      peer: { ...defaults.peer, ...given.peer },
      protocol: { ...defaults.protocol, ...given.protocol },
      service: { ...defaults.service, ...given.service },
      protocols: { ...given.protocols },
      services: { ...given.services },
      peers: { ...given.peers }
    }
    for (const [kind, limits] of Object.entries(this.limits)) {
      if (['protocols', 'services', 'peers'].includes(kind)) continue
      for (const resource of RESOURCES) {
        const value = (limits as ScopeLimits)[resource]
        if (!(value >= 0)) throw new InvalidParametersError(`The ${kind} ${resource} limit must be 0 or more, not ${value}`)
      }
    }
    this.#log = components.logger.forComponent('resource-manager')
    this.system = new ResourceScope(this, 'system', 'system', this.limits.system, [])
    this.transient = new ResourceScope(this, 'transient', 'transient', this.limits.transient, [this.system])
    const metrics = components.metrics
    this.#refused = metrics?.registerCounterGroup('libp2p_resource_manager_refused_total', { label: 'scope', help: 'Reservations refused, by scope kind and resource' })
    metrics?.registerMetricGroup('libp2p_resource_manager_system', {
      label: 'resource',
      help: 'What the whole node holds: connections, streams and reserved memory (bytes)',
      calculate: () => ({ ...this.system.usage, peers: this.#peers.size })
    })
    metrics?.registerMetricGroup('libp2p_resource_manager_transient', {
      label: 'resource',
      help: 'What the transient scope holds (connections upgrading, streams not yet tied to a peer)',
      calculate: () => ({ ...this.transient.usage })
    })
    metrics?.registerMetricGroup('libp2p_resource_manager_protocol_streams', {
      label: 'protocol',
      help: 'Open streams counted per protocol',
      calculate: () => Object.fromEntries([...this.#protocols].map(([name, scope]) => [name, scope.usage.streams]))
    })
    metrics?.registerMetricGroup('libp2p_resource_manager_service_memory', {
      label: 'service',
      help: 'Memory reserved per service (bytes)',
      calculate: () => Object.fromEntries([...this.#services].map(([name, scope]) => [name, scope.usage.memory]))
    })
  }

  /**
   * Admits a new connection into the transient and system scopes, or throws
   * {@link ResourceLimitError}. `force` counts it without checking (for
   * allow-listed addresses).
   */
  openConnection (direction: 'inbound' | 'outbound', options: { force?: boolean } = {}): ConnectionScope {
    const span = new ConnectionScope(this, direction, this.transient)
    this.charge([this.transient, this.system], direction === 'inbound' ? { connsInbound: 1, conns: 1 } : { connsOutbound: 1, conns: 1 }, options.force === true)
    return span
  }

  /** Admits a new stream with `peer` into the peer and system scopes (and `protocol`'s when given), or throws. */
  openStream (peer: PeerId, direction: 'inbound' | 'outbound', protocol?: string): StreamScope {
    const scope = this.peerScope(peer)
    try {
      this.charge([scope, this.system], direction === 'inbound' ? { streamsInbound: 1, streams: 1 } : { streamsOutbound: 1, streams: 1 }, false)
    } catch (err) {
      this.#forget(scope)
      throw err
    }
    const span = new StreamScope(this, direction, scope)
    if (protocol != null) {
      try {
        span.setProtocol(protocol)
      } catch (err) {
        span.done()
        throw err
      }
    }
    return span
  }

  /**
   * The scope of a service (made on first use, kept for the node's life).
   * Services reserve their buffers here: `serviceScope('kad-dht').reserveMemory(n)`.
   */
  serviceScope (name: string): ResourceScope {
    let scope = this.#services.get(name)
    if (scope == null) {
      if (this.#services.size >= MAX_SERVICE_SCOPES) throw new InvalidParametersError(`More than ${MAX_SERVICE_SCOPES} service scopes`)
      scope = new ResourceScope(this, 'service', `service:${name}`, { ...this.limits.service, ...this.limits.services[name] }, [this.system])
      this.#services.set(name, scope)
    }
    return scope
  }

  /**
   * The memory of `peer`'s scope (and the system scope) as a muxer's
   * {@link MemoryScope}: what a connection's streams buffer counts toward
   * the peer's and the node's memory limits. Looks the peer scope up on each
   * call, so it stays right when the scope is dropped and made again.
   */
  peerMemory (peer: PeerId): MemoryScope {
    return {
      reserveMemory: (bytes) => { this.peerScope(peer).reserveMemory(bytes) },
      releaseMemory: (bytes) => { this.peerScope(peer).releaseMemory(bytes) }
    }
  }

  /** @internal the live scope of a peer (made when first needed, dropped when it holds nothing) */
  peerScope (peer: PeerId): ResourceScope {
    const key = peer.toString()
    let scope = this.#peers.get(key)
    if (scope == null) {
      scope = new ResourceScope(this, 'peer', `peer:${key}`, { ...this.limits.peer, ...this.limits.peers[key] }, [this.system])
      this.#peers.set(key, scope)
    }
    return scope
  }

  /** @internal the live scope of a protocol (dropped when it holds nothing) */
  protocolScope (protocol: string): ResourceScope {
    let scope = this.#protocols.get(protocol)
    if (scope == null) {
      scope = new ResourceScope(this, 'protocol', `protocol:${protocol}`, { ...this.limits.protocol, ...this.limits.protocols[protocol] }, [this.system])
      this.#protocols.set(protocol, scope)
    }
    return scope
  }

  /** What `peer` holds now (zeros when nothing). */
  statPeer (peer: PeerId): ScopeUsage {
    return this.#peers.get(peer.toString())?.usage ?? zero()
  }

  stat (): ResourceStat {
    const usage = (map: Map<string, ResourceScope>): Record<string, ScopeUsage> => Object.fromEntries([...map].map(([k, s]) => [k, s.usage]))
    return { system: this.system.usage, transient: this.transient.usage, peers: usage(this.#peers), protocols: usage(this.#protocols), services: usage(this.#services) }
  }

  /** @internal adds `delta` to every scope, or to none and throws the first limit it would pass */
  charge (scopes: ResourceScope[], delta: Partial<ScopeUsage>, force: boolean): void {
    if (!force) {
      for (const scope of scopes) {
        const over = scope.exceeded(delta)
        if (over != null) {
          this.#refused?.increment({ [`${scope.kind}_${over.resource}`]: true })
          this.#log('refusing %o: %s is at its %s limit (%d of %d)', delta, scope.name, over.resource, over.used, over.limit)
          for (const s of scopes) this.#forget(s)
          throw new ResourceLimitError(scope.name, over.resource, over.limit, over.used)
        }
      }
    }
    for (const scope of scopes) scope.add(delta, 1)
  }

  /** @internal */
  release (scopes: ResourceScope[], delta: Partial<ScopeUsage>): void {
    for (const scope of scopes) {
      scope.add(delta, -1)
      this.#forget(scope)
    }
  }

  /** @internal moves `delta` from one scope to another (the system scope is unchanged); returns the scope now holding it */
  move (from: ResourceScope, to: ResourceScope, delta: Partial<ScopeUsage>): ResourceScope {
    if (from === to) return to
    this.charge([to], delta, false)
    from.add(delta, -1)
    this.#forget(from)
    return to
  }

  #forget (scope: ResourceScope): void {
    if (!scope.empty) return
    if (scope.kind === 'peer') {
      const key = scope.name.slice('peer:'.length)
      if (this.#peers.get(key) === scope) this.#peers.delete(key)
    } else if (scope.kind === 'protocol') {
      const key = scope.name.slice('protocol:'.length)
      if (this.#protocols.get(key) === scope) this.#protocols.delete(key)
    }
  }
}

/**
 * Opens an outbound stream on `connection` (which counts it in the resource
 * manager, see connection.ts: a refusal rejects with ResourceLimitError). A
 * connection whose muxer has ended is closed so the next dial replaces it.
 */
export async function openAccountedStream (connection: Connection, protocols: string[], options: NewStreamOptions): Promise<Stream> {
  try {
    return await connection.newStream(protocols, options)
  } catch (err: any) {
    // A muxer that ended on its own (keep-alive timeout, the remote's go-away) leaves its connection
    // open, and every later stream on it would fail the same way: close it, so the next dial makes a
    // new one instead of reusing it (found by the cut-link test in compliance/test/hostile-faults.spec.ts).
    if (err?.name === 'MuxerClosedError' && connection.status === 'open') void connection.close().catch(() => {})
    throw err
  }
}
