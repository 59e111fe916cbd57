/**
 * Defaults of the bootstrap discovery. There is no libp2p spec for a
 * bootstrap list; the first four values are those of js-libp2p's
 * `@libp2p/bootstrap` (`DEFAULT_BOOTSTRAP_TAG_NAME`, `..._TAG_VALUE`,
 * `..._TAG_TTL`, `..._DISCOVERY_TIMEOUT`), so a node configured for one
 * behaves the same with the other. The reconnect values are ours: js-libp2p
 * leaves redialing to the connection manager's auto-dialer.
 */

/** The peer store tag put on every bootstrap peer (js-libp2p: 'bootstrap'). */
export const TAG_NAME = 'bootstrap'

/** The tag's value, which the connection manager weighs when pruning (js-libp2p: 50). */
export const TAG_VALUE = 50

/** Milliseconds after which the tag expires (js-libp2p: 2 minutes). Renewed on every (re)dial. */
export const TAG_TTL = 120_000

/** Milliseconds after the node started before the list is discovered and dialed (js-libp2p: 1 s). */
export const DISCOVERY_DELAY = 1_000

/** Milliseconds before the first redial of a bootstrap peer that disconnected or could not be dialed (ours). */
export const RECONNECT_DELAY = 1_000

/** The most milliseconds between redials: the delay doubles per failed attempt up to this (ours). */
export const MAX_RECONNECT_DELAY = 60_000

/** Milliseconds one dial of a bootstrap peer may take before it counts as failed (ours). */
export const DIAL_TIMEOUT = 10_000

/** The most entries the list may have (ours: a bound on the timers and dials one list can make). */
export const MAX_LIST_LENGTH = 1_000
