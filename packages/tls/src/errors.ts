/**
 * Errors of the TLS encrypter. Callers match on `.name`, which survives two
 * copies of this package in node_modules. Failures that other encrypters
 * share use the interface package's classes instead: UnexpectedPeerError (a
 * different peer than the one dialled), InvalidCryptoExchangeError (the TLS
 * handshake itself failed: wrong version, garbage, no common ALPN protocol),
 * AbortError (the caller's signal fired).
 */

/**
 * The remote's certificate breaks a rule of tls.md "Peer Authentication":
 * not exactly one certificate, outside its validity period, a bad
 * self-signature, a missing or malformed libp2p Public Key Extension, a bad
 * host-key signature, or an unknown critical extension.
 */
export class InvalidCertificateError extends Error {
  static override name = 'InvalidCertificateError'

  constructor (message = 'Invalid certificate', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidCertificateError'
  }
}

/** The handshake did not finish within the handshake timeout. */
export class HandshakeTimeoutError extends Error {
  static override name = 'HandshakeTimeoutError'

  constructor (message = 'The TLS handshake timed out', options?: ErrorOptions) {
    super(message, options)
    this.name = 'HandshakeTimeoutError'
  }
}
