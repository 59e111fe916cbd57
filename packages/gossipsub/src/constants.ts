/**
 * Gossipsub parameters. Each cites the spec line it follows (libp2p/specs
 * `pubsub/gossipsub/gossipsub-v1.0.md` .. `-v1.3.md`, `pubsub/README.md`) or,
 * where the spec leaves a value open, the implementation whose default we take
 * (go-libp2p-pubsub v0.16 `gossipsub.go`, `score_params.go`).
 */

/** v1.0 "Protocol ID": `/meshsub/1.0.0`. */
export const GOSSIPSUB_V10 = '/meshsub/1.0.0'
/** v1.1 "Protocol ID": `/meshsub/1.1.0` (backoff, PX, scoring). */
export const GOSSIPSUB_V11 = '/meshsub/1.1.0'
/** v1.2 "Protocol Id": `/meshsub/1.2.0` (IDONTWANT). */
export const GOSSIPSUB_V12 = '/meshsub/1.2.0'
/** v1.3 "Protocol ID": `/meshsub/1.3.0` (extensions control message). */
export const GOSSIPSUB_V13 = '/meshsub/1.3.0'
/** pubsub/README.md and floodsub: `/floodsub/1.0.0`; gossipsub routers speak to floodsub peers by flooding. */
export const FLOODSUB = '/floodsub/1.0.0'
/** Offered protocols, the highest first: multistream-select picks the first one both sides know. */
export const PROTOCOLS = [GOSSIPSUB_V13, GOSSIPSUB_V12, GOSSIPSUB_V11, GOSSIPSUB_V10, FLOODSUB]

/** v1.0 "Parameters": `D`, the desired outbound degree of the network, 6. */
export const D = 6
/**
 * v1.0 "Parameters": `D_low`, lower bound for outbound degree. The v1.0 table
 * says 4; go-libp2p-pubsub (`GossipSubDlo`), rust and js use 5, which leaves
 * room for `D_out` = 2 below it ("D_out must be less than D_lo", v1.1); we
 * take 5.
 */
export const D_LO = 5
/** v1.0 "Parameters": `D_high`, upper bound for outbound degree, 12. */
export const D_HI = 12
/** v1.0 "Parameters": `D_lazy`, the outbound degree for gossip emission, defaults to `D`. */
export const D_LAZY = 6
/** v1.1 "Overview of New Parameters": `D_score`, "4 or 5 for a D of 6"; go uses 4. */
export const D_SCORE = 4
/** v1.1 "Overview of New Parameters": `D_out`, "2 for a D of 6". */
export const D_OUT = 2

/** v1.0 "Parameters": `heartbeat_interval`, 1 second. */
export const HEARTBEAT_INTERVAL = 1000
/** go `GossipSubHeartbeatInitialDelay`: the first heartbeat comes 100 ms after start. */
export const HEARTBEAT_INITIAL_DELAY = 100
/** v1.0 "Parameters": `fanout_ttl`, 60 seconds. */
export const FANOUT_TTL = 60_000
/** v1.0 "Parameters": `mcache_len`, 5 history windows. */
export const MCACHE_LEN = 5
/** v1.0 "Parameters": `mcache_gossip`, 3 windows used when emitting gossip. */
export const MCACHE_GOSSIP = 3
/** v1.0 "Parameters": `seen_ttl`, 2 minutes. */
export const SEEN_TTL = 120_000

/** v1.1 "Overview of New Parameters": `PruneBackoff`, 1 minute. */
export const PRUNE_BACKOFF = 60_000
/** v1.1 "Overview of New Parameters": `UnsubscribeBackoff`, 10 seconds. */
export const UNSUBSCRIBE_BACKOFF = 10_000
/**
 * v1.1 "PRUNE Backoff": wait the full backoff "plus some slack to account for
 * the offset until the next heartbeat". go clears expired backoffs with 2
 * heartbeats of slack (`GossipSubBackoffSlack`).
 */
export const BACKOFF_SLACK_HEARTBEATS = 2
/** go: expired backoffs are swept every 15 heartbeats. */
export const BACKOFF_CLEAR_TICKS = 15
/** v1.1 "PRUNE Backoff and Peer Exchange": the number of PX peers should be larger than `D_hi`; go sends 16. */
export const PRUNE_PEERS = 16
/** v1.1 "Overview of New Parameters": `FloodPublish`, true. */
export const FLOOD_PUBLISH = true
/** v1.1 "Overview of New Parameters": `GossipFactor`, 0.25. */
export const GOSSIP_FACTOR = 0.25
/** v1.1 "Opportunistic Grafting": "The recommended period ... is 1 minute" = 60 heartbeats of 1 s. */
export const OPPORTUNISTIC_GRAFT_TICKS = 60
/** v1.1 "Opportunistic Grafting": "the router should graft 2 peers". */
export const OPPORTUNISTIC_GRAFT_PEERS = 2
/** v1.1 "Explicit Peering Agreements": "The recommended period for connectivity checks is 5 minutes" = 300 heartbeats. */
export const DIRECT_CONNECT_TICKS = 300
/** go `GossipSubConnectionTimeout`: PX and direct-peer dials give up after 30 s. */
export const CONNECT_TIMEOUT = 30_000
/** go `GossipSubMaxPendingConnections`: at most 128 PX dials queued. */
export const MAX_PENDING_CONNECTIONS = 128

/**
 * v1.1 "Spam Protection Measures": IWANT responses are limited per peer; go
 * `GossipSubGossipRetransmission` = 3 retransmissions of one message to one peer.
 */
export const GOSSIP_RETRANSMISSION = 3
/** v1.1 "Spam Protection Measures": message ids advertised per IHAVE (and asked per heartbeat); go `GossipSubMaxIHaveLength` = 5000. */
export const MAX_IHAVE_LENGTH = 5000
/** v1.1 "Spam Protection Measures": IHAVE messages accepted from one peer per heartbeat; go `GossipSubMaxIHaveMessages` = 10. */
export const MAX_IHAVE_MESSAGES = 10
/** v1.1 "Spam Protection Measures": an IWANT promise must be kept within this time; go `GossipSubIWantFollowupTime` = 3 s. */
export const IWANT_FOLLOWUP_TIME = 3000
/** v1.1 "PRUNE Backoff": a GRAFT this soon after our PRUNE costs an extra P₇ penalty; go `GossipSubGraftFloodThreshold` = 10 s. */
export const GRAFT_FLOOD_THRESHOLD = 10_000

/**
 * v1.2 "Basic scenario": IDONTWANT is for "messages of a larger size"; the
 * threshold is left to implementations. go `GossipSubIDontWantMessageThreshold`
 * = 1024 bytes (of the serialised message).
 */
export const IDONTWANT_MESSAGE_THRESHOLD = 1024
/** v1.2 "Parameters": `max_idontwant_messages` per heartbeat per peer, left "???"; go `GossipSubMaxIDontWantMessages` = 1000 ids. */
export const MAX_IDONTWANT_MESSAGES = 1000
/** go `GossipSubMaxIDontWantLength`: at most 10 IDONTWANT control entries per RPC are read. */
export const MAX_IDONTWANT_LENGTH = 10
/** v1.2: "Old entries ... SHOULD be pruned during heartbeat"; go `GossipSubIDontWantMessageTTL` = 3 heartbeats. */
export const IDONTWANT_TTL_HEARTBEATS = 3

/** extensions.proto: the experimental test extension's field number (in ControlExtensions and in RPC). */
export const TEST_EXTENSION_FIELD = 6492434

/** pubsub/README.md leaves the size open; go `DefaultMaxMessageSize` = 1 MiB per RPC frame. */
export const MAX_RPC_SIZE = 1024 * 1024
/**
 * Bytes of RPC frames queued per peer while its stream waits for drain;
 * past it frames are dropped (go drops RPCs past `peerOutboundQueueSize` = 32
 * queued RPCs; we bound bytes instead).
 */
export const MAX_OUTBOUND_QUEUE_BYTES = 4 * 1024 * 1024
/** Frames held for a peer whose outbound stream is still opening. */
export const MAX_PENDING_FRAMES = 64
/**
 * Messages validated at once (go `defaultValidateQueueSize` = 32 queued per
 * topic, throttled globally); past it new messages are dropped without
 * penalty ("validation throttled").
 */
export const MAX_VALIDATIONS_IN_FLIGHT = 1024
/** Subscriptions per RPC read from a peer; go `SubscriptionFilter` default limit idea, 5000. */
export const MAX_SUBSCRIPTIONS_PER_RPC = 5000
/** Topics one peer may be subscribed to in our view (bounds memory per peer). */
export const MAX_TOPICS_PER_PEER = 5000
/** Control entries of one kind read from one RPC (bounds work per frame). */
export const MAX_CONTROL_ENTRIES = 5000

/** How long an outbound stream open may take. */
export const STREAM_OPEN_TIMEOUT = 10_000
/** Times we reopen a peer's outbound stream that died while the peer stayed connected. */
export const MAX_STREAM_REOPENS = 3
/** Delay before such a reopen. */
export const STREAM_REOPEN_DELAY = 1000

/** The name of gossipsub's scope in the node's resource manager (`serviceScope(name)`), charged for the RPC frames queued for slow peers. */
export const RESOURCE_SERVICE_NAME = 'gossipsub'
