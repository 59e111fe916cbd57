/**
 * Protocol constants and default limits of yamux. Spec: libp2p/specs
 * `yamux/README.md` (a verbatim copy of hashicorp's yamux spec.md); line
 * numbers below refer to that file.
 */

/** The multistream-select protocol id (spec line 30). */
export const PROTOCOL_ID = '/yamux/1.0.0'

/** The only protocol version (spec lines 47-50: "always set to 0"). */
export const YAMUX_VERSION = 0

/** Every frame starts with a 12-byte header: version 8, type 8, flags 16, stream id 32, length 32 bits (spec lines 37-43). */
export const HEADER_LENGTH = 12

/** Frame types (spec lines 57-65). */
export const FrameType = {
  Data: 0,
  WindowUpdate: 1,
  Ping: 2,
  GoAway: 3
} as const
export type FrameType = typeof FrameType[keyof typeof FrameType]

/** Frame flags (spec lines 72-84). */
export const Flag = {
  SYN: 1,
  ACK: 2,
  FIN: 4,
  RST: 8
} as const

/** Go-away error codes carried in the length field (spec lines 149-151). */
export const GoAwayCode = {
  NormalTermination: 0,
  ProtocolError: 1,
  InternalError: 2
} as const
export type GoAwayCode = typeof GoAwayCode[keyof typeof GoAwayCode]

/** Stream id 0 is the session itself; Ping and Go Away use it (spec lines 91-93). */
export const SESSION_STREAM_ID = 0

/** Every stream starts with a 256 KiB window (spec line 135). */
export const INITIAL_STREAM_WINDOW = 256 * 1024

/**
 * How far window auto-tuning may grow a stream's receive window. Not in the
 * spec (line 139: "Yamux can be configured to provide a larger limit");
 * go-yamux and rust-yamux both default to 16 MiB.
 */
export const DEFAULT_MAX_STREAM_WINDOW = 16 * 1024 * 1024

/** Window sizes and deltas are 32-bit lengths (spec line 41). */
export const MAX_WINDOW = 0xFFFFFFFF

/**
 * The largest data frame payload we send. Not in the spec; a bound so that one
 * stream with a 16 MiB window cannot hand the connection one 16 MiB write and
 * starve the others (go-yamux writes at most its window per frame, the
 * official js yamux 64 KiB).
 */
export const DEFAULT_MAX_FRAME_PAYLOAD = 256 * 1024

/**
 * Frames waiting for the connection are handed over in one `send()` once
 * this many bytes are queued, else at the end of the current tick: many small
 * writes share one transport write (not in the spec; a performance choice).
 */
export const FLUSH_THRESHOLD = 64 * 1024

/**
 * Streams the remote may have open at once; SYNs past it are answered with
 * RST. Not in the spec; go-yamux's MaxIncomingStreams defaults to 1000 and
 * the official js yamux to 1000. Each stream may buffer up to its window.
 */
export const DEFAULT_MAX_INBOUND_STREAMS = 1024

/** Streams we may have open at once; createStream() past it throws. */
export const DEFAULT_MAX_OUTBOUND_STREAMS = 1024

/**
 * Inbound streams held while nobody listens for `stream` events; more are
 * reset. The spec's "ACK backlog" section (lines 164-169) requires such a
 * buffer to be bounded.
 */
export const DEFAULT_MAX_EARLY_STREAMS = 64

/**
 * A keep-alive ping every 30 s (spec line 62-63: pings "can also be used to
 * heart-beat and do keep-alives over TCP"; go-yamux's KeepAliveInterval and
 * the official js yamux both default to 30 s). An unanswered ping by the next
 * tick ends the connection.
 */
export const DEFAULT_KEEP_ALIVE_INTERVAL = 30_000

/** How long close() waits for the go-away to be flushed before aborting the connection. */
export const DEFAULT_CLOSE_TIMEOUT = 5_000

/**
 * Window auto-tuning: a receive window that was used up within this many RTTs
 * of the previous window update is doubled (toward the maximum). go-yamux
 * uses 4 x RTT (stream.go, sendWindowUpdate), rust-yamux 2 x RTT
 * (connection/stream/flow_control.rs); we follow go.
 */
export const WINDOW_GROWTH_RTT_FACTOR = 4

/**
 * Control frames (window updates, pongs, RSTs) we will queue while the
 * connection is not accepting writes; past it the peer is not reading and the
 * connection is aborted rather than buffering without bound.
 */
export const MAX_CONTROL_BACKLOG = 64 * 1024

/**
 * Bytes batched behind a full connection before streams are told to wait.
 * When the connection's `send()` reports it full, frames collect here (the
 * writers' arrays, not copies) and go out as one write on its `drain`, so the
 * next batch is ready when the transport empties and each write is large.
 * Not in the spec; a performance choice, bounded.
 */
export const DEFAULT_CONNECTION_HIGH_WATER_MARK = 1024 * 1024
