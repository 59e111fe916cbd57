/**
 * Protocol ids, sizes, timeouts and limits of the Kademlia DHT. Each cites
 * the spec (libp2p/specs `kad-dht/README.md`, "the spec" below) or the
 * implementation whose default we follow.
 */

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** The default protocol prefix: the public IPFS DHT speaks `/ipfs/kad/1.0.0`. */
export const PROTOCOL_PREFIX = '/ipfs'

/** Appended to the prefix: `<prefix>/kad/1.0.0`, so a private DHT can use its own id. */
export const PROTOCOL_SUFFIX = '/kad/1.0.0'

/** `/ipfs/kad/1.0.0`, the protocol id of the public (Amino) DHT. */
export const PROTOCOL = `${PROTOCOL_PREFIX}${PROTOCOL_SUFFIX}`

/** The replication parameter: "The recommended value for `k` is 20" (spec, "Replication parameter"). */
export const K = 20

/**
 * Lookup concurrency. The spec's default is 10 ("Alpha concurrency
 * parameter"); the Kademlia paper and rust-libp2p (`ALPHA_VALUE`) use 3,
 * which is what we use: fewer wasted requests for the same hop count.
 */
export const ALPHA = 3

/**
 * Resiliency: a lookup ends when the `beta` closest peers seen have all
 * answered and none of their answers brought a closer peer (go-libp2p-kad-dht
 * `Resiliency` option, default 3).
 */
export const BETA = 3

/** Bits in the keyspace: sha256 (spec, "Distance"). */
export const KEY_BITS = 256

/**
 * The largest DHT message we read: 4 MiB, go-libp2p's
 * `network.MessageSizeMax` (used by go-libp2p-kad-dht for inbound and
 * outbound messages) and js-libp2p's default. rust-libp2p's kad refuses
 * packets over 16 KiB by default (`DEFAULT_MAX_PACKET_SIZE`), so keep
 * records small when rust peers are in the network.
 */
export const MAX_MESSAGE_SIZE = 4 * 1024 * 1024

/** rust-libp2p kad's default maximum packet, 16 KiB (see {@link MAX_MESSAGE_SIZE}). */
export const RUST_MAX_PACKET_SIZE = 16 * 1024

/**
 * How many peers of a response's `closerPeers` or `providerPeers` we look
 * at. An honest peer sends at most k (spec, "RPC messages": "the `k`
 * closest"); a peer sending thousands wastes only this much of our work.
 */
export const MAX_PEERS_PER_RESPONSE = 5 * K

/** Addresses kept per peer in a response: more is an attempt to make us dial garbage. */
export const MAX_ADDRS_PER_PEER = 32

/** One request/response on a stream, dial excluded (go-libp2p-kad-dht's `dhtReadMessageTimeout`, 10 s). */
export const RPC_TIMEOUT = 10 * SECOND

/** How long an inbound stream may stay idle between requests before we reset it (go: 1 minute). */
export const INBOUND_IDLE_TIMEOUT = MINUTE

/** Requests answered on one inbound stream before we close it (bounds the work a stream can cause). */
export const MAX_REQUESTS_PER_STREAM = 1000

/**
 * A whole user lookup (find peer, get, put, provide). The spec only fixes the
 * bootstrap run's timeout (below); go-libp2p-kad-dht leaves user queries to
 * the caller's context, we bound them by default.
 */
export const QUERY_TIMEOUT = 30 * SECOND

/** Per bootstrap/refresh run: "Every repetition is subject to a `QueryTimeout` (default: 10 seconds)" (spec, "Bootstrap process"). */
export const REFRESH_QUERY_TIMEOUT = 10 * SECOND

/** "periodically with a configurable frequency (default: 10 minutes)" (spec, "Bootstrap process"). */
export const REFRESH_INTERVAL = 10 * MINUTE

/**
 * How long we keep a stored value record from when we received it
 * (go-libp2p-kad-dht `MaxRecordAge`, 36 h; js-libp2p uses the same).
 */
export const MAX_RECORD_AGE = 36 * HOUR

/** "In the IPFS DHT the Expiration Interval is set to **48 hours**" (spec, "Content provider advertisement and discovery"). */
export const PROVIDER_RECORD_TTL = 48 * HOUR

/** "For the IPFS network it is currently set to **22 hours**" (spec, provider record republish interval). */
export const PROVIDER_REPUBLISH_INTERVAL = 22 * HOUR

/**
 * How long provider addresses are served with a provider record: "A safe
 * value here is the Routing Table Refresh Interval... 30 mins" (spec,
 * "Content provider advertisement").
 */
export const PROVIDER_ADDRS_TTL = 30 * MINUTE

/** How often expired provider and value records are swept. */
export const CLEANUP_INTERVAL = HOUR

/** Providers returned for one key in one response: at most k, as the spec's "closest known `providerPeers`" and go's default. */
export const MAX_PROVIDERS_PER_RESPONSE = K

/** Providers stored per key (bounds what one key can make us store). */
export const MAX_PROVIDERS_PER_KEY = 1000

/** Keys whose provider sets are held in memory (the datastore holds the rest). */
export const PROVIDERS_CACHE_SIZE = 256

/** Replacement candidates kept per full k-bucket. */
export const REPLACEMENT_CACHE_SIZE = K

/** How long checking that the least-recently-seen peer of a full bucket is alive may take. */
export const PING_TIMEOUT = 10 * SECOND

/** Full-bucket liveness checks running at once (bounds dials caused by peers connecting to us). */
export const PING_CONCURRENCY = 3

/**
 * Values collected before a get stops early (the spec's `Q`, "Value
 * retrieval"); go-libp2p-kad-dht's default quorum for GetValue is 16.
 */
export const DEFAULT_GET_QUORUM = 16

/** Peers that must accept a PUT_VALUE or ADD_PROVIDER for put/provide to succeed (at least one, so a put into the void fails). */
export const DEFAULT_PUT_QUORUM = 1

/** Datastore prefix of value records. */
export const RECORD_KEY_PREFIX = '/dht/record'

/** Datastore prefix of provider records. */
export const PROVIDER_KEY_PREFIX = '/dht/provider'

/** Largest key accepted in a request (keys are multihashes, peer ids or short namespaced paths). */
export const MAX_KEY_LENGTH = 1024

/** How many peers one query may contact in total (a lookup that keeps getting new peers still ends). */
export const MAX_PEERS_QUERIED = 500

/** Peers whose addresses are cached (see PeerInfoCache). */
export const PEER_INFO_CACHE_SIZE = 2048

/** How long cached peer addresses are used before the peer store is read again. */
export const PEER_INFO_CACHE_TTL = 5 * SECOND

/** The name of the DHT's scope in the node's resource manager (`serviceScope(name)`), where inbound requests' bytes are reserved while they are answered. */
export const RESOURCE_SERVICE_NAME = 'kad-dht'

/**
 * Bytes a stored record or provider entry is charged on top of its encoded
 * size in the DHT's service memory scope: an approximation of the
 * datastore's map entry and key and of the in-memory provider cache's objects.
 */
export const STORE_ENTRY_OVERHEAD = 128

/**
 * What a stored entry must leave free in the DHT's service memory scope,
 * shared with the in-flight inbound requests: a store that fills the scope
 * would otherwise make the server refuse every request. An entry is refused
 * unless its size plus this much can be reserved.
 */
export const STORE_MEMORY_HEADROOM = 1024 * 1024
