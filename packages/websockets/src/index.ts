/**
 * @packageDocumentation
 *
 * The WebSockets transport for libp2p (libp2p/specs websockets/README.md):
 * `/ws`, `/wss` and `/tls[/sni/<name>]/ws` addresses over `/ip4`, `/ip6` and
 * `/dns*` hosts, with an optional `/http-path`. In Node it uses `ws` and
 * can listen (plain, or TLS with a certificate you pass, or on an http(s)
 * server you pass); in browsers the package's `browser` field swaps in the
 * native WebSocket, which can only dial.
 *
 * Only binary frames carry libp2p bytes: a text frame from the peer closes
 * the connection (1003, TextFrameError). Backpressure: `send()` returns
 * false while `bufferedAmount` is above `maxBufferedAmount`, and a slow
 * reader pauses the socket. Messages above `maxPayload` close it (1009).
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from 'libp2p'
 * import { webSockets } from '@ts-libp2p/websockets'
 *
 * const node = await createLibp2p({
 *   addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
 *   transports: [webSockets()],
 *   // connectionEncrypters, streamMuxers...
 * })
 * ```
 */

import { WebSocketsTransport } from './transport.js'
import type { AbortOptions, ComponentLogger, Metrics, Transport } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type http from 'node:http'
import type https from 'node:https'

/** What the WebSockets transport needs from the node. */
export interface WebSocketsComponents {
  logger: ComponentLogger
  metrics?: Metrics
}

/** Options of the WebSockets transport (defaults in constants.ts). */
export interface WebSocketsInit {
  /**
   * Which addresses to dial: `'all'` (default, as `@libp2p/websockets` 10),
   * `'dnsWss'` (secure with a DNS host only), `'dnsWsOrWss'`, or a function.
   */
  filter?: 'all' | 'dnsWss' | 'dnsWsOrWss' | ((multiaddrs: Multiaddr[]) => Multiaddr[])
  /** TLS options (`cert`, `key`, ...) for `/wss` and `/tls/ws` listeners (Node). */
  https?: https.ServerOptions
  /** Listen with this http or https server instead of one we create (Node). */
  server?: http.Server | https.Server
  /** Extra `ws` client options for dials (Node): `ca`, `rejectUnauthorized`, `headers`... */
  websocket?: Record<string, any>
  /** Largest message accepted (bytes); larger closes with 1009. Default 4 MiB. */
  maxPayload?: number
  /** `bufferedAmount` above which `send()` returns false. Default 256 KiB. */
  maxBufferedAmount?: number
  /** Unread bytes a connection holds before it aborts. Default 4 MiB. */
  maxReadBufferLength?: number
  /** Terminate inbound connections idle this long (ms); 0 disables. Default 2 minutes. */
  inboundInactivityTimeout?: number
  /** Terminate outbound connections idle this long (ms); 0 disables. Default 2 minutes. */
  outboundInactivityTimeout?: number
  /** How long an accepted socket may take to upgrade (ms). Default 10 s. */
  handshakeTimeout?: number
  /** How long `close()` waits for the close handshake (ms). Default 500. */
  closeTimeout?: number
  /** The longest a dial may take (ms). Default 10 s. */
  dialTimeout?: number
  /** Connections one listener holds; more get HTTP 503. Default 1024. */
  maxConnections?: number
  /** A listener's `close()` closes its connections. Default true. */
  closeConnectionsOnClose?: boolean
}

/** Options of a raw `connect()`. */
export interface WebSocketsDialOptions extends AbortOptions {
  dialTimeout?: number
  inactivityTimeout?: number
  /** Extra `ws` client options for this dial (Node). */
  websocket?: Record<string, any>
}

/** Creates the WebSockets transport factory: `webSockets(init)(components)`. */
export function webSockets (init: WebSocketsInit = {}): (components: WebSocketsComponents) => Transport {
  return (components) => new WebSocketsTransport(components, init)
}

export { WebSocketsTransport } from './transport.js'
export { WebSocketListener } from './listener.js'
export type { WebSocketListenerInit } from './listener.js'
export { WebSocketMultiaddrConnection } from './connection.js'
export type { WebSocketConnectionInit } from './connection.js'
export type { SocketDriver } from './socket-types.js'
export { filters } from './filters.js'
export { isWebSocketAddress, isSecureWebSocketAddress, toWebSocketAddress } from './address.js'
export type { WebSocketAddress } from './address.js'
export * from './errors.js'
export * from './constants.js'
