/**
 * Sizes, limits and identifiers of libp2p keys.
 *
 * "peer-ids spec" below is https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md
 */

/**
 * Keys whose protobuf `PublicKey` encoding is at most this long are inlined in
 * the peer id with the identity multihash; longer ones are hashed with
 * sha2-256. peer-ids spec, "Peer Ids": "keys that serialize to at most 42 bytes
 * must be hashed using the "identity" multihash codec".
 */
export const MAX_INLINE_KEY_LENGTH = 42

/** Multihash code of the identity "hash" (multicodec table: `identity`, 0x00). */
export const IDENTITY_MULTIHASH_CODE = 0x00

/** Multihash code of sha2-256 (multicodec table: `sha2-256`, 0x12). */
export const SHA2_256_MULTIHASH_CODE = 0x12

/**
 * CID codec of a peer id (multicodec table: `libp2p-key`, 0x72). peer-ids spec,
 * "String representation": CIDs "must use the `libp2p-key` multicodec (0x72)".
 */
export const LIBP2P_KEY_CODE = 0x72

/** Ed25519 public key length (RFC 8032 section 5.1.5); peer-ids spec: no extra encoding. */
export const ED25519_PUBLIC_KEY_LENGTH = 32

/** Ed25519 private key seed length (RFC 8032 section 5.1.5). */
export const ED25519_SEED_LENGTH = 32

/** peer-ids spec, "Ed25519": preferred private key form `[private key bytes][public key bytes]`. */
export const ED25519_PRIVATE_KEY_LENGTH = ED25519_SEED_LENGTH + ED25519_PUBLIC_KEY_LENGTH

/** peer-ids spec, "Ed25519": older form `[private key][public key][public key]`, accepted on read. */
export const ED25519_LEGACY_PRIVATE_KEY_LENGTH = ED25519_PRIVATE_KEY_LENGTH + ED25519_PUBLIC_KEY_LENGTH

/** Ed25519 signature length (RFC 8032 section 5.1.6). */
export const ED25519_SIGNATURE_LENGTH = 64

/** secp256k1 compressed public key (SEC 1 section 2.3.3), the "standard Bitcoin EC encoding" of the peer-ids spec. */
export const SECP256K1_PUBLIC_KEY_LENGTH = 33

/** secp256k1 uncompressed public key (SEC 1 section 2.3.3); accepted on read and stored compressed, as go-libp2p does. */
export const SECP256K1_UNCOMPRESSED_PUBLIC_KEY_LENGTH = 65

/** secp256k1 private key: a 32-byte big-endian scalar. */
export const SECP256K1_PRIVATE_KEY_LENGTH = 32

/**
 * Longest DER ECDSA signature over a 256-bit curve: SEQUENCE header (2) and two
 * INTEGERs of at most 33 bytes with their 2-byte headers.
 */
export const MAX_ECDSA_P256_DER_SIGNATURE_LENGTH = 72

/** NIST P-256 private scalar length (SEC 1 section 2.3.7). */
export const P256_PRIVATE_KEY_LENGTH = 32

/** NIST P-256 uncompressed point `04 || X || Y` (SEC 1 section 2.3.3). */
export const P256_UNCOMPRESSED_POINT_LENGTH = 65

/** The curve of the ECDSA keys we accept, as named in a JSON Web Key (RFC 7518 section 6.2.1.1). */
export const P256_JWK_CURVE = 'P-256'

/**
 * Smallest RSA modulus accepted when generating or reading a key. The peer-ids
 * spec names no size; go-libp2p refuses keys under 2048 bits when generating
 * and unmarshalling (core/crypto/rsa_common.go `MinRsaKeyBits`, used in
 * rsa_go.go) and rust-libp2p only verifies with ring's
 * `RSA_PKCS1_2048_8192_SHA256`, so a smaller key could not talk to either.
 */
export const MIN_RSA_KEY_BITS = 2048

/**
 * Largest RSA modulus accepted: go-libp2p `maxRsaKeyBits` (core/crypto/rsa_common.go),
 * ring's 8192-bit verification ceiling in rust-libp2p, and js-libp2p's
 * `MAX_RSA_KEY_SIZE`. Also bounds the work a peer can make us do per signature check.
 */
export const MAX_RSA_KEY_BITS = 8192

/** RSA key size of `generateKeyPair('RSA')` when none is given (js-libp2p and go-libp2p use 2048 too). */
export const DEFAULT_RSA_KEY_BITS = 2048

/**
 * Largest RSA public exponent accepted. go's crypto/x509 refuses exponents that
 * do not fit in a signed 32-bit int; WebCrypto and OpenSSL use 65537.
 */
export const MAX_RSA_PUBLIC_EXPONENT = 2n ** 31n - 1n

/**
 * Upper bound on a protobuf `PublicKey` we will parse. The largest valid key is
 * an 8192-bit RSA key in PKIX DER (about 1.06 KB); the bound leaves room for a
 * 31-bit exponent and refuses anything bigger before any parsing work.
 */
export const MAX_PUBLIC_KEY_PROTOBUF_LENGTH = 1200

/**
 * Upper bound on a protobuf `PrivateKey` we will parse: an 8192-bit PKCS#1 RSA
 * key is about 4.7 KB.
 */
export const MAX_PRIVATE_KEY_PROTOBUF_LENGTH = 5000

/**
 * Ed25519 public key KeyObjects kept for reuse by the node:crypto backend
 * (identity keys of recently seen peers). Each entry is a small native
 * object; 1024 covers a busy node's recent peers at a bounded cost.
 */
export const ED25519_KEY_OBJECT_CACHE_SIZE = 1024
