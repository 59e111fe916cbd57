/**
 * Protocol constants and limits of `/perf/1.0.0`. Each cites the line of the
 * spec (libp2p/specs `perf/perf.md`, r0 2022-11-16) or says why it is ours.
 */

/** perf.md: "The `/perf/1.0.0` protocol (from here on referred to as simply `perf`)". */
export const PROTOCOL = '/perf/1.0.0'

/**
 * perf.md, client step 2: "Tell the server how many bytes we want the server
 * to send us as a single big-endian uint64 number."
 */
export const HEADER_LENGTH = 8

/** perf.md: "Zero is a valid number, so is the max uint64 value." */
export const MAX_UINT64 = 2n ** 64n - 1n

/**
 * The most bytes the server agrees to send back on one stream: 4 GiB. The
 * spec allows any uint64 (a timer-based download asks for the max and closes
 * early), but also says the protocol "lets clients ask servers to do
 * significant work" (Security Considerations), so a request above this limit
 * is refused: the server resets the stream before sending anything.
 * Configurable (`maxDownloadBytes`, `Infinity` lifts it).
 */
export const MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3

/**
 * How long either side waits for any progress (the stream to open, the
 * header, a chunk of data, the drain of a full send buffer) before it gives up
 * with a TimeoutError. The spec sets no value; this is ours, the same 10 s as
 * the ping timeout of go-libp2p and js-libp2p. A transfer may take as long as
 * it likes while it moves.
 */
export const TIMEOUT = 10_000

/**
 * perf.md (Security Considerations) warns against serving strangers; we
 * accept at most this many concurrent perf streams per connection (ours: a
 * benchmark client needs one, a few allow parallel runs).
 */
export const MAX_INBOUND_STREAMS = 4

/** Outbound perf streams per connection (ours, like the inbound limit). */
export const MAX_OUTBOUND_STREAMS = 4

/**
 * The size of the one buffer both sides send from, over and over. perf.md:
 * "The bytes themselves should be a predetermined arbitrary set of bytes.
 * Zero is fine", so it is zeros and never changes. 64 KiB is a yamux default
 * window's worth and the write size of the js-libp2p perf tool.
 */
export const WRITE_BLOCK_SIZE = 64 * 1024
