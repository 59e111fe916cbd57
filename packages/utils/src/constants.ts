/**
 * Defaults and limits of the stream helpers. Nothing here is negotiated on the
 * wire; each value is a local bound with the reason for its size.
 */

/**
 * Unread bytes a message stream holds before it aborts with a
 * StreamBufferError. 4 MiB is the js-libp2p default (its
 * AbstractMessageStream), so a peer that behaves with them behaves with us; it
 * is also the largest frame `it-length-prefixed` accepts by default.
 */
export const DEFAULT_MAX_READ_BUFFER_LENGTH = 4 * 1024 * 1024

/**
 * Unsent bytes a message stream holds before `send()` refuses more with a
 * StreamBufferError. Only a writer that ignores `send() === false` gets here;
 * without a bound it would grow memory for as long as the remote stalls.
 */
export const DEFAULT_MAX_WRITE_BUFFER_LENGTH = 4 * 1024 * 1024

/**
 * Unread bytes above which a message stream asks its source to stop
 * (`sendPause()`: a socket stops reading, a muxer withholds window credit),
 * and below which it asks it to start again. 256 KiB is the yamux initial
 * stream window (yamux/README.md: "each stream with a 256KiB window size"), so one
 * window of data fits before the source is told to stop.
 */
export const DEFAULT_READ_HIGH_WATER_MARK = 256 * 1024

/**
 * Unsent bytes a message stream may hold after the underlying resource
 * accepted what it could before `send()` returns false. 0: any byte the
 * resource did not take makes the writer wait for `drain`, which keeps the
 * buffering where the flow control is (the socket, the muxer window).
 */
export const DEFAULT_WRITE_HIGH_WATER_MARK = 0

/**
 * Milliseconds without traffic before a message stream is closed; 0 disables
 * it. Off by default: raw connections and muxed streams set their own (a
 * connection manager, not the byte layer, decides when idle is too idle).
 */
export const DEFAULT_INACTIVITY_TIMEOUT = 0

/**
 * Largest frame `lpStream` reads unless told otherwise: 4 MiB, the default of
 * `it-length-prefixed` and of the js-libp2p protocol streams built on it.
 */
export const DEFAULT_MAX_DATA_LENGTH = 4 * 1024 * 1024

/**
 * The longest unsigned varint accepted as a length prefix. The multiformats
 * unsigned-varint spec (referenced by libp2p/specs connections/README.md,
 * "the rules of the multiformats unsigned varint spec") caps varints at 9
 * bytes (63 bits); lpStream further limits it to what `maxDataLength` needs.
 */
export const MAX_VARINT_LENGTH = 9

/**
 * Bytes `byteStream` keeps read-ahead before it aborts the stream with a
 * StreamBufferError (it only reads ahead within one `read()` call, so this
 * bounds a single oversized chunk rather than a slow reader).
 */
export const DEFAULT_MAX_BUFFER_SIZE = 4 * 1024 * 1024

/**
 * Bytes an in-memory link carries in flight before its sender is told it is
 * full. 64 KiB, the largest noise transport message (noise/README.md: a Noise message
 * "has a maximum length of 65535 bytes"), so a whole encrypted frame
 * always fits.
 */
export const DEFAULT_LINK_MAX_IN_FLIGHT_BYTES = 65_536

/** The namespace prefix of every ts-libp2p logger (`DEBUG=ts-libp2p:*`). */
export const LOG_PREFIX = 'ts-libp2p'

/**
 * Step in which a muxer reserves (and returns) the memory its streams'
 * unread bytes take in a resource manager's scope: one reservation per 64 KiB
 * buffered instead of one per frame (a yamux data frame is at most 16 KiB by
 * default, yamux/README.md), and at most 64 KiB over-counted per stream.
 */
export const MUXER_MEMORY_CHUNK = 64 * 1024

/**
 * Step in which a message stream (an encrypter's connection, a muxed stream's
 * write buffer) or a muxer's outbound batch reserves the bytes it holds in a
 * resource manager's memory scope: a reservation only when the held bytes
 * cross a 64 KiB boundary, not per write or frame, so at most two steps are
 * over-counted per holder (see {@link MemoryReservation}).
 */
export const BUFFER_MEMORY_STEP = 64 * 1024
