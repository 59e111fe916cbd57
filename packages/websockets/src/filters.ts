import { isDnsAddress, isSecureWebSocketAddress, isWebSocketAddress } from './address.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Dial filters: which addresses the transport agrees to dial.
 *
 * - `all` (the default, as in `@libp2p/websockets` 10): every `/ws`, `/wss`
 *   and `/tls/ws` address;
 * - `dnsWss`: only secure addresses with a DNS host, the ones a browser in
 *   a secure context can open with a verifiable certificate
 *   (websockets/README.md, "Certificates");
 * - `dnsWsOrWss`: DNS hosts, secure or not.
 */
export const filters = {
  all (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(isWebSocketAddress)
  },
  dnsWss (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(ma => isSecureWebSocketAddress(ma) && isDnsAddress(ma))
  },
  dnsWsOrWss (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(ma => isWebSocketAddress(ma) && isDnsAddress(ma))
  }
}
