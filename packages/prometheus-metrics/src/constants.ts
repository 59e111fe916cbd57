/**
 * Limits of the metrics component. Metric names follow the ecosystem's
 * `libp2p_<area>_<thing>` convention (STYLE.md).
 */

/**
 * Distinct protocols that get their own label in the per-protocol byte
 * counters; streams of further protocols are counted under `other`. Protocol
 * ids come from remote peers (inbound negotiation only succeeds for ours, but
 * a bound keeps label cardinality, and so memory, fixed whatever happens).
 */
export const MAX_PROTOCOL_LABELS = 128

/** The label used once {@link MAX_PROTOCOL_LABELS} is reached. */
export const OTHER_PROTOCOL_LABEL = 'other'

/** The default bucket boundaries (seconds) of histograms that do not give their own. */
export const DEFAULT_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]
