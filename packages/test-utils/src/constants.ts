/**
 * Defaults of the in-memory pairs. They model a small network link: enough
 * in flight to keep a bulk transfer moving, little enough that backpressure
 * is exercised by ordinary tests.
 */

/**
 * Bytes one end may have in flight (sent, not yet delivered to the other
 * end) before its `sendData()` reports the link full and `send()` returns
 * false. 64 KiB, the largest noise transport message (noise/README.md: a Noise message
 * "has a maximum length of 65535 bytes"), so a whole encrypted
 * frame always fits.
 */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 65_536

/** Milliseconds each delivery waits; 0 delivers on the next macrotask. */
export const DEFAULT_DELAY = 0
