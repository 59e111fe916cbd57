import { InvalidParametersError, LimitExceededError, UnsupportedProtocolError } from '@ts-libp2p/interface'
import { DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_OUTBOUND_STREAMS, MAX_REGISTERED_PROTOCOLS, MAX_TOPOLOGIES_PER_PROTOCOL } from './constants.js'
import { DuplicateProtocolHandlerError } from './errors.js'
import type { AbortOptions, StreamHandler, StreamHandlerOptions, StreamHandlerRecord, StreamMiddleware, Topology } from '@ts-libp2p/interface'
import type { Registrar as RegistrarInterface } from '@ts-libp2p/interface-internal'

/** Options of the registrar. */
export interface RegistrarInit {
  /** Protocols that may have handlers at once. Default {@link MAX_REGISTERED_PROTOCOLS}. */
  maxProtocols?: number
}

/**
 * Protocol handlers, their middleware and the topologies that want to hear
 * about peers of a protocol. Handlers get the defaults for per-connection
 * stream limits when they give none.
 */
export class Registrar implements RegistrarInterface {
  readonly #handlers = new Map<string, StreamHandlerRecord>()
  readonly #middleware = new Map<string, StreamMiddleware[]>()
  readonly #topologies = new Map<string, Map<string, Topology>>()
  readonly #maxProtocols: number
  #nextTopologyId = 0

  constructor (init: RegistrarInit = {}) {
    this.#maxProtocols = init.maxProtocols ?? MAX_REGISTERED_PROTOCOLS
  }

  getProtocols (): string[] {
    return [...this.#handlers.keys()].sort()
  }

  async handle (protocol: string, handler: StreamHandler, options: StreamHandlerOptions = {}): Promise<void> {
    if (typeof protocol !== 'string' || protocol === '' || typeof handler !== 'function') {
      throw new InvalidParametersError('handle() needs a protocol string and a handler function')
    }
    if (this.#handlers.has(protocol) && options.force !== true) {
      throw new DuplicateProtocolHandlerError(`A handler is already registered for ${protocol}`)
    }
    if (!this.#handlers.has(protocol) && this.#handlers.size >= this.#maxProtocols) {
      throw new LimitExceededError(`Cannot handle ${protocol}: ${this.#maxProtocols} protocols are registered already`)
    }
    this.#handlers.set(protocol, {
      handler,
      options: {
        ...options,
        maxInboundStreams: options.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
        maxOutboundStreams: options.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS
      }
    })
    if (options.middleware != null) this.#middleware.set(protocol, [...options.middleware])
  }

  async unhandle (protocol: string, _options?: AbortOptions): Promise<void> {
    this.#handlers.delete(protocol)
    this.#middleware.delete(protocol)
  }

  getHandler (protocol: string): StreamHandlerRecord {
    const record = this.#handlers.get(protocol)
    if (record == null) throw new UnsupportedProtocolError(`No handler registered for ${protocol}`)
    return record
  }

  /**
   * The handler of `protocol`, or undefined: for callers to whom a missing
   * handler is not an error (a connection looks up the outbound stream limit
   * of every stream it opens, and a dialer rarely handles the protocols it
   * dials: getHandler() built an error with its stack each time).
   */
  findHandler (protocol: string): StreamHandlerRecord | undefined {
    return this.#handlers.get(protocol)
  }

  use (protocol: string, middleware: StreamMiddleware[]): void {
    this.#middleware.set(protocol, [...middleware])
  }

  unuse (protocol: string): void {
    this.#middleware.delete(protocol)
  }

  /**
   * The middleware a connection runs before the handler of an inbound
   * stream (the resource manager has admitted the stream already: the
   * connection counts every stream, see connection.ts).
   */
  getMiddleware (protocol: string): StreamMiddleware[] {
    return this.#middleware.get(protocol) ?? []
  }

  async register (protocol: string, topology: Topology, _options?: AbortOptions): Promise<string> {
    if (topology == null) throw new InvalidParametersError('register() needs a topology')
    let topologies = this.#topologies.get(protocol)
    if (topologies == null) {
      topologies = new Map()
      this.#topologies.set(protocol, topologies)
    }
    if (topologies.size >= MAX_TOPOLOGIES_PER_PROTOCOL) {
      throw new LimitExceededError(`${MAX_TOPOLOGIES_PER_PROTOCOL} topologies are registered for ${protocol} already`)
    }
    const id = `topology-${this.#nextTopologyId++}`
    topologies.set(id, topology)
    return id
  }

  unregister (id: string): void {
    for (const [protocol, topologies] of this.#topologies) {
      if (topologies.delete(id) && topologies.size === 0) this.#topologies.delete(protocol)
    }
  }

  /** The protocols that have topologies registered. */
  getTopologyProtocols (): string[] {
    return [...this.#topologies.keys()]
  }

  getTopologies (protocol: string): Topology[] {
    return [...(this.#topologies.get(protocol)?.values() ?? [])]
  }
}
