/**
 * Floodsub's protocol id and limits. Spec:
 * https://github.com/libp2p/specs/blob/master/pubsub/README.md (the RPC and
 * message format; floodsub is the "simple flooding pubsub" listed under
 * "Implementations").
 */

/** The floodsub protocol id (go-libp2p-pubsub `FloodSubID`, js `@libp2p/floodsub`). */
export const PROTOCOL = '/floodsub/1.0.0'

/**
 * Received messages being validated at once, across all peers. Past it new
 * messages are dropped (ignored) until validations finish, so a flood of
 * messages with slow topic validators cannot grow memory without bound.
 * go-libp2p-pubsub's validation queue is 32 per topic plus 1024 overall
 * (`defaultValidateQueueSize`); we use the overall figure.
 */
export const MAX_PENDING_VALIDATIONS = 1024

/**
 * Milliseconds a message id stays in the seen cache. The official js
 * floodsub keeps ids 30 s; go-libp2p-pubsub 120 s (`TimeCacheDuration`).
 * Floodsub has no gossip to recover a message later, so the longer, go
 * value is the safer choice against loops in slow networks.
 */
export const SEEN_TTL = 120_000
