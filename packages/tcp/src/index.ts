/**
 * @packageDocumentation
 *
 * The TCP transport for libp2p, on node:net. It dials and listens on
 * `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>` multiaddrs (libp2p/specs
 * addressing/README.md) and hands each socket, as a MultiaddrConnection, to
 * the node's upgrader (encrypter, then muxer).
 *
 * - port 0 picks a free port and `getAddrs()` reports it; a wildcard host
 *   (0.0.0.0, ::) is expanded to the interface addresses;
 * - backpressure both ways: `send()` returns false when the socket's buffer
 *   is full, and a slow reader pauses the socket;
 * - inactivity timeouts for inbound and outbound sockets, a dial timeout,
 *   AbortSignal on dial, a close that ends gracefully then resets;
 * - a per-listener connection limit, socket options (noDelay, keepAlive,
 *   backlog, ipv6Only, exclusive, reusePort);
 * - typed errors: ConnectionRefusedError, AddressInUseError, SocketError,
 *   StreamResetError, TimeoutError.
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from 'libp2p'
 * import { tcp } from '@ts-libp2p/tcp'
 *
 * const node = await createLibp2p({
 *   addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
 *   transports: [tcp()],
 *   // connectionEncrypters, streamMuxers...
 * })
 * ```
 */

import { TcpTransport } from './transport.js'
import type { AbortOptions, ComponentLogger, Metrics, Transport } from '@ts-libp2p/interface'

/** What the TCP transport needs from the node. */
export interface TcpComponents {
  logger: ComponentLogger
  /** Optional: counters of dials, listener events and connection ends. */
  metrics?: Metrics
}

/** Options of the TCP transport (defaults in constants.ts). */
export interface TcpInit {
  /** Reset inbound sockets idle this long (ms); 0 disables it. Default 2 minutes. */
  inboundSocketInactivityTimeout?: number
  /** Reset outbound sockets idle this long (ms); 0 disables it. Default 2 minutes. */
  outboundSocketInactivityTimeout?: number
  /** How long a graceful close waits for the remote's FIN before resetting (ms). Default 500. */
  closeTimeout?: number
  /** The longest a TCP connect may take (ms), whatever the caller's signal allows. Default 10 s. */
  dialTimeout?: number
  /** Sockets one listener holds at once; more are reset on accept. Default 1024. */
  maxConnections?: number
  /** Unread bytes a connection holds before it aborts. Default 4 MiB. */
  maxReadBufferLength?: number
  /** The listen(2) accept queue. Default 511. */
  backlog?: number
  /** Disable Nagle's algorithm. Default true. */
  noDelay?: boolean
  /** Enable TCP keep-alive probes. Default true. */
  keepAlive?: boolean
  /** Idle ms before the first keep-alive probe; 0 uses the OS default. */
  keepAliveInitialDelay?: number
  /** A listener on `::` accepts IPv6 only. Default false. */
  ipv6Only?: boolean
  /**
   * Node's `exclusive` listen option. False (Node's default): cluster workers
   * listening on the same port share the primary's socket. (SO_REUSEADDR is
   * always set by libuv on Unix, so a restarted node can rebind at once.)
   */
  exclusive?: boolean
  /**
   * Set SO_REUSEPORT, so several processes (or listeners) bind the same port
   * and the kernel spreads connections. Needs Node 22.12+ / 23.1+ on Linux
   * or BSD; older Node ignores it. Default false.
   */
  reusePort?: boolean
  /** Close a listener's open connections when it closes. Default true. */
  closeConnectionsOnClose?: boolean
}

/** Options of a raw `connect()` (the transport's `dial()` takes the node's dial options). */
export interface TcpDialOptions extends AbortOptions {
  /** Override the transport's dial timeout for this connect (ms). */
  dialTimeout?: number
  /** Override the outbound inactivity timeout for this connection (ms). */
  inactivityTimeout?: number
  noDelay?: boolean
  keepAlive?: boolean
  /** Bind the local end to this address. */
  localAddress?: string
  /** Bind the local end to this port. */
  localPort?: number
}

/**
 * Creates the TCP transport factory: `tcp(init)(components)`.
 */
export function tcp (init: TcpInit = {}): (components: TcpComponents) => Transport {
  return (components) => new TcpTransport(components, init)
}

export { TcpTransport } from './transport.js'
export { TcpListener } from './listener.js'
export type { TcpListenerInit } from './listener.js'
export { TcpMultiaddrConnection } from './connection.js'
export type { TcpConnectionInit } from './connection.js'
export { isTcpAddress, toNetAddress, toMultiaddr, expandListenAddress } from './address.js'
export type { NetAddress } from './address.js'
export * from './errors.js'
export * from './constants.js'
