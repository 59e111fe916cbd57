/**
 * @packageDocumentation
 *
 * An in-process libp2p transport. Nodes in one process reach each other at
 * `/memory/<name>` addresses (multiaddr protocol `memory`, code 777) without
 * sockets: for tests, examples and simulations. Connections are upgraded
 * like any other (encrypter, then muxer) by the upgrader the node passes in,
 * and behave like sockets: bounded bytes in flight with real backpressure,
 * FIN-like close, reset on abort, optional simulated latency.
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from 'libp2p'
 * import { memory } from '@ts-libp2p/memory'
 *
 * const node = await createLibp2p({
 *   addresses: { listen: ['/memory/node-a'] },
 *   transports: [memory()],
 *   // connectionEncrypters, streamMuxers...
 * })
 * ```
 */

import { MemoryTransport } from './transport.js'
import type { ComponentLogger, PeerId, Transport, UpgraderOptions } from '@ts-libp2p/interface'

/** What the memory transport needs from the node. */
export interface MemoryTransportComponents {
  logger: ComponentLogger
  /** Our peer id, if known (only used in logs). */
  peerId?: PeerId
}

/** Options of the memory transport. */
export interface MemoryTransportInit {
  /**
   * Simulated one-way latency in ms: each dial waits it before connecting,
   * and every delivery of bytes takes it. Default 0 (the next microtask).
   */
  latency?: number
  /** Connections one listener holds at once; more dials fail with LimitExceededError. Default 1024. */
  maxConnections?: number
  /** Bytes in flight per direction before `send()` returns false. Default 64 KiB. */
  maxInFlightBytes?: number
  /** Unread bytes a connection holds before it aborts with StreamBufferError. Default 4 MiB. */
  maxReadBufferLength?: number
  /** Abort a listener's open connections when it closes. Default true. */
  abortConnectionsOnClose?: boolean
  /** Passed to the upgrader with every upgrade (e.g. a fixed `muxerFactory`). */
  upgraderOptions?: Partial<UpgraderOptions>
}

/**
 * Creates the memory transport factory: `memory(init)(components)`.
 */
export function memory (init: MemoryTransportInit = {}): (components: MemoryTransportComponents) => Transport {
  return (components) => new MemoryTransport(components, init)
}

export { MemoryTransport } from './transport.js'
export { MemoryListener } from './listener.js'
export { MemoryMultiaddrConnection } from './connection.js'
export { isDialAddress, isListenAddress } from './address.js'
export * from './constants.js'
