/**
 * The protocol id negotiated with multistream-select.
 *
 * plaintext/README.md, "Protocol Id and Version History": "The plaintext
 * protocol described in this document has the protocol id of `/plaintext/2.0.0`."
 */
export const PROTOCOL = '/plaintext/2.0.0'

/**
 * The largest `Exchange` message we read, in bytes. The spec sets no limit
 * (plaintext/README.md, "Message Framing": messages are varint length
 * prefixed); the largest key libp2p allows is RSA 8192 (peer-ids.md, "RSA":
 * implementations "SHOULD" refuse keys over 8192 bits), whose PKIX DER form
 * is about 1.1 KiB, plus a 34-byte sha256 multihash id and protobuf tags.
 * 4 KiB leaves room and refuses anything else before buffering it.
 */
export const DEFAULT_MAX_EXCHANGE_LENGTH = 4096

/**
 * How long the exchange may take before it fails with a TimeoutError, in ms.
 * plaintext/README.md, "Exchange": "Should a verification or timeout error
 * occur, the connection MUST be terminated abruptly." The spec leaves the
 * value to implementations; 10 s matches the handshake timeouts of the other
 * encrypters (noise, TLS) in ts-libp2p.
 */
export const DEFAULT_HANDSHAKE_TIMEOUT = 10_000
