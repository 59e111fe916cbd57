/**
 * Names, defaults and limits of the memory transport. There is no libp2p
 * spec for it: `/memory/<name>` is the in-process address of the multiaddr
 * protocol table (multiformats/multiaddr protocols.csv: code 777, `memory`,
 * a variable-length name), used by js-libp2p's memory transport too.
 */

/** The multiaddr protocol code of `/memory` (multiformats/multiaddr protocols.csv). */
export const CODE_MEMORY = 777

/** The multiaddr protocol code of `/p2p` (multiformats/multiaddr protocols.csv). */
export const CODE_P2P = 421

/**
 * Connections one listener holds open at once; a dial past it fails with
 * LimitExceededError. Each connection costs two message streams and their
 * buffers, so a runaway test loop hits this instead of exhausting memory.
 */
export const MAX_CONNECTIONS_PER_LISTENER = 1024

/**
 * Bytes one direction of a connection carries in flight (sent, not yet
 * delivered) before the sender's `send()` returns false. 64 KiB holds one
 * whole noise transport message (noise/README.md: a Noise message "has a
 * maximum length of 65535 bytes").
 */
export const MAX_IN_FLIGHT_BYTES = 65_536

/**
 * Unread bytes a connection holds before it aborts with StreamBufferError.
 * The sender is paused long before (at the read high-water mark); only a
 * consumer that stopped reading and a peer that kept sending reach it.
 */
export const MAX_READ_BUFFER_LENGTH = 4 * 1024 * 1024

/** Simulated one-way latency in ms, applied to the dial and to every delivery. Off by default. */
export const DEFAULT_LATENCY = 0
