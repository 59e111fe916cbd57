/**
 * Protocol ids, limits and timeouts of identify and identify/push. Each cites
 * the spec (libp2p/specs `identify/README.md`, r1 2021-08-09, and
 * `RFC/0003-routing-records.md`) or, where the spec is silent, the
 * implementation whose value we follow.
 */

/** identify/README.md: "The `identify` protocol has the protocol id `/ipfs/id/1.0.0`". */
export const IDENTIFY_PROTOCOL = '/ipfs/id/1.0.0'

/** identify/README.md: "The `identify/push` protocol has the protocol id `/ipfs/id/push/1.0.0`". */
export const IDENTIFY_PUSH_PROTOCOL = '/ipfs/id/push/1.0.0'

/**
 * What we send as `protocolVersion` unless configured ("identifies the family
 * of protocols used by the peer"). go-libp2p's `DefaultProtocolVersion` and
 * js-libp2p's default are both `ipfs/0.1.0`.
 */
export const PROTOCOL_VERSION = 'ipfs/0.1.0'

/**
 * The largest identify message (one length-prefixed frame) we read. The spec
 * sets none; go-libp2p reads at most 8 KiB per message (`signedIDSize`,
 * `p2p/protocol/identify/id.go`), and js-libp2p the same
 * (`MAX_IDENTIFY_MESSAGE_SIZE`). A larger frame fails with
 * MessageTooLargeError before its body is read.
 */
export const MAX_MESSAGE_SIZE = 8 * 1024

/**
 * Frames read from one identify or push stream, merged as protobuf merges
 * (go-libp2p may send the signed peer record in a second frame when the
 * message is large: `maxMessages = 10` in `id.go`; js-libp2p
 * `MAX_IDENTIFY_MESSAGES` = 10). More fail with MessageTooLargeError.
 */
export const MAX_MESSAGES = 10

/**
 * How long one identify (open, read, store) or one push may take, and how
 * long a listener may spend answering. js-libp2p uses 5 s; go-libp2p 30 s
 * (`Timeout`, `id.go`). The spec sets none.
 */
export const TIMEOUT = 5_000

/**
 * Identify and push streams per connection, each way. The spec sets none; one
 * is all the protocol needs (one request, one response) and what js-libp2p
 * allows (`maxInboundStreams: 1`, `maxOutboundStreams: 1`).
 */
export const MAX_INBOUND_STREAMS = 1
export const MAX_OUTBOUND_STREAMS = 1

/**
 * At most one push per this window: the first change is pushed at once, later
 * changes within the window together at its end (js-libp2p debounces pushes
 * by the same 1 s, `PUSH_DEBOUNCE_MS`). The spec sets no timing.
 */
export const PUSH_DEBOUNCE = 1_000

/** Pushes in flight at once (go-libp2p `maxPushConcurrency` = 32 in `id.go`; js-libp2p the same). */
export const MAX_PUSH_CONCURRENCY = 32

/**
 * Distinct peers that must report the same observed address before we
 * confirm it (so it is advertised). go-libp2p's `ActivationThresh` = 4
 * (`p2p/protocol/identify/obsaddr.go`); the spec leaves inference to the
 * initiator ("can use this address to infer the existence of a NAT").
 */
export const OBSERVED_ADDR_ACTIVATION_THRESHOLD = 4

/** Candidate observed addresses tracked while they gather reports (ours: bounds peer-supplied state). */
export const MAX_TRACKED_OBSERVED_ADDRS = 16

/**
 * Listen addresses and protocols kept from one identify message. Ours, to
 * stay within the node's peer store limits (256 addresses and 256 protocols
 * per peer) whatever a peer sends; RFC 0003 peer records carry at most 100
 * addresses in our peer-record package.
 */
export const MAX_LISTEN_ADDRS = 100
export const MAX_PROTOCOLS = 256

/** Peer store metadata keys of the remote's versions, as js-libp2p names them. */
export const AGENT_VERSION_KEY = 'AgentVersion'
export const PROTOCOL_VERSION_KEY = 'ProtocolVersion'

/**
 * Longest agentVersion / protocolVersion kept in the peer store, in UTF-16
 * code units; longer ones are cut. Ours: within the node's 4 KiB metadata
 * value limit whatever a peer sends.
 */
export const MAX_VERSION_LENGTH = 1024
