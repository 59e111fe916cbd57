/**
 * Protocol constants and default limits of mplex. Spec: libp2p/specs
 * `mplex/README.md`; line numbers below refer to that file.
 */

/** The multistream-select protocol id (the spec's title protocol, `/mplex/6.7.0`). */
export const PROTOCOL_ID = '/mplex/6.7.0'

/** Message flags: the low three bits of the header varint (spec lines 93-113). */
export const MessageType = {
  NewStream: 0,
  MessageReceiver: 1,
  MessageInitiator: 2,
  CloseReceiver: 3,
  CloseInitiator: 4,
  ResetReceiver: 5,
  ResetInitiator: 6
} as const
export type MessageType = typeof MessageType[keyof typeof MessageType]

/** The header and the length are unsigned varints of at most 9 bytes (spec line 101). */
export const MAX_VARINT_BYTES = 9

/**
 * The spec allows stream ids up to 2^60-1 (line 101); JavaScript numbers are
 * exact to 2^53-1, so a header past Number.MAX_SAFE_INTEGER (ids past 2^50)
 * is refused as malformed. No implementation allocates ids anywhere near it.
 */
export const MAX_HEADER_VALUE = Number.MAX_SAFE_INTEGER

/** Data is written "up to 1MiB per message" (spec line 136); larger messages are refused. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024

/**
 * Unread bytes one stream may hold. mplex has no flow control (spec lines
 * 59-76, 150-157): past this the stream is reset (or, if configured, the
 * connection closed). rust-libp2p's mplex defaults to a similar per-stream
 * buffer cap; 4 MiB matches our message streams' default read buffer.
 */
export const DEFAULT_MAX_STREAM_BUFFER_SIZE = 4 * 1024 * 1024

/** Streams the remote may have open at once; NewStream past it is answered with a reset. */
export const DEFAULT_MAX_INBOUND_STREAMS = 1024

/** Streams we may have open at once; createStream() past it throws. */
export const DEFAULT_MAX_OUTBOUND_STREAMS = 1024

/** Inbound streams held while nobody listens for `stream` events; more are reset. */
export const DEFAULT_MAX_EARLY_STREAMS = 64

/**
 * Messages waiting for the connection are handed over in one `send()` once
 * this many bytes are queued, else at the end of the tick (not in the spec;
 * batching small writes).
 */
export const FLUSH_THRESHOLD = 64 * 1024

/**
 * Bytes batched behind a full connection before streams are told to wait;
 * they go out as one write on its `drain` (not in the spec; larger transport
 * writes, and the next batch is ready when the transport empties).
 */
export const DEFAULT_CONNECTION_HIGH_WATER_MARK = 1024 * 1024

/**
 * Resets (for refused streams) queued while the connection is not accepting
 * writes; past it the peer is not reading and the connection is aborted.
 */
export const MAX_CONTROL_BACKLOG = 64 * 1024
