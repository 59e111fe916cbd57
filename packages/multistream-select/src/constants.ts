/**
 * Protocol ids, sizes, limits and timeouts of multistream-select 1.0.0.
 *
 * Spec: libp2p/specs `connections/README.md`, section "multistream-select"
 * (https://github.com/libp2p/specs/blob/master/connections/README.md#multistream-select),
 * which defers details to multiformats/multistream-select `README.md`
 * (https://github.com/multiformats/multistream-select).
 */

/**
 * The protocol id of multistream-select itself, sent by both sides as the
 * first message ("header").
 *
 * connections/README.md: "multistream-select itself has a protocol id of
 * `/multistream/1.0.0`".
 */
export const PROTOCOL_ID = '/multistream/1.0.0'

/**
 * The reply of a listener that does not support the proposed protocol.
 *
 * connections/README.md: "the Responder will respond with the string `"na"`
 * to indicate that the requested protocol is Not Available".
 */
export const NOT_AVAILABLE = 'na'

/**
 * The request for the list of protocols a listener supports.
 *
 * multistream-select README.md, "Listing": "A list message is simply: ls\n".
 */
export const LIST_PROTOCOLS = 'ls'

/**
 * Every message ends with a newline, counted in its length prefix.
 *
 * connections/README.md: "they are always followed by a `\n` newline
 * character. Each message is also prefixed with its length in bytes
 * (including the newline)".
 */
export const NEWLINE = 0x0a

/**
 * The largest message (length prefix value, newline included) we accept or
 * send during negotiation.
 *
 * The spec sets no limit; go-multistream refuses a length over 1024
 * (`lpReadBuf` in multistream.go: `if length > 1024 { return nil, ErrTooLarge }`)
 * and js-libp2p's `MAX_PROTOCOL_LENGTH = 1024` conforms to go. Using the same
 * value means any protocol id we send is accepted by go and js listeners.
 */
export const MAX_MESSAGE_LENGTH = 1024

/**
 * The largest `ls` response (outer length prefix value) a dialer accepts.
 *
 * An `ls` response is one message holding every protocol as its own
 * length-prefixed line (multistream-select README.md, "ls example in detail"),
 * so it may exceed MAX_MESSAGE_LENGTH. rust-libp2p's multistream-select reads
 * frames with at most a 2-byte varint length (`MAX_LEN_BYTES = 2` in
 * length_delimited.rs), i.e. at most 16383 bytes; we use the same bound, and a
 * listener never sends a larger one.
 */
export const MAX_LS_RESPONSE_LENGTH = 16383

/**
 * The most protocols an `ls` response may list.
 *
 * rust-libp2p multistream-select protocol.rs: `MAX_PROTOCOLS = 1000`.
 */
export const MAX_LS_PROTOCOLS = 1000

/**
 * How many messages a listener answers on one stream before giving up: the
 * header, `ls` requests and protocol proposals together.
 *
 * The spec lets a dialer retry after `na` ("they can either try again with a
 * different protocol id or close the channel") without a limit; go, rust and
 * js set none either. A dialer tries its own short list (usually 1 to 5
 * entries), so a peer that sends more than this is flooding us, and each of
 * its messages costs a write.
 */
export const MAX_LISTENER_MESSAGES = 64

/**
 * How many protocols a dialer may propose on one stream, to match what a
 * listener of ours tolerates (MAX_LISTENER_MESSAGES minus the header and an
 * `ls`).
 */
export const MAX_DIALER_PROTOCOLS = MAX_LISTENER_MESSAGES - 2

/**
 * Default time limit for one negotiation, in ms.
 *
 * The spec sets none. js-libp2p uses `PROTOCOL_NEGOTIATION_TIMEOUT = 10_000`
 * (connection-manager/constants.defaults.ts) and go-libp2p's basic host
 * `DefaultNegotiationTimeout = 10 * time.Second`; we match them.
 */
export const NEGOTIATION_TIMEOUT = 10_000

/**
 * The largest varint length prefix we read, in bytes. 2 bytes hold values up
 * to 16383, enough for MAX_LS_RESPONSE_LENGTH and MAX_MESSAGE_LENGTH; a third
 * byte can only announce something larger. The multiformats unsigned-varint
 * spec requires "integers are minimally encoded", so padding is refused too.
 */
export const MAX_VARINT_BYTES = 2
