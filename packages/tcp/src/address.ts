import { isIPv4, isIPv6 } from 'node:net'
import { networkInterfaces } from 'node:os'
import { multiaddr } from '@multiformats/multiaddr'
import { TCP } from '@multiformats/multiaddr-matcher'
import { CODE_DNS, CODE_DNS4, CODE_DNS6, CODE_IP4, CODE_IP6, CODE_P2P_CIRCUIT, CODE_TCP } from './constants.js'
import { UnsupportedAddressError } from './errors.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Where a TCP multiaddr points, in the terms node:net takes. */
export interface NetAddress {
  /** An IP literal or a DNS name. */
  host: string
  port: number
  /** 4 or 6 for /ip4, /ip6, /dns4, /dns6; 0 (either) for /dns. */
  family: 0 | 4 | 6
}

/**
 * True for `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>` with an optional
 * `/p2p/<peer>`, and nothing after (no `/ws`, no `/p2p-circuit`): the
 * addresses a plain TCP dial reaches.
 */
export function isTcpAddress (ma: Multiaddr): boolean {
  if (ma.getComponents().some(c => c.code === CODE_P2P_CIRCUIT)) {
    return false
  }
  return TCP.exactMatch(ma)
}

/**
 * Reads host, port and family out of a TCP multiaddr.
 *
 * @throws UnsupportedAddressError when it is not one
 */
export function toNetAddress (ma: Multiaddr): NetAddress {
  const components = ma.getComponents()
  const [host, tcp] = components
  if (host == null || tcp == null || tcp.code !== CODE_TCP || tcp.value == null || host.value == null || !isTcpAddress(ma)) {
    throw new UnsupportedAddressError(`${ma.toString()} is not a TCP address (/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>)`)
  }
  const port = Number(tcp.value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UnsupportedAddressError(`${ma.toString()} has an invalid TCP port`)
  }
  switch (host.code) {
    case CODE_IP4: return { host: host.value, port, family: 4 }
    case CODE_IP6: return { host: host.value, port, family: 6 }
    case CODE_DNS4: return { host: host.value, port, family: 4 }
    case CODE_DNS6: return { host: host.value, port, family: 6 }
    case CODE_DNS: return { host: host.value, port, family: 0 }
    default: throw new UnsupportedAddressError(`${ma.toString()} does not start with an IP or DNS host`)
  }
}

/**
 * The multiaddr of an IP and port reported by a socket. IPv4 addresses a
 * dual-stack socket reports in IPv6 form (`::ffff:127.0.0.1`) become /ip4.
 */
export function toMultiaddr (address: string, port: number): Multiaddr {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (v4mapped != null) {
    address = v4mapped[1]
  }
  if (isIPv4(address)) {
    return multiaddr(`/ip4/${address}/tcp/${port}`)
  }
  if (isIPv6(address)) {
    return multiaddr(`/ip6/${address}/tcp/${port}`)
  }
  throw new UnsupportedAddressError(`${address} is not an IP address`)
}

/** Interface addresses, as `os.networkInterfaces()` reports them (injectable for tests). */
export type InterfaceAddresses = ReturnType<typeof networkInterfaces>

/**
 * The addresses a listener bound to `address` can be reached at. A wildcard
 * (0.0.0.0 or ::) becomes every interface address of that family; IPv6
 * link-local addresses (fe80::/10) are left out because they are useless
 * without a zone index, which multiaddrs cannot carry.
 */
export function expandListenAddress (address: string, port: number, interfaces: InterfaceAddresses = networkInterfaces()): Multiaddr[] {
  let family: 'IPv4' | 'IPv6' | undefined
  if (address === '0.0.0.0') {
    family = 'IPv4'
  } else if (address === '::') {
    family = 'IPv6'
  }
  if (family == null) {
    return [toMultiaddr(address, port)]
  }
  const out: Multiaddr[] = []
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.family !== family) {
        continue
      }
      if (family === 'IPv6' && /^fe[89ab]/i.test(info.address)) {
        continue
      }
      out.push(toMultiaddr(info.address, port))
    }
  }
  return out
}
