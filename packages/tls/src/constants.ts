/**
 * Protocol ids, identifiers and limits of the libp2p TLS handshake.
 * Spec: https://github.com/libp2p/specs/blob/master/tls/tls.md
 */

/**
 * tls.md, "Handshake Protocol": "it MUST be identified with the following
 * protocol ID: /tls/1.0.0".
 */
export const PROTOCOL = '/tls/1.0.0'

/**
 * tls.md, "ALPN": '"libp2p" is used as the application protocol for ALPN'.
 * connections/inlined-muxer-negotiation.md, "Multiplexer Negotiation over
 * TLS": 'The "libp2p" protocol code MUST always be the last item in the
 * multiplexer list'; if it is the ALPN result, the muxer is negotiated with
 * multistream-select afterwards.
 */
export const ALPN_LIBP2P = 'libp2p'

/**
 * tls.md, "libp2p Public Key Extension": "a X.509 extension with the Object
 * Identifier 1.3.6.1.4.1.53594.1.1, allocated by IANA to the libp2p project".
 */
export const LIBP2P_PUBLIC_KEY_EXTENSION_OID = '1.3.6.1.4.1.53594.1.1'

/**
 * tls.md, "libp2p Public Key Extension": "The peer signs the concatenation of
 * the string `libp2p-tls-handshake:` and the encoded public key".
 */
export const SIGNATURE_PREFIX = 'libp2p-tls-handshake:'

/**
 * tls.md, "Handshake Protocol": "The libp2p handshake uses TLS 1.3 (and
 * higher). Endpoints MUST NOT negotiate lower TLS versions." Node's TLS has no
 * version above 1.3, so both bounds are 1.3.
 */
export const TLS_VERSION = 'TLSv1.3'

/**
 * tls.md, "Peer Authentication": "The certificate MUST have NotBefore and
 * NotAfter fields set such that the certificate is valid at the time it is
 * received by the peer". We back-date NotBefore by an hour so a peer whose
 * clock runs behind ours still accepts it (go-libp2p does the same).
 */
export const CERTIFICATE_NOT_BEFORE_SKEW_MS = 60 * 60 * 1000

/**
 * How long our certificates claim to be valid. The spec sets no bound; a
 * certificate is only ever used in a live handshake, so a long window only
 * avoids rejections by peers with wrong clocks. go-libp2p uses 100 years; so
 * do we.
 */
export const CERTIFICATE_VALIDITY_MS = 100 * 365 * 24 * 60 * 60 * 1000

/**
 * tls.md, "Peer Authentication": "Endpoints MAY generate a new key and
 * certificate for every connection attempt, or they MAY reuse the same key
 * and certificate for multiple connections." We reuse one for this long by
 * default (0 makes a fresh one per handshake).
 */
export const DEFAULT_CERTIFICATE_REUSE_MS = 60 * 60 * 1000

/**
 * How long a handshake may take before it fails with HandshakeTimeoutError
 * (besides any `signal` passed to a secure call). Not in the spec; bounds a
 * peer that stalls mid-handshake. Matches our other encrypters.
 */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000

/**
 * The largest certificate we parse, in bytes. Not in the spec; TLS itself
 * caps a Certificate message at 2^24 bytes, far more than a libp2p
 * certificate needs (a few hundred bytes, about 1.5 KiB with an RSA-4096 host
 * key). A bound keeps a hostile peer from making us parse megabytes.
 */
export const MAX_CERTIFICATE_LENGTH = 16 * 1024

/**
 * Certificate extensions we understand and so accept even when marked
 * critical. tls.md, "Peer Authentication": "Endpoints MUST abort the
 * connection attempt if the certificate contains critical extensions that the
 * endpoint does not understand." Besides the libp2p extension these are the
 * RFC 5280 basics that certificate libraries add on their own.
 */
export const UNDERSTOOD_CRITICAL_EXTENSIONS: ReadonlySet<string> = new Set([
  LIBP2P_PUBLIC_KEY_EXTENSION_OID,
  '2.5.29.15', // keyUsage, RFC 5280 4.2.1.3
  '2.5.29.19', // basicConstraints, RFC 5280 4.2.1.9
  '2.5.29.37' // extKeyUsage, RFC 5280 4.2.1.12
])

/**
 * How many of the remote's first bytes we keep to count the certificates in
 * its (encrypted) Certificate message. tls.md "Peer Authentication":
 * "Endpoints MUST abort the connection attempt if more than one certificate
 * is received". A libp2p handshake flight is a few KiB (about 6 KiB with an
 * RSA-4096 host key); a flight that does not finish within this bound is
 * refused.
 */
export const MAX_HANDSHAKE_FLIGHT_LENGTH = 64 * 1024
