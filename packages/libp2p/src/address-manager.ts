import { InvalidParametersError, LimitExceededError } from '@ts-libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { MAX_ADDRESS_MAPPINGS, MAX_OBSERVED_ADDRS, OBSERVED_ADDR_TTL } from './constants.js'
import type { AddressManager as AddressManagerInterface, AddressType, ConfirmAddressOptions, NodeAddress, TransportManager } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The `addresses` option of the node. */
export interface AddressManagerInit {
  /** Addresses to listen on. */
  listen?: string[]
  /** When set, advertise exactly these (plus appendAnnounce) instead of the listen addresses. */
  announce?: string[]
  /** Never advertise these (or addresses starting with them). */
  noAnnounce?: string[]
  /** Advertise these in addition to everything else. */
  appendAnnounce?: string[]
  /** A last filter over the addresses to advertise. */
  announceFilter?(addrs: Multiaddr[]): Multiaddr[]
}

/** What the address manager needs from the node. */
export interface AddressManagerComponents {
  transportManager: Pick<TransportManager, 'getAddrs'>
  /** Told when the addresses to advertise may have changed (the node records them, which emits `self:peer:update`). */
  onAddressesChanged?(): void
}

interface Observed {
  multiaddr: Multiaddr
  verified: boolean
  lastVerified?: number
  expires: number
  type: AddressType
}

function parse (addrs: string[] = []): Multiaddr[] {
  return addrs.map(a => {
    try {
      return multiaddr(a)
    } catch (err: any) {
      throw new InvalidParametersError(`Invalid address ${a}: ${err.message}`)
    }
  })
}

/**
 * The node's own addresses: where it listens, what it announces, and what
 * peers say they see it as. Observed addresses are advertised only after they
 * were confirmed (by identify from several peers, or AutoNAT), and expire.
 */
export class AddressManager implements AddressManagerInterface {
  readonly #components: AddressManagerComponents
  readonly #listen: Multiaddr[]
  readonly #announce: Multiaddr[]
  readonly #noAnnounce: string[]
  readonly #appendAnnounce: Multiaddr[]
  readonly #filter: (addrs: Multiaddr[]) => Multiaddr[]
  readonly #observed = new Map<string, Observed>()
  readonly #dnsMappings = new Map<string, string[]>()
  readonly #ipMappings = new Map<string, { externalIp: string, externalPort?: number }>()

  constructor (components: AddressManagerComponents, init: AddressManagerInit = {}) {
    this.#components = components
    this.#listen = parse(init.listen)
    this.#announce = parse(init.announce)
    this.#noAnnounce = parse(init.noAnnounce).map(String)
    this.#appendAnnounce = parse(init.appendAnnounce)
    this.#filter = init.announceFilter ?? ((addrs) => addrs)
  }

  getListenAddrs (): Multiaddr[] { return [...this.#listen] }
  getAnnounceAddrs (): Multiaddr[] { return [...this.#announce] }
  getObservedAddrs (): Multiaddr[] { return [...this.#observed.values()].map(o => o.multiaddr) }

  addObservedAddr (addr: Multiaddr): void {
    const key = addr.toString()
    if (this.#observed.has(key)) return
    if (this.#observed.size >= MAX_OBSERVED_ADDRS) {
      // forget the oldest unconfirmed address; if all are confirmed, ignore the new one
      const oldest = [...this.#observed.entries()].find(([, o]) => !o.verified)?.[0]
      if (oldest == null) return
      this.#observed.delete(oldest)
    }
    this.#observed.set(key, { multiaddr: addr, verified: false, expires: 0, type: 'observed' })
  }

  confirmObservedAddr (addr: Multiaddr, options: ConfirmAddressOptions = {}): void {
    const key = addr.toString()
    const now = Date.now()
    const entry = this.#observed.get(key) ?? { multiaddr: addr, verified: false, expires: 0, type: options.type ?? 'observed' }
    entry.verified = true
    entry.lastVerified = now
    entry.expires = now + (options.ttl ?? OBSERVED_ADDR_TTL)
    this.#observed.delete(key)
    this.#observed.set(key, entry)
    while (this.#observed.size > MAX_OBSERVED_ADDRS) {
      const oldest = this.#observed.keys().next().value
      if (oldest == null) break
      this.#observed.delete(oldest)
    }
    this.#changed()
  }

  removeObservedAddr (addr: Multiaddr): void {
    if (this.#observed.delete(addr.toString())) this.#changed()
  }

  getAddresses (): Multiaddr[] {
    return this.getAddressesWithMetadata().filter(a => a.verified).map(a => a.multiaddr)
  }

  getAddressesWithMetadata (): NodeAddress[] {
    const now = Date.now()
    const out = new Map<string, NodeAddress>()
    const add = (ma: Multiaddr, type: AddressType, verified: boolean, expires = Infinity, lastVerified?: number): void => {
      const key = ma.toString()
      if (this.#noAnnounce.some(prefix => key.startsWith(prefix))) return
      if (!out.has(key)) out.set(key, { multiaddr: ma, type, verified, expires, lastVerified })
    }
    if (this.#announce.length > 0) {
      for (const ma of this.#announce) add(ma, 'announce', true)
    } else {
      for (const ma of this.#components.transportManager.getAddrs()) {
        add(ma, 'transport', true)
        for (const mapped of this.#mapped(ma)) add(mapped.ma, mapped.type, true)
      }
    }
    for (const o of this.#observed.values()) {
      if (o.verified && o.expires <= now) o.verified = false
      add(o.multiaddr, o.type, o.verified, o.expires, o.lastVerified)
    }
    for (const ma of this.#appendAnnounce) add(ma, 'announce', true)
    const verified = new Set(this.#filter([...out.values()].filter(a => a.verified).map(a => a.multiaddr)).map(String))
    return [...out.values()].filter(a => !a.verified || verified.has(a.multiaddr.toString()))
  }

  addDNSMapping (domain: string, ipAddresses: string[]): void {
    if (!this.#dnsMappings.has(domain) && this.#dnsMappings.size >= MAX_ADDRESS_MAPPINGS) throw new LimitExceededError(`${MAX_ADDRESS_MAPPINGS} DNS mappings exist already`)
    this.#dnsMappings.set(domain, [...ipAddresses])
    this.#changed()
  }

  removeDNSMapping (domain: string): void {
    if (this.#dnsMappings.delete(domain)) this.#changed()
  }

  addPublicAddressMapping (internalIp: string, internalPort: number, externalIp: string, externalPort?: number, protocol: 'tcp' | 'udp' = 'tcp'): void {
    const key = `${internalIp}/${protocol}/${internalPort}`
    if (!this.#ipMappings.has(key) && this.#ipMappings.size >= MAX_ADDRESS_MAPPINGS) throw new LimitExceededError(`${MAX_ADDRESS_MAPPINGS} address mappings exist already`)
    this.#ipMappings.set(key, { externalIp, externalPort })
    this.#changed()
  }

  removePublicAddressMapping (internalIp: string, internalPort: number, _externalIp: string, _externalPort?: number, protocol: 'tcp' | 'udp' = 'tcp'): void {
    if (this.#ipMappings.delete(`${internalIp}/${protocol}/${internalPort}`)) this.#changed()
  }

  #changed (): void {
    this.#components.onAddressesChanged?.()
  }

  /** The forms a listen address takes through DNS and public address mappings. */
  #mapped (ma: Multiaddr): Array<{ ma: Multiaddr, type: AddressType }> {
    const components = ma.getComponents()
    const ip = components[0]
    const port = components[1]
    if (ip == null || (ip.name !== 'ip4' && ip.name !== 'ip6') || ip.value == null) return []
    const rest = ma.toString().slice(`/${ip.name}/${ip.value}`.length)
    const out: Array<{ ma: Multiaddr, type: AddressType }> = []
    for (const [domain, ips] of this.#dnsMappings) {
      if (ips.includes(ip.value)) out.push({ ma: multiaddr(`/${ip.name === 'ip4' ? 'dns4' : 'dns6'}/${domain}${rest}`), type: 'dns-mapping' })
    }
    if (port != null && (port.name === 'tcp' || port.name === 'udp')) {
      const mapping = this.#ipMappings.get(`${ip.value}/${port.name}/${port.value ?? ''}`)
      if (mapping != null) {
        const family = mapping.externalIp.includes(':') ? 'ip6' : 'ip4'
        const tail = ma.toString().slice(`/${ip.name}/${ip.value}/${port.name}/${port.value ?? ''}`.length)
        out.push({ ma: multiaddr(`/${family}/${mapping.externalIp}/${port.name}/${mapping.externalPort ?? port.value ?? ''}${tail}`), type: 'ip-mapping' })
      }
    }
    return out
  }
}
