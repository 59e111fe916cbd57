/**
 * Limits of the peer store. libp2p's specs set none of these (the peer store
 * is a local structure, not a protocol); each is chosen so that what other
 * peers tell us about themselves cannot grow our memory or datastore without
 * bound, while staying far above what real peers send.
 */

/** Datastore namespace of stored peers: `/peers/<base32 multihash of the peer id>`. */
export const PEER_KEY_PREFIX = '/peers/'

/**
 * Addresses kept per peer. Identify sends a peer's listen addresses
 * (identify spec, `listenAddrs`), a handful in practice; a signed peer record
 * carries at most 100 (@ts-libp2p/peer-record MAX_ADDRESSES_PER_RECORD).
 */
export const MAX_ADDRESSES_PER_PEER = 256

/**
 * Protocols kept per peer. Identify lists every protocol a peer handles
 * (identify spec, `protocols`); busy go/rust nodes list a few dozen.
 */
export const MAX_PROTOCOLS_PER_PEER = 256

/**
 * Longest protocol id kept. multistream-select caps a protocol id at 1024
 * bytes including its newline (go-multistream `MaxProtocolLen`).
 */
export const MAX_PROTOCOL_LENGTH = 1024

/** Metadata entries kept per peer (identify stores AgentVersion and ProtocolVersion here). */
export const MAX_METADATA_ENTRIES = 64

/** Longest metadata key. */
export const MAX_METADATA_KEY_LENGTH = 256

/** Largest metadata value: an agent version string is well under this. */
export const MAX_METADATA_VALUE_SIZE = 4096

/** Tags kept per peer (keep-alive, bootstrap, kad-close, application tags...). */
export const MAX_TAGS_PER_PEER = 64

/** Longest tag name. */
export const MAX_TAG_NAME_LENGTH = 256

/** Tag values range from 0 to this (the PeerStore interface's `TagOptions.value`). */
export const MAX_TAG_VALUE = 100

/** Largest stored peer entry accepted when reading the datastore back (a corrupt or foreign value is refused). */
export const MAX_STORED_PEER_SIZE = 4 * 1024 * 1024

/**
 * Peers kept in the store. Anyone can make up peer ids, and the DHT, pubsub
 * and discovery all add peers we never dial, so the store needs a ceiling:
 * four times a full Kademlia routing table (k = 20 per bucket x 256 buckets,
 * kad-dht spec) leaves ample room for real use. Adding a new peer beyond it
 * fails with LimitExceededError; known peers can always be updated.
 */
export const MAX_PEERS = 20_480
