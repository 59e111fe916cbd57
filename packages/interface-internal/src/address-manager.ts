import type { Multiaddr } from '@multiformats/multiaddr'

/** Where a node address came from. */
export type AddressType = 'transport' | 'announce' | 'observed' | 'dns-mapping' | 'ip-mapping'

/** A node address with what is known about its reachability. */
export interface NodeAddress {
  multiaddr: Multiaddr
  /** True once something (identify from several peers, AutoNAT) confirmed it. */
  verified: boolean
  lastVerified?: number
  /** When the confirmation lapses, ms since the epoch. */
  expires: number
  type: AddressType
}

/** Options for confirming an address. */
export interface ConfirmAddressOptions {
  /** How long the confirmation lasts, ms. */
  ttl?: number
  type?: AddressType
}

/** The node's own addresses: listen, announce and observed, and which of them to advertise. */
export interface AddressManager {
  getListenAddrs(): Multiaddr[]
  getAnnounceAddrs(): Multiaddr[]
  getObservedAddrs(): Multiaddr[]
  /** Marks an observed address as confirmed, so it is advertised. */
  confirmObservedAddr(addr: Multiaddr, options?: ConfirmAddressOptions): void
  removeObservedAddr(addr: Multiaddr): void
  /** Records an address a peer saw us on (identify's observedAddr); unconfirmed at first. */
  addObservedAddr(addr: Multiaddr): void
  /** The addresses to advertise. */
  getAddresses(): Multiaddr[]
  getAddressesWithMetadata(): NodeAddress[]
  addDNSMapping(domain: string, ipAddresses: string[]): void
  removeDNSMapping(domain: string): void
  addPublicAddressMapping(internalIp: string, internalPort: number, externalIp: string, externalPort?: number, protocol?: 'tcp' | 'udp'): void
  removePublicAddressMapping(internalIp: string, internalPort: number, externalIp: string, externalPort?: number, protocol?: 'tcp' | 'udp'): void
}
