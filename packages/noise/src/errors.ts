/**
 * Errors of the noise encrypter. Handshake failures use the shared
 * `InvalidCryptoExchangeError`, `UnexpectedPeerError` and `TimeoutError` of
 * `@ts-libp2p/interface`; these cover the transport phase.
 */

/**
 * A transport message failed authentication (tampered, replayed, reordered
 * or truncated ciphertext), or a frame is too short to hold the tag. The
 * connection is aborted with it.
 */
export class DecryptionError extends Error {
  static override name = 'DecryptionError'
  constructor (message = 'A noise transport message failed to decrypt') {
    super(message)
    this.name = 'DecryptionError'
  }
}

/**
 * A cipher state used its last nonce (2^64 - 2). noise/README.md, "Encryption
 * and I/O": peers that exchange "more than `2^64 - 1` messages ... MUST
 * terminate the connection to avoid reusing nonces".
 */
export class NonceExhaustedError extends Error {
  static override name = 'NonceExhaustedError'
  constructor (message = 'The noise cipher state has used every nonce') {
    super(message)
    this.name = 'NonceExhaustedError'
  }
}

/** The remote's bytes ended in the middle of a noise frame. */
export class TruncatedFrameError extends Error {
  static override name = 'TruncatedFrameError'
  constructor (message = 'The connection ended inside a noise frame') {
    super(message)
    this.name = 'TruncatedFrameError'
  }
}
