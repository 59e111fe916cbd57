import { multiaddr } from '@multiformats/multiaddr'
import { WebSockets, WebSocketsSecure } from '@multiformats/multiaddr-matcher'
import {
  CODE_DNS, CODE_DNS4, CODE_DNS6, CODE_HTTP_PATH, CODE_IP4, CODE_IP6, CODE_P2P, CODE_P2P_CIRCUIT, CODE_SNI,
  CODE_TCP, CODE_TLS, CODE_WS, CODE_WSS, DEFAULT_WSS_PORT, DEFAULT_WS_PORT
} from './constants.js'
import { UnsupportedAddressError } from './errors.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Where a WebSocket multiaddr points. */
export interface WebSocketAddress {
  /** The URL to open, e.g. `wss://[::1]:4001/path`. */
  url: string
  /** IP literal or DNS name. */
  host: string
  port: number
  /** 4 or 6 for /ip4, /ip6, /dns4, /dns6; 0 for /dns. */
  family: 0 | 4 | 6
  /** True for `/wss` and `/tls/.../ws`. */
  secure: boolean
  /** The TLS server name from `/sni/<name>`, if any. */
  servername?: string
  /** The HTTP path from `/http-path/<path>`, default `/`. */
  path: string
  /** True when the host is a DNS name. */
  dns: boolean
  /** Which form named it: `/ws`, `/wss` or `/tls/ws`. */
  form: 'ws' | 'wss' | 'tls/ws'
}

/** The address without the parts the matchers do not know (`/http-path`, a trailing `/p2p`). */
function withoutPathAndPeer (ma: Multiaddr): Multiaddr {
  return multiaddr(ma.getComponents().filter(c => c.code !== CODE_HTTP_PATH && c.code !== CODE_P2P))
}

/**
 * True for the WebSocket forms of websockets/README.md: `<host>[/tcp/<port>]`
 * then `/ws`, `/wss` or `/tls[/sni/<name>]/ws`, an optional `/http-path`,
 * an optional `/p2p/<peer>`, nothing else (no `/p2p-circuit`).
 */
export function isWebSocketAddress (ma: Multiaddr): boolean {
  const components = ma.getComponents()
  if (components.some(c => c.code === CODE_P2P_CIRCUIT)) {
    return false
  }
  // the matchers also accept udp/quic hosts, which a WebSocket cannot run over
  if (components.some(c => c.code !== CODE_TCP && c.code !== CODE_TLS && c.code !== CODE_SNI && c.code !== CODE_WS && c.code !== CODE_WSS &&
    c.code !== CODE_HTTP_PATH && c.code !== CODE_P2P && c.code !== CODE_IP4 && c.code !== CODE_IP6 && c.code !== CODE_DNS && c.code !== CODE_DNS4 && c.code !== CODE_DNS6)) {
    return false
  }
  const bare = withoutPathAndPeer(ma)
  return WebSockets.exactMatch(bare) || WebSocketsSecure.exactMatch(bare)
}

/** True for `/wss` and `/tls/.../ws` addresses. */
export function isSecureWebSocketAddress (ma: Multiaddr): boolean {
  return isWebSocketAddress(ma) && WebSocketsSecure.exactMatch(withoutPathAndPeer(ma))
}

/** True when the host is a DNS name (`/dns`, `/dns4`, `/dns6`). */
export function isDnsAddress (ma: Multiaddr): boolean {
  const code = ma.getComponents()[0]?.code
  return code === CODE_DNS || code === CODE_DNS4 || code === CODE_DNS6
}

/**
 * Reads a WebSocket multiaddr into a URL and its parts.
 *
 * @throws UnsupportedAddressError when it is not one
 */
export function toWebSocketAddress (ma: Multiaddr): WebSocketAddress {
  if (!isWebSocketAddress(ma)) {
    throw new UnsupportedAddressError(`${ma.toString()} is not a WebSocket address (<host>/tcp/<port>/ws, /wss or /tls/ws)`)
  }
  const components = ma.getComponents()
  const [hostPart] = components
  let family: 0 | 4 | 6 = 0
  switch (hostPart.code) {
    case CODE_IP4: case CODE_DNS4: family = 4; break
    case CODE_IP6: case CODE_DNS6: family = 6; break
  }
  const host = hostPart.value ?? ''
  const secure = isSecureWebSocketAddress(ma)
  const tcp = components.find(c => c.code === CODE_TCP)
  const port = tcp?.value != null ? Number(tcp.value) : (secure ? DEFAULT_WSS_PORT : DEFAULT_WS_PORT)
  const servername = components.find(c => c.code === CODE_SNI)?.value
  const rawPath = components.find(c => c.code === CODE_HTTP_PATH)?.value ?? '/'
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`
  const urlHost = hostPart.code === CODE_IP6 ? `[${host}]` : host
  const form = components.some(c => c.code === CODE_WSS) ? 'wss' : components.some(c => c.code === CODE_TLS) ? 'tls/ws' : 'ws'
  return {
    url: `${secure ? 'wss' : 'ws'}://${urlHost}:${port}${encodeURI(path)}`,
    host,
    port,
    family,
    secure,
    servername,
    path,
    dns: isDnsAddress(ma),
    form
  }
}

/** The multiaddr of a socket address with the given WebSocket form. */
export function toMultiaddr (address: string, port: number, form: WebSocketAddress['form'] = 'ws'): Multiaddr {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (v4mapped != null) {
    address = v4mapped[1]
  }
  const proto = address.includes(':') ? 'ip6' : 'ip4'
  return multiaddr(`/${proto}/${address}/tcp/${port}/${form}`)
}
