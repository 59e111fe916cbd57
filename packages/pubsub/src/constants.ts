/**
 * Every size, count, prefix and timeout of the pubsub base, with where it
 * comes from. Spec: https://github.com/libp2p/specs/blob/master/pubsub/README.md
 */

/**
 * The largest RPC frame we read or write. pubsub/README.md ("The Message"):
 * "The size of the Message should be limited, say to 1 MiB"; go-libp2p-pubsub's
 * `DefaultMaxMessageSize` is 1 MiB for the whole RPC, and we use the same so a
 * frame go accepts is one we accept.
 */
export const MAX_RPC_SIZE = 1024 * 1024

/**
 * The prefix of the bytes a message signature covers. pubsub/README.md
 * ("Message Signing"): "The protobuf blob is prefixed by the string
 * `libp2p-pubsub:` before signing."
 */
export const SIGN_PREFIX = 'libp2p-pubsub:'

/** The UTF-8 bytes of {@link SIGN_PREFIX}. */
export const SIGN_PREFIX_BYTES = new TextEncoder().encode(SIGN_PREFIX)

/**
 * Bytes of a sequence number. pubsub/README.md ("The Message"): "The `seqno`
 * field (optional) is a 64-bit big-endian uint".
 */
export const SEQNO_LENGTH = 8

/**
 * How long a message id stays in the seen cache, in milliseconds.
 * go-libp2p-pubsub's `TimeCacheDuration` is 120 s; the gossipsub v1.0 spec
 * ("Parameters", `seen_ttl`) gives 2 minutes as its reasonable default.
 */
export const SEEN_TTL = 120_000

/**
 * The most message ids the seen cache holds; past it the oldest entries go
 * first even if their TTL has not run out. At 1 000 messages/s for the
 * 120 s TTL the cache needs 120 000 entries; 250 000 leaves room while
 * bounding memory (ids are small).
 */
export const MAX_SEEN_CACHE_SIZE = 250_000

/**
 * Decode limits per RPC. The 1 MiB frame bounds bytes but not objects:
 * protobuf packs a repeated entry into as little as 2 bytes, so without a
 * count limit one frame could become half a million objects. These match
 * go-libp2p-pubsub's behaviour where it has a number (`GossipSubMaxIHaveLength`
 * = 5000 message ids per IHAVE) and are generous elsewhere; routers pass
 * tighter ones.
 */
export const MAX_SUBSCRIPTIONS_PER_RPC = 5000
/** Messages (`publish` entries) per RPC. */
export const MAX_MESSAGES_PER_RPC = 5000
/** Control entries of each kind (IHAVE, IWANT, GRAFT, PRUNE, IDONTWANT) per RPC. */
export const MAX_CONTROL_ENTRIES_PER_RPC = 5000
/** Message ids across all IHAVE entries of one RPC (go `GossipSubMaxIHaveLength`). */
export const MAX_IHAVE_MESSAGE_IDS_PER_RPC = 5000
/** Message ids across all IWANT entries of one RPC. */
export const MAX_IWANT_MESSAGE_IDS_PER_RPC = 5000
/** Message ids across all IDONTWANT entries of one RPC. */
export const MAX_IDONTWANT_MESSAGE_IDS_PER_RPC = 5000
/**
 * Peer infos (PX) across all PRUNE entries of one RPC. gossipsub-v1.1.md
 * ("Peer Exchange") suggests `PrunePeers` = 16 per PRUNE; we accept a
 * little more from others.
 */
export const MAX_PEER_INFOS_PER_RPC = 100

/**
 * Bytes of RPC frames queued for one peer while its stream is not writable.
 * go-libp2p-pubsub queues 32 RPCs per peer (`peerOutboundQueueSize`); we
 * bound by bytes instead, 4 MiB (four max-size RPCs).
 */
export const MAX_OUTBOUND_QUEUE_BYTES = 4 * 1024 * 1024

/**
 * Unread bytes buffered from a peer's inbound stream: one max-size frame
 * plus its length prefix and some read-ahead.
 */
export const MAX_INBOUND_BUFFER_BYTES = MAX_RPC_SIZE + 64 * 1024

/**
 * Inbound pubsub streams per connection. pubsub/README.md ("Stream
 * management"): one inbound and one outbound stream per peer; we allow one
 * spare so a peer replacing a broken stream is not refused while the old
 * one is being torn down.
 */
export const MAX_INBOUND_STREAMS = 2

/** Outbound pubsub streams per connection (see {@link MAX_INBOUND_STREAMS}). */
export const MAX_OUTBOUND_STREAMS = 2

/** Milliseconds to open (and negotiate) an outbound pubsub stream. */
export const OPEN_STREAM_TIMEOUT = 10_000

/** Topics one peer may be subscribed to in our view of it; more are ignored. */
export const MAX_TOPICS_PER_PEER = 5000

/** Longest topic name we accept, in bytes (no spec limit; bounds memory per topic). */
export const MAX_TOPIC_LENGTH = 1024
