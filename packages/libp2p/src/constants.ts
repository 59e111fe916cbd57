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
