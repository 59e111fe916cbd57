/**
 * @packageDocumentation
 *
 * Peer discovery over multicast DNS, as the libp2p spec
 * [discovery/mdns.md](https://github.com/libp2p/specs/blob/master/discovery/mdns.md) describes it: peers on the
 * same link query `_p2p._udp.local PTR` on 224.0.0.251:5353 and answer with a PTR record naming a random peer
 * name and TXT records `dnsaddr=<multiaddr>/p2p/<peer id>`, one per address. Each peer heard is announced with
 * a `peer` event (the node emits `peer:discovery` and records its addresses).
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { mdns } from '@ts-libp2p/mdns'
 *
 * const node = await createLibp2p({ ..., peerDiscovery: [mdns({ interval: 10_000 })] })
 * node.addEventListener('peer:discovery', (evt) => { console.log('found', evt.detail.id) })
 * ```
 */

import { MulticastDNS, mdnsOptions } from './mdns.js'
import type { ComponentLogger, PeerDiscovery, PeerId, Startable } from '@ts-libp2p/interface'
import type { AddressManager } from '@ts-libp2p/interface-internal'

export * from './constants.js'
export { InvalidMdnsPacketError } from './errors.js'
export { MulticastDNS } from './mdns.js'
export {
  encodeQuery, encodeResponse, encodeMetaResponse, decodePacket, readMessage, peersFromResponse,
  dnsaddrStrings, isSuitableAddress, randomPeerName, isValidPeerName
} from './codec.js'
export type { MdnsMessage, ResponseInit } from './codec.js'

/** Options of the mDNS discovery. */
export interface MdnsInit {
  /** Milliseconds between our queries (and the period after which a peer is announced again). Default 10 000, at least 100. */
  interval?: number
  /** The DNS-SD service name. Default `_p2p._udp.local` (a private network would use `_p2p-<fingerprint>._udp.local`). */
  serviceTag?: string
  /** Our instance name under the service, one DNS label. Default: 32 random lower-case alphanumerics, new per node. */
  peerName?: string
  /** Answer queries with our addresses. Default true; false only listens (others do not learn of us). */
  broadcast?: boolean
  /** UDP port. Default 5353. */
  port?: number
  /** IPv4 multicast group. Default 224.0.0.251. */
  ip?: string
  /**
   * The local IPv4 address of the interface to join the group on and send from. Default: the one the system
   * picks (the default route's interface).
   */
  interface?: string
}

/** What the mDNS discovery needs from the node. */
export interface MdnsComponents {
  peerId: PeerId
  addressManager: Pick<AddressManager, 'getAddresses'>
  logger: ComponentLogger
}

/** The mDNS discovery: a PeerDiscovery (emits `peer`) that is also Startable. */
export type MdnsDiscovery = PeerDiscovery & Startable & { readonly peerName: string }

/**
 * Creates the mDNS discovery for a node's `peerDiscovery` list. Throws InvalidParametersError for an invalid
 * option. Nothing is sent before the node starts.
 */
export function mdns (init: MdnsInit = {}): (components: MdnsComponents) => MdnsDiscovery {
  mdnsOptions(init)
  return (components) => new MulticastDNS(components, init)
}
