/**
 * Constants of noise-libp2p. Spec: https://github.com/libp2p/specs/blob/master/noise/README.md
 * (cited below as noise/README.md) and the Noise Protocol Framework, revision 34
 * (https://noiseprotocol.org/noise.html, cited as "Noise spec").
 */

/** noise/README.md, "Negotiation": "noise-libp2p is identified by the protocol ID string `/noise`." */
export const PROTOCOL = '/noise'

/**
 * noise/README.md, "Noise Protocol Name": "the Noise protocol name MUST be:
 * `Noise_XX_25519_ChaChaPoly_SHA256`". It is exactly HASHLEN (32) bytes, so
 * the initial handshake hash is the name itself (Noise spec 5.2, InitializeSymmetric).
 */
export const PROTOCOL_NAME = 'Noise_XX_25519_ChaChaPoly_SHA256'

/**
 * noise/README.md, "Wire Format": "`noise_message_len` ... encoded as a 16-bit
 * big-endian unsigned integer"; the Noise message "has a maximum length of 65535 bytes".
 */
export const FRAME_LENGTH_BYTES = 2

/** noise/README.md, "Wire Format": a Noise message is at most 65535 bytes. */
export const MAX_FRAME_LENGTH = 65535

/**
 * noise/README.md, "Encryption and I/O": a transport message is "an AEAD
 * ciphertext consisting of an encrypted payload plus 16 bytes of authentication
 * data". Noise spec 5.1: ChaChaPoly ciphertext = plaintext + 16-byte tag.
 */
export const TAG_LENGTH = 16

/** The largest plaintext one transport frame carries: 65535 - 16. */
export const MAX_PLAINTEXT_LENGTH = MAX_FRAME_LENGTH - TAG_LENGTH

/** Noise spec 4: DHLEN = 32 for 25519. */
export const DH_LENGTH = 32

/** Noise spec 4: HASHLEN = 32 for SHA256. */
export const HASH_LENGTH = 32

/**
 * noise/README.md, "The libp2p Handshake Payload": "The data to be signed is
 * the UTF-8 string `noise-libp2p-static-key:`, followed by the Noise static
 * public key".
 */
export const SIGNATURE_PREFIX = 'noise-libp2p-static-key:'

/**
 * How long a handshake may take before it fails with a TimeoutError, in ms.
 * The spec sets no value; a stalled peer must not hold a connection open, and
 * 10 s matches the upgrade timeouts of the other libp2p implementations.
 */
export const DEFAULT_HANDSHAKE_TIMEOUT = 10_000

/**
 * The most stream muxer ids we read from a remote's extensions, and the most
 * webtransport certhashes. The spec sets no limit (a handshake message is at
 * most 65535 bytes anyway); a remote listing more is not negotiating in good faith.
 */
export const MAX_EXTENSION_ENTRIES = 64

/** The longest stream muxer id we accept in the extensions, in bytes. */
export const MAX_MUXER_ID_LENGTH = 1024

/**
 * Plaintext bytes a writer may queue on the encrypted stream while the raw
 * connection is full before `send()` returns false. The raw connection
 * reports "full" as soon as one byte waits; if writers stopped there, every
 * write would travel alone, one frame pair per delivery. With room for four
 * full frames, writes made while the link is busy go out together at its next
 * `drain`. Far below the 4 MiB write buffer limit. Not a spec value.
 */
export const WRITE_HIGH_WATER_MARK = 256 * 1024

/**
 * A remainder shorter than this, left after full frames in one write, waits
 * for the end of the microtask to join the next write instead of taking a
 * frame of its own (a 64 KiB write is one full frame plus 17 bytes; each
 * frame costs a cipher setup on both ends). Not a spec value.
 */
export const COALESCE_TAIL_LENGTH = 1024

/**
 * Sealed arrays shorter than this (frame headers, tags, small ciphertexts)
 * are copied together into one array before they go to the raw connection,
 * where a socket would write each array with a system call of its own;
 * longer ones go by reference. Copying 4 KiB costs far less than a write.
 * Not a spec value.
 */
export const MAX_COPIED_PART_LENGTH = 4096

/**
 * The most pieces (subarrays of raw chunks) a frame that spans raw chunks is
 * held in before they are merged into one copy. A frame usually spans two or
 * three socket reads; a remote that sends a 65535-byte frame a byte at a time
 * would otherwise cost an array object per byte. Local memory only, not a
 * spec value.
 */
export const MAX_HELD_FRAME_PIECES = 64

/**
 * Remote identity keys whose parsed form (the PublicKey and its PeerId) is kept, by their protobuf bytes. Local
 * memory only, not a protocol limit: peers reconnect with the same identity, and parsing the key, hashing it into a
 * peer id and encoding that id as a string cost more than the lookup. Every handshake still verifies the
 * signature with the key.
 */
export const REMOTE_IDENTITY_CACHE_SIZE = 64

/** Identity keys longer than this (RSA) are not kept by the cache above; Ed25519, secp256k1 and ECDSA keys are. */
export const MAX_CACHED_IDENTITY_KEY_LENGTH = 128
