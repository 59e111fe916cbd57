/**
 * @packageDocumentation
 *
 * The libp2p ping protocol, `/ipfs/ping/1.0.0`
 * ([spec](https://github.com/libp2p/specs/blob/master/ping/ping.md)): a
 * liveness check over an existing connection. The dialer sends 32 random
 * bytes, the listener echoes them, and the dialer measures the round trip.
 *
 * The service answers pings from other peers (at most two inbound ping
 * streams per connection, each payload within the timeout) and measures
 * RTTs with {@link Ping.ping}. Each measured RTT is set on the connection
 * (`connection.rtt`) and recorded in the peer store metadata under
 * `ping-rtt` (decimal milliseconds, UTF-8).
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { ping } from '@ts-libp2p/ping'
 *
 * const node = await createLibp2p({ ..., services: { ping: ping() } })
 * const rtt = await node.services.ping.ping(remoteAddr)
 * ```
 */

import { PingService } from './ping.js'
import type { AbortOptions, ComponentLogger, PeerId, PeerStore } from '@ts-libp2p/interface'
import type { ConnectionManager, Registrar } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

export { PROTOCOL, PING_LENGTH, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, TIMEOUT, RTT_METADATA_KEY } from './constants.js'
export { PingMismatchError } from './errors.js'

/** The ping service. */
export interface Ping {
  /** The protocol id, `/ipfs/ping/1.0.0`. */
  readonly protocol: string
  /**
   * Pings a peer (dialing it if needed) and resolves with the round-trip
   * time in milliseconds (fractional, from `performance.now()`). Rejects
   * with TimeoutError after the configured timeout, with the signal's
   * reason when `options.signal` fires, and with PingMismatchError when the
   * echo differs from what was sent.
   */
  ping(peer: PeerId | Multiaddr | Multiaddr[], options?: AbortOptions): Promise<number>
}

/** Options of the ping service. */
export interface PingInit {
  /**
   * Milliseconds one ping may take (dial, stream, payload and echo
   * included), and how long the listener waits for each payload.
   * Default 10 000.
   */
  timeout?: number
  /** Inbound ping streams allowed per connection. Default 2 (spec). */
  maxInboundStreams?: number
  /** Answer and send pings on limited (relayed) connections. Default true. */
  runOnLimitedConnection?: boolean
}

/** What the ping service needs from the node. */
export interface PingComponents {
  registrar: Pick<Registrar, 'handle' | 'unhandle'>
  connectionManager: Pick<ConnectionManager, 'openConnection'>
  logger: ComponentLogger
  /** Where RTTs are recorded (metadata `ping-rtt`); optional. */
  peerStore?: Pick<PeerStore, 'merge'>
}

/** Creates the ping service for a node's `services`. */
export function ping (init: PingInit = {}): (components: PingComponents) => Ping {
  return (components) => new PingService(components, init)
}
