/**
 * Limits and timeouts of the node. Each cites where its value comes from.
 */

/**
 * Time for an inbound connection to finish its upgrade (security + muxer
 * negotiation) before it is aborted. Guards against slowloris-style peers that
 * open connections and stall. js-libp2p's connection manager defaults to 10 s
 * (`inboundUpgradeTimeout`); go-libp2p's upgrader uses 15 s for the whole
 * handshake. We take the tighter of the two.
 */
export const INBOUND_UPGRADE_TIMEOUT = 10_000

/**
 * Time for multistream-select to agree on a protocol for a new stream.
 * go-libp2p and js-libp2p both use 10 s for stream protocol negotiation.
 */
export const PROTOCOL_NEGOTIATION_TIMEOUT = 10_000

/**
 * Inbound streams of one protocol open at once on one connection, when the
 * handler does not say otherwise (js-libp2p's registrar default is 32).
 */
export const DEFAULT_MAX_INBOUND_STREAMS = 32

/**
 * Outbound streams of one protocol open at once on one connection, when the
 * handler does not say otherwise (js-libp2p's registrar default is 64).
 */
export const DEFAULT_MAX_OUTBOUND_STREAMS = 64

/**
 * Protocols one node may register handlers for. A bound on the registrar's map
 * and on the list sent in multistream `ls` / identify (go-libp2p's identify
 * caps the protocol list it accepts at 256 entries... we allow more locally but
 * still bound it).
 */
export const MAX_REGISTERED_PROTOCOLS = 1024

/** Topologies registered per protocol: each is called on every connect, so the count is bounded. */
export const MAX_TOPOLOGIES_PER_PROTOCOL = 256

/**
 * Deadline of one transport dial (connect + upgrade) when the caller gives
 * none. js-libp2p's dialTimeout defaults to 5 s; go-libp2p's swarm uses 15 s
 * for a dial including the upgrade. We allow 10 s so a slow handshake (RSA
 * keys, a loaded peer) still completes.
 */
export const DIAL_TIMEOUT = 10_000

/** Connections open at once before the manager refuses inbound ones and prunes (js-libp2p default: 300). */
export const MAX_CONNECTIONS = 300

/**
 * Inbound connections still upgrading at once; more are refused before any
 * handshake work (js-libp2p's maxIncomingPendingConnections default is 10).
 */
export const MAX_INCOMING_PENDING_CONNECTIONS = 10

/**
 * Inbound connections one host (IP) may open per second before it is refused
 * (js-libp2p's inboundConnectionThreshold is 5 per second per host).
 */
export const INBOUND_CONNECTION_THRESHOLD = 5

/** Hosts whose inbound rate is tracked at once; the oldest entries are dropped past it. */
export const MAX_TRACKED_INBOUND_HOSTS = 10_000

/** Dials in flight at once across all peers (js-libp2p's maxParallelDials default is 100). */
export const MAX_PARALLEL_DIALS = 100

/** Dials waiting for a slot at once; more are refused with LimitExceededError. */
export const MAX_DIAL_QUEUE_LENGTH = 500

/** Addresses of one peer tried per dial (js-libp2p's maxPeerAddrsToDial default is 25). */
export const MAX_PEER_ADDRS_TO_DIAL = 25

/**
 * Delay before trying the next address of a peer while earlier attempts are
 * still running (happy eyeballs, RFC 8305 recommends 250 ms; go-libp2p's swarm
 * staggers by 250 ms too).
 */
export const DIAL_STAGGER = 250

/**
 * How long a peer whose every address failed is not dialled again, doubling
 * per consecutive failure up to {@link MAX_DIAL_BACKOFF} (go-libp2p's swarm
 * backs off 5 s base, 5 min max).
 */
export const DIAL_BACKOFF = 5_000

/** The longest dial backoff. */
export const MAX_DIAL_BACKOFF = 300_000

/** Peers in dial backoff remembered at once; the oldest are forgotten past it. */
export const MAX_BACKOFF_ENTRIES = 10_000

/** Observed addresses (reported by peers through identify) remembered at once; the oldest unconfirmed go first. */
export const MAX_OBSERVED_ADDRS = 32

/** How long a confirmed observed address is advertised before it needs confirming again (js-libp2p uses 2 h for verified addresses... we use 1 h). */
export const OBSERVED_ADDR_TTL = 60 * 60 * 1000

/** DNS and public address mappings kept at once. */
export const MAX_ADDRESS_MAPPINGS = 64

/**
 * Time a graceful connection close (muxer go-away, then the secured channel
 * and the raw connection half-closing) may take before the connection is
 * aborted instead. js-libp2p's connection close timeout is 1 s; go-libp2p
 * resets after 5 s. A remote that never answers cannot hold our resources.
 */
export const CONNECTION_CLOSE_TIMEOUT = 5_000

/** Redial attempts for a disconnected keep-alive peer before `peer:reconnect-failure` (js-libp2p: 5). */
export const RECONNECT_RETRIES = 5

/** Delay before the first redial of a keep-alive peer, ms (js-libp2p: 1 s). */
export const RECONNECT_RETRY_INTERVAL = 1_000

/** Each further redial waits this many times longer (js-libp2p: 2). */
export const RECONNECT_BACKOFF_FACTOR = 2

/** Keep-alive peers being redialled at once; more wait (js-libp2p: 5). */
export const MAX_PARALLEL_RECONNECTS = 5

/**
 * Share of the machine's memory (`os.totalmem()`) the resource manager lets
 * the node reserve for peer traffic. go-libp2p's rcmgr gives the system scope
 * 1/8 of the machine's memory by default (`ScalingLimitConfig.AutoScale`).
 */
export const RESOURCE_MEMORY_FRACTION = 1 / 8

/** The least memory budget, whatever the machine (go-libp2p's base system memory limit is 128 MiB). */
export const MIN_RESOURCE_MEMORY = 128 * 1024 * 1024

/**
 * The largest memory budget: past 4 GiB other limits (connections, streams)
 * bind first, and one process should not plan to hold more peer data.
 */
export const MAX_RESOURCE_MEMORY = 4 * 1024 * 1024 * 1024

/** Share of the budget the transient scope (upgrading connections) may hold: they are unauthenticated. */
export const TRANSIENT_MEMORY_SHARE = 1 / 16

/** Share of the budget one peer may hold (capped at 64 MiB): no single peer takes more than a sliver. */
export const PEER_MEMORY_SHARE = 1 / 32

/** Share of the budget one protocol may hold. */
export const PROTOCOL_MEMORY_SHARE = 1 / 4

/** Share of the budget one service may hold. */
export const SERVICE_MEMORY_SHARE = 1 / 4

/** Service scopes at most (service names are local, so this is a guard against misuse, not peers). */
export const MAX_SERVICE_SCOPES = 256

/**
 * Peer ids parsed from `/p2p/` multiaddr components kept for reuse (a dial parses the same string in the
 * connection manager, the dialer and the upgrader; parsing an Ed25519 id builds its public key). Local memory
 * only: a few hundred small objects.
 */
export const PEER_ID_CACHE_SIZE = 256
