/**
 * Codes and limits of peer ids.
 *
 * "peer-ids spec" is https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md,
 * "RFC 0001" is https://github.com/libp2p/specs/blob/master/RFC/0001-text-peerid-cid.md.
 */

/**
 * CID codec of a peer id (multicodec table: `libp2p-key`). peer-ids spec,
 * "String representation": CIDs "must use the `libp2p-key` multicodec (0x72)";
 * RFC 0001: "MUST have multicodec set to libp2p-key (0x72)".
 */
export const LIBP2P_KEY_CODE = 0x72

/**
 * CID codec of a URL peer id (multicodec table: `transport-ipfs-gateway-http`),
 * which js-libp2p uses for HTTP routers that have no key. Read and written for
 * compatibility with @libp2p/peer-id; the peer-ids spec does not define it.
 */
export const TRANSPORT_IPFS_GATEWAY_HTTP_CODE = 0x0920

/** Multihash code of the identity "hash" (multicodec table: `identity`). */
export const IDENTITY_CODE = 0x00

/** Multihash code of sha2-256 (multicodec table: `sha2-256`). */
export const SHA2_256_CODE = 0x12

/** Digest length of sha2-256 (FIPS 180-4). */
export const SHA2_256_LENGTH = 32

/**
 * Longest key an identity multihash peer id may inline. peer-ids spec, "Peer
 * Ids": keys that serialize to more than 42 bytes must be hashed with sha256.
 */
export const MAX_INLINE_KEY_LENGTH = 42

/**
 * Longest peer id string we parse. The longest key peer id is a 46-byte CID
 * (identity multihash of a 42-byte key), 75 characters in base32 and 369 in
 * base2, the most verbose multibase; URL peer ids are longer, and we accept
 * URLs of a few hundred bytes. The bound is checked before any decoding, so
 * a peer cannot make us run base58's quadratic decoder on a huge string.
 */
export const MAX_PEER_ID_STRING_LENGTH = 1024
