/**
 * @packageDocumentation
 *
 * The TLS 1.3 connection encrypter of libp2p
 * (https://github.com/libp2p/specs/blob/master/tls/tls.md), protocol id
 * `/tls/1.0.0`.
 *
 * Each side presents a self-signed X.509 certificate whose key is a fresh
 * ECDSA P-256 key, carrying the libp2p Public Key Extension: the host's
 * public key and its signature over the certificate key. The remote's
 * certificate is checked (exactly one, valid now, self-signature, extension,
 * host-key signature, expected peer) before the secured connection is
 * returned. Node does not expose the raw certificate list, so the count is
 * taken from the remote's handshake flight, decrypted with the secret
 * node:tls reports through its `keylog` event. ALPN carries the inlined muxer negotiation
 * (https://github.com/libp2p/specs/blob/master/connections/inlined-muxer-negotiation.md):
 * the muxers of `components.upgrader` are offered, then `libp2p`; when one is
 * agreed, the result's `streamMuxer` is set.
 *
 * Runs on Node.js (node:tls); there is no browser build.
 *
 * @example
 *
 * ```ts
 * import { generateKeyPair } from '@ts-libp2p/crypto'
 * import { tls } from '@ts-libp2p/tls'
 * import { defaultLogger } from '@ts-libp2p/utils'
 *
 * const encrypter = tls()({ privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger() })
 * const secured = await encrypter.secureOutbound(rawConnection, { remotePeer })
 * secured.remotePeer // proven by the remote's certificate
 * ```
 */

import { TLS } from './tls.js'
import type { ComponentLogger, ConnectionEncrypter, PrivateKey, Upgrader } from '@ts-libp2p/interface'

/** What the encrypter takes from the node. */
export interface TLSComponents {
  /** Our host key: it signs the certificate key in the libp2p extension. */
  privateKey: PrivateKey
  /** Where the encrypter logs (`ts-libp2p:tls`, scoped per connection). */
  logger: ComponentLogger
  /**
   * The muxers offered in ALPN come from `getStreamMuxers()`, in its order.
   * Without it only `libp2p` is offered and the muxer is negotiated later.
   */
  upgrader?: Pick<Upgrader, 'getStreamMuxers'>
}

/** Options for {@link tls}. */
export interface TLSInit {
  /**
   * Milliseconds a handshake may take before it fails with
   * HandshakeTimeoutError and the connection is aborted (besides any
   * `signal` passed to a secure call). Default 10 000.
   */
  handshakeTimeout?: number
  /**
   * Milliseconds one certificate (and its key) is reused across handshakes
   * before a new one is made; 0 makes a fresh one per handshake. The spec
   * allows both. Default 3 600 000 (an hour).
   */
  certificateReuse?: number
}

export { PROTOCOL } from './constants.js'
export { InvalidCertificateError, HandshakeTimeoutError } from './errors.js'
export { generateCertificate, verifyCertificate } from './certificate.js'
export type { CertificateAndKey, GenerateCertificateOptions, VerifiedCertificate, VerifyCertificateOptions } from './certificate.js'

/**
 * The TLS connection encrypter factory: `tls(init)(components)`.
 */
export function tls (init: TLSInit = {}): (components: TLSComponents) => ConnectionEncrypter {
  return (components) => new TLS(components, init)
}
