/**
 * Constants of libp2p peer discovery over multicast DNS. "spec" is
 * libp2p/specs discovery/mdns.md; RFC 6762 is Multicast DNS. Values marked
 * "ours" are bounds this package adds; "js" values match js-libp2p's
 * `@libp2p/mdns` defaults so both behave alike on a network.
 */

/** The mDNS IPv4 multicast group (RFC 6762 §3: 224.0.0.251). */
export const MDNS_IPV4_GROUP = '224.0.0.251'

/** The mDNS UDP port (RFC 6762 §3: 5353). */
export const MDNS_PORT = 5353

/** The DNS-SD service name all libp2p peers use (spec, Definitions: `_p2p._udp.local`). */
export const SERVICE_TAG = '_p2p._udp.local'

/**
 * The domain of the host name in our SRV, A and AAAA records, `<peer-name>.local` (spec, Find All Response:
 * `<host-name>`; RFC 6762 §3: names ending in `.local.` are link-local).
 */
export const MDNS_DOMAIN = 'local'

/** The DNS-SD meta query name (spec, Meta Query: `_services._dns-sd._udp.local PTR`). */
export const META_QUERY_NAME = '_services._dns-sd._udp.local'

/** The prefix of each multiaddr attribute in a TXT record (spec, Response: `dnsaddr=/.../p2p/QmId`). */
export const DNSADDR_PREFIX = 'dnsaddr='

/** Milliseconds between the queries we send (js: 10 s; the spec only says "when a peer starts"). */
export const QUERY_INTERVAL = 10_000

/** Seconds the records we announce may be cached (js and go: 120 s, the RFC 6762 §10 host record TTL). */
export const RECORD_TTL = 120

/** IP TTL of our multicast packets (RFC 6762 §11: 255, and receivers may check it). */
export const MULTICAST_TTL = 255

/**
 * Characters of the random peer name (spec, Definitions: "a random, lower-case alphanumeric string of at least
 * 32 characters", and under 64 since it is a DNS label).
 */
export const PEER_NAME_LENGTH = 32

/** The longest a DNS label may be (RFC 1035 §2.3.4: 63 octets); a peer name must fit in one. */
export const MAX_LABEL_LENGTH = 63

/**
 * The largest mDNS packet we send or accept (RFC 6762 §17: "a Multicast DNS packet, including IP and UDP
 * headers, MUST NOT exceed 9000 bytes"). Larger datagrams are dropped unread.
 */
export const MAX_PACKET_SIZE = 9000

/** The longest one TXT character-string may be (RFC 1035 §3.3: a length octet, so 255 bytes). */
export const MAX_TXT_STRING_LENGTH = 255

/** The most TXT character-strings we read from one response; the rest are ignored (ours). */
export const MAX_TXT_STRINGS_PER_RESPONSE = 128

/** The most peers (PTR answers) we read from one response; the rest are ignored (ours). */
export const MAX_PEERS_PER_RESPONSE = 16

/** The most addresses we accept for one peer from one response (ours). */
export const MAX_ADDRESSES_PER_PEER = 32

/** The most addresses we announce, so the response stays well under MAX_PACKET_SIZE (ours). */
export const MAX_ANNOUNCED_ADDRESSES = 32

/**
 * The most distinct peers announced (`peer` events) per query interval; further peers wait for the next
 * interval. Bounds the memory of the per-interval dedupe set (ours).
 */
export const MAX_PEERS_PER_INTERVAL = 256

/**
 * Milliseconds between two multicasts of our response (RFC 6762 §6: a responder "MUST NOT multicast a record
 * on a given interface until at least one second has elapsed since the last time that record was multicast").
 * A query inside that window is answered when it ends.
 */
export const MIN_RESPONSE_INTERVAL = 1_000
