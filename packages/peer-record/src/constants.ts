/**
 * Protocol values and limits of signed envelopes and peer records.
 */

/**
 * The signature domain of peer records: RFC 0003 wraps a `PeerRecord` in a
 * signed envelope (RFC 0002 "Domain Separation") under this string, the one
 * go-libp2p (`PeerRecordEnvelopeDomain`), rust-libp2p and js-libp2p use.
 */
export const PEER_RECORD_DOMAIN = 'libp2p-peer-record'

/**
 * The multicodec code of `libp2p-peer-record` in the multicodec table; RFC 0002
 * "Payload Type Information" makes the envelope's `payload_type` a multicodec.
 */
export const PEER_RECORD_CODE = 0x0301

/**
 * The envelope's `payload_type` bytes for peer records: the code 0x0301 as two
 * big-endian bytes, NOT its unsigned-varint form (0x81 0x06). RFC 0002 calls
 * the field a multicodec, but every deployed implementation signs and compares
 * exactly these two bytes: go-libp2p `PeerRecordEnvelopePayloadType =
 * []byte{0x03, 0x01}`, js-libp2p `ENVELOPE_PAYLOAD_TYPE_PEER_RECORD` and
 * rust-libp2p's `STANDARD_PAYLOAD_TYPE` (its `*_interop` records). The
 * signature covers the payload type, so any other bytes would not interoperate.
 */
export const PEER_RECORD_CODEC = Uint8Array.from([0x03, 0x01])

/**
 * Largest marshalled envelope accepted from anywhere. RFC 0002 sets no limit;
 * go-libp2p's identify caps a whole message that carries a signed record at
 * 8 KiB (`signedIDSize`), so twice that covers every record a real peer sends
 * while keeping a hostile one from costing more than 16 KiB of parsing.
 */
export const MAX_ENVELOPE_SIZE = 16 * 1024

/**
 * Longest domain string accepted for signing or verifying. RFC 0002 asks that
 * domains be "fairly short"; the longest in use is `libp2p-routing-state-record`.
 */
export const MAX_DOMAIN_LENGTH = 256

/**
 * Most addresses a peer record may carry. RFC 0003 sets no limit; a peer lists
 * its public listen addresses, a handful in practice, and go-libp2p's
 * identify trims to fit 8 KiB. 100 leaves room for big multi-homed nodes.
 */
export const MAX_ADDRESSES_PER_RECORD = 100

/**
 * Longest binary multiaddr accepted in a peer record: far above any real
 * address (a /dns/.../tcp/.../tls/sni/.../ws/p2p/... stack is under 300 bytes).
 */
export const MAX_MULTIADDR_LENGTH = 1024
