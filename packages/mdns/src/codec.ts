import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import * as dnsPacket from 'dns-packet'
import {
  DNSADDR_PREFIX, MAX_ADDRESSES_PER_PEER, MAX_ANNOUNCED_ADDRESSES, MAX_LABEL_LENGTH, MAX_PACKET_SIZE,
  MAX_PEERS_PER_RESPONSE, MAX_TXT_STRINGS_PER_RESPONSE, MAX_TXT_STRING_LENGTH, MDNS_DOMAIN, META_QUERY_NAME, PEER_NAME_LENGTH,
  RECORD_TTL
} from './constants.js'
import { InvalidMdnsPacketError } from './errors.js'
import type { PeerId, PeerInfo } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Answer, DecodedPacket, TxtData } from 'dns-packet'

/** What a received datagram asks or tells, once decoded. */
export type MdnsMessage =
  | {
    type: 'query'
    /** the service was asked for (PTR or ANY) */
    service: boolean
    /** the DNS-SD meta query was asked */
    meta: boolean
    /** our instance `<peer-name>.<service-name>` was asked for directly (TXT or ANY: the spec's "Gotchas") */
    instance: boolean
  }
  | { type: 'response', peers: PeerInfo[] }

/** A random lower-case alphanumeric peer name of PEER_NAME_LENGTH characters (spec, Definitions). */
export function randomPeerName (): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let name = ''
  // 252 = 7 * 36: rejecting bytes above it keeps every character equally likely
  while (name.length < PEER_NAME_LENGTH) {
    for (const byte of randomBytes(PEER_NAME_LENGTH)) {
      if (byte < 252 && name.length < PEER_NAME_LENGTH) name += alphabet[byte % 36]
    }
  }
  return name
}

/** True if `name` can be a peer name: one DNS label of letters, digits and '-' (spec: under 64 characters). */
export function isValidPeerName (name: string): boolean {
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_LABEL_LENGTH && /^[a-z0-9-]+$/i.test(name)
}

function isLoopback (addr: Multiaddr): boolean {
  const first = addr.getComponents()[0]
  if (first?.name === 'ip4') return first.value?.startsWith('127.') === true
  if (first?.name === 'ip6') return first.value === '::1' || first.value === '0:0:0:0:0:0:0:1'
  return false
}

/**
 * Whether an address may be announced over (or accepted from) mDNS: it must start with an IP address or a
 * `.local` DNS name (the spec's "mDNS requires link-local addresses"), not be loopback nor unspecified (the
 * spec's Issues: loopback addresses "should not be sent and must be ignored on receipt"), and not be a relay
 * circuit (as go-libp2p: relayed addresses are not local).
 */
export function isSuitableAddress (addr: Multiaddr): boolean {
  const components = addr.getComponents()
  const first = components[0]
  if (first == null) return false
  if (first.name === 'ip4' || first.name === 'ip6') {
    if (first.value === '0.0.0.0' || first.value === '::' || isLoopback(addr)) return false
  } else if (first.name === 'dns' || first.name === 'dns4' || first.name === 'dns6') {
    if (first.value?.toLowerCase().endsWith('.local') !== true) return false
  } else {
    return false
  }
  return !components.some(c => c.name === 'p2p-circuit')
}

/** The TXT strings (`dnsaddr=<addr>/p2p/<id>`) we announce for these addresses, suitable ones only, bounded. */
export function dnsaddrStrings (peerId: PeerId, addrs: Multiaddr[]): string[] {
  const out: string[] = []
  const id = peerId.toString()
  for (const addr of addrs) {
    if (out.length >= MAX_ANNOUNCED_ADDRESSES) break
    if (!isSuitableAddress(addr)) continue
    const p2p = addr.getComponents().filter(c => c.name === 'p2p').at(-1)?.value
    if (p2p != null && p2p !== id) continue
    const full = p2p == null ? addr.encapsulate(`/p2p/${id}`) : addr
    const text = DNSADDR_PREFIX + full.toString()
    if (Buffer.byteLength(text) > MAX_TXT_STRING_LENGTH || out.includes(text)) continue
    out.push(text)
  }
  return out
}

/** A query for all peers of the service (spec, Request: `<service-name> PTR`). */
export function encodeQuery (serviceTag: string): Uint8Array {
  return dnsPacket.encode({
    type: 'query',
    id: 0,
    flags: 0,
    questions: [{ type: 'PTR', class: 'IN', name: serviceTag }]
  })
}

/** What a response announces about one peer. */
export interface ResponseInit {
  serviceTag: string
  peerName: string
  peerId: PeerId
  multiaddrs: Multiaddr[]
  /**
   * Put the TXT records among the answers rather than the additional records: the answer to a direct
   * `<peer-name>.<service-name> TXT` query (spec, Gotchas). Default false.
   */
  txtInAnswers?: boolean
}

/**
 * The host records of a response (spec, Find All Response: "the following additional records should be
 * included: `<peer-name>.<service-name> SRV ... <host-name>`, `<host-name> A`, `<host-name> AAAA`"): an SRV
 * record naming the host `<peer-name>.local`, with the port of the first announced address that has one, and
 * one A or AAAA record per distinct IP address among the announced ones. go-libp2p's resolver (zeroconf) drops a
 * peer whose response carries no A or AAAA record for the SRV target, whatever its TXT records say.
 */
function hostRecords (instance: string, peerName: string, strings: string[]): Answer[] {
  const host = `${peerName}.${MDNS_DOMAIN}`
  const ips: Answer[] = []
  const seen = new Set<string>()
  let port: number | undefined
  for (const text of strings) {
    const components = multiaddr(text.slice(DNSADDR_PREFIX.length)).getComponents()
    const portValue = components.find(c => c.name === 'tcp' || c.name === 'udp')?.value
    if (port == null && portValue != null) port = Number(portValue)
    const first = components[0]
    if ((first?.name !== 'ip4' && first?.name !== 'ip6') || first.value == null || seen.has(first.value)) continue
    seen.add(first.value)
    ips.push(first.name === 'ip4'
      ? { type: 'A', class: 'IN', name: host, ttl: RECORD_TTL, data: first.value }
      : { type: 'AAAA', class: 'IN', name: host, ttl: RECORD_TTL, data: first.value })
  }
  const srv: Answer = { type: 'SRV', class: 'IN', name: instance, ttl: RECORD_TTL, data: { priority: 0, weight: 0, port: port ?? 0, target: host } }
  return [srv, ...ips]
}

/**
 * Our answer to a find-all-peers query (spec, Response): the answer `<service-name> PTR
 * <peer-name>.<service-name>` and, as additional records, one TXT record per suitable address holding
 * `dnsaddr=<addr>/p2p/<id>`, then the SRV, A and AAAA records of the spec's Find All Response (see hostRecords).
 * Returns undefined if no address is suitable (there is nothing to announce).
 * Addresses are dropped from the end until the packet fits MAX_PACKET_SIZE.
 */
export function encodeResponse (init: ResponseInit): Uint8Array | undefined {
  const instance = `${init.peerName}.${init.serviceTag}`
  const strings = dnsaddrStrings(init.peerId, init.multiaddrs)
  while (strings.length > 0) {
    const ptr: Answer = { type: 'PTR', class: 'IN', name: init.serviceTag, ttl: RECORD_TTL, data: instance }
    const txts: Answer[] = strings.map(s => ({ type: 'TXT', class: 'IN', name: instance, ttl: RECORD_TTL, data: [Buffer.from(s)] }))
    const hosts = hostRecords(instance, init.peerName, strings)
    const packet = dnsPacket.encode({
      type: 'response',
      id: 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      answers: init.txtInAnswers === true ? [ptr, ...txts] : [ptr],
      additionals: init.txtInAnswers === true ? hosts : [...txts, ...hosts]
    })
    // the IP (20) and UDP (8) headers count towards the limit too
    if (packet.byteLength + 28 <= MAX_PACKET_SIZE) return packet
    strings.pop()
  }
  return undefined
}

/** The answer to the DNS-SD meta query (spec, Meta Query): `_services._dns-sd._udp.local PTR <service-name>`. */
export function encodeMetaResponse (serviceTag: string): Uint8Array {
  return dnsPacket.encode({
    type: 'response',
    id: 0,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    answers: [{ type: 'PTR', class: 'IN', name: META_QUERY_NAME, ttl: RECORD_TTL, data: serviceTag }]
  })
}

/** Decodes a datagram as DNS, or throws InvalidMdnsPacketError. */
export function decodePacket (bytes: Uint8Array): DecodedPacket {
  if (bytes.byteLength > MAX_PACKET_SIZE) {
    throw new InvalidMdnsPacketError(`packet of ${bytes.byteLength} bytes is over the limit of ${MAX_PACKET_SIZE}`)
  }
  try {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const packet = dnsPacket.decode(buf)
    if (packet.type !== 'query' && packet.type !== 'response') throw new Error(`unknown type ${String(packet.type)}`)
    return packet
  } catch (err: any) {
    if (err instanceof InvalidMdnsPacketError) throw err
    throw new InvalidMdnsPacketError(`not a DNS message: ${err?.message ?? err}`)
  }
}

const sameName = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase()

function txtStrings (data: TxtData): Buffer[] {
  if (Array.isArray(data)) return data.map(d => typeof d === 'string' ? Buffer.from(d) : d)
  return [typeof data === 'string' ? Buffer.from(data) : data]
}

/**
 * The peers a response announces for `serviceTag`: each PTR answer `<service-name> PTR <instance>` names a
 * peer, whose addresses are the `dnsaddr=` strings of the TXT records for `<instance>` (in the answers or the
 * additional records). An address is kept if it parses, ends in `/p2p/<id>` with the same id as the peer's
 * other addresses, and is suitable (isSuitableAddress); a peer without any kept address, and `ownId`, are
 * left out. Everything is bounded (MAX_PEERS_PER_RESPONSE, MAX_TXT_STRINGS_PER_RESPONSE,
 * MAX_ADDRESSES_PER_PEER); what is over the bounds or malformed is skipped, never thrown.
 */
export function peersFromResponse (packet: DecodedPacket, serviceTag: string, ownId?: PeerId): PeerInfo[] {
  const records: Answer[] = [...(packet.answers ?? []), ...(packet.additionals ?? [])]
  const instances: string[] = []
  for (const record of records) {
    if (record.type !== 'PTR' || !sameName(record.name, serviceTag) || typeof record.data !== 'string') continue
    if (instances.length >= MAX_PEERS_PER_RESPONSE) break
    if (!instances.some(i => sameName(i, record.data as string))) instances.push(record.data)
  }
  const peers = new Map<string, PeerInfo>()
  let budget = MAX_TXT_STRINGS_PER_RESPONSE
  for (const instance of instances) {
    let id: PeerId | undefined
    const addrs: Multiaddr[] = []
    for (const record of records) {
      if (record.type !== 'TXT' || !sameName(record.name, instance) || record.data == null) continue
      for (const bytes of txtStrings(record.data)) {
        if (budget-- <= 0 || addrs.length >= MAX_ADDRESSES_PER_PEER) break
        const text = bytes.toString('utf8')
        if (!text.toLowerCase().startsWith(DNSADDR_PREFIX)) continue
        const parsed = parseDnsaddr(text.slice(DNSADDR_PREFIX.length))
        if (parsed == null) continue
        if (id == null) id = parsed.id
        else if (!id.equals(parsed.id)) continue
        if (!addrs.some(a => a.equals(parsed.addr))) addrs.push(parsed.addr)
      }
    }
    if (id == null || addrs.length === 0 || (ownId != null && id.equals(ownId))) continue
    const known = peers.get(id.toString())
    if (known == null) peers.set(id.toString(), { id, multiaddrs: addrs })
    else for (const addr of addrs) if (known.multiaddrs.length < MAX_ADDRESSES_PER_PEER && !known.multiaddrs.some(a => a.equals(addr))) known.multiaddrs.push(addr)
  }
  return [...peers.values()]
}

function parseDnsaddr (text: string): { addr: Multiaddr, id: PeerId } | undefined {
  try {
    const addr = multiaddr(text)
    const p2p = addr.getComponents().filter(c => c.name === 'p2p').at(-1)?.value
    if (p2p == null || !isSuitableAddress(addr)) return undefined
    return { addr, id: peerIdFromString(p2p) }
  } catch {
    return undefined
  }
}

/**
 * Reads a datagram: a query (does it ask for `serviceTag`, the DNS-SD meta query, or `instanceName`?) or a
 * response (the peers it announces, without `ownId`). Throws InvalidMdnsPacketError for what is not a DNS
 * message.
 */
export function readMessage (bytes: Uint8Array, serviceTag: string, ownId?: PeerId, instanceName?: string): MdnsMessage {
  const packet = decodePacket(bytes)
  if (packet.type === 'query') {
    let service = false
    let meta = false
    let instance = false
    for (const q of packet.questions ?? []) {
      const any = (q.type as string) === 'ANY'
      if (instanceName != null && (q.type === 'TXT' || any) && sameName(q.name, instanceName)) instance = true
      if (q.type !== 'PTR' && !any) continue
      if (sameName(q.name, serviceTag)) service = true
      if (sameName(q.name, META_QUERY_NAME)) meta = true
    }
    return { type: 'query', service, meta, instance }
  }
  return { type: 'response', peers: peersFromResponse(packet, serviceTag, ownId) }
}
