/**
 * Protocol constants of `/ipfs/ping/1.0.0`. Each cites the line of the spec
 * (libp2p/specs `ping/ping.md`, r0 2022-11-04) or the implementation it
 * follows.
 */

/** ping.md: "The protocol ID is `/ipfs/ping/1.0.0`." */
export const PROTOCOL = '/ipfs/ping/1.0.0'

/** ping.md: "The dialing peer sends a 32-byte payload of random binary data on an open stream." */
export const PING_LENGTH = 32

/**
 * ping.md: "The listening peer SHOULD accept at most two streams per peer
 * since cross-stream behavior is non-linear". Counted per connection, as
 * go-libp2p and js-libp2p do.
 */
export const MAX_INBOUND_STREAMS = 2

/** ping.md: "The dialing peer MUST NOT keep more than one outbound stream for the ping protocol per peer." */
export const MAX_OUTBOUND_STREAMS = 1

/**
 * How long one ping may take (dialer: open the stream, send, read the echo)
 * and how long the listener waits for the next payload on an idle stream.
 * The spec sets no value; go-libp2p uses 10 s per ping read
 * (`p2p/protocol/ping/ping.go`, `pingTimeout`), js-libp2p 10 s per stream.
 */
export const TIMEOUT = 10_000

/**
 * Echo payloads the listener may hold unread (a dialer pipelining pings
 * without reading the echoes). 128 pings; past it the stream is aborted.
 * Not in the spec: a bound of ours so a peer cannot make us buffer.
 */
export const MAX_BUFFERED_BYTES = 128 * PING_LENGTH

/**
 * The peer store metadata key under which the last RTT is recorded, as the
 * decimal milliseconds in UTF-8 (js-libp2p records no such key; this one is
 * ours, documented in the README).
 */
export const RTT_METADATA_KEY = 'ping-rtt'

/**
 * After the last echo the dialer half-closes and gives the listener this long
 * to close its side (ping.md: the listener SHOULD then close). The RTT is
 * returned at once; a listener that never closes (rust-libp2p's over mplex)
 * has its stream reset after this grace, or as soon as the next ping to the
 * same peer starts (ping.md: at most one outbound ping stream per peer).
 */
export const CLOSE_GRACE = 5_000
