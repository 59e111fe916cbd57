/**
 * The primitives Noise_XX_25519_ChaChaPoly_SHA256 needs (Noise spec 4:
 * DH functions, cipher functions, hash functions), behind one interface with
 * two backends: `node` (node:crypto, the fast path) and `portable`
 * (@noble/*, runs anywhere). Peers on different backends interoperate: the
 * wire format does not depend on the choice.
 */

/** An X25519 key pair. Backends may attach their own handle to it. */
export interface X25519KeyPair {
  /** The 32-byte public key (RFC 7748 section 5 encoding). */
  publicKey: Uint8Array
  /** The 32-byte secret scalar. */
  privateKey: Uint8Array
}

/**
 * A ChaCha20-Poly1305 key (Noise spec 5.1 CipherState `k`), ready for many
 * messages. Input may be split into parts so frames are encrypted from the
 * writer's own arrays without a copy.
 */
export interface Aead {
  /**
   * Encrypts `plaintext` (its parts in order) with `nonce` (12 bytes) and
   * `ad`; pushes the ciphertext parts and then the 16-byte tag onto `out`.
   */
  seal(nonce: Uint8Array, ad: Uint8Array | undefined, plaintext: readonly Uint8Array[], out: Uint8Array[]): void
  /**
   * Decrypts `ciphertext` (parts in order, tag excluded) authenticated by
   * `tag`; pushes the plaintext parts onto `out` only when the tag is valid.
   * Throws if it is not.
   */
  open(nonce: Uint8Array, ad: Uint8Array | undefined, ciphertext: readonly Uint8Array[], tag: Uint8Array, out: Uint8Array[]): void
}

/** One backend of the primitives. */
export interface NoiseCrypto {
  /** 'node' or 'portable'. */
  readonly name: string
  /** SHA-256 of the concatenated parts. */
  sha256(...parts: Uint8Array[]): Uint8Array
  /**
   * Noise spec 4.3 HKDF(chaining_key, input_key_material, 3): the three
   * 32-byte outputs (callers wanting two ignore the third). Equal to RFC 5869
   * HKDF-SHA256 with salt = chaining key and empty info.
   */
  hkdf(chainingKey: Uint8Array, inputKeyMaterial: Uint8Array): [Uint8Array, Uint8Array, Uint8Array]
  /** A fresh random X25519 key pair. */
  generateX25519KeyPair(): X25519KeyPair
  /** The key pair of a given 32-byte secret (fixed keys in tests, a configured static key). */
  x25519KeyPairFromSecret(secret: Uint8Array): X25519KeyPair
  /** X25519(our secret, their public key). Throws for a low-order public key (all-zero output). */
  dh(keyPair: X25519KeyPair, publicKey: Uint8Array): Uint8Array
  /** A ChaCha20-Poly1305 instance for a 32-byte key. */
  aead(key: Uint8Array): Aead
}
