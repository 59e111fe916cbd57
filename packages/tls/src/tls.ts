/**
 * The connection encrypter: runs a TLS 1.3 handshake over a raw connection
 * with node:tls, authenticates the remote by its certificate's libp2p Public
 * Key Extension and negotiates the muxer through ALPN.
 */
import { constants } from 'node:crypto'
import { TLSSocket, connect, createSecureContext } from 'node:tls'
import { AbortError, InvalidCryptoExchangeError, serviceCapabilities } from '@ts-libp2p/interface'
import { anySignal } from '@ts-libp2p/utils'
import { generateCertificate, verifyCertificate } from './certificate.js'
import { ALPN_LIBP2P, DEFAULT_CERTIFICATE_REUSE_MS, DEFAULT_HANDSHAKE_TIMEOUT_MS, PROTOCOL, TLS_VERSION } from './constants.js'
import { toDuplex } from './duplex.js'
import { EncryptedStream } from './encrypted-stream.js'
import { HandshakeTimeoutError, InvalidCertificateError } from './errors.js'
import { PeerFlight } from './peer-flight.js'
import type { CertificateAndKey } from './certificate.js'
import type { TLSComponents, TLSInit } from './index.js'
import type { ConnectionEncrypter, Logger, MessageStream, PeerId, SecureConnectionOptions, SecuredConnection, StreamMuxerFactory } from '@ts-libp2p/interface'
import type { PeerCertificate, SecureContext } from 'node:tls'

interface Credentials extends CertificateAndKey {
  context: SecureContext
}

/** The muxer ids we offer or accept in ALPN, in our order of preference. */
function muxers (components: TLSComponents, options?: SecureConnectionOptions): Map<string, StreamMuxerFactory> {
  if (options?.skipStreamMuxerNegotiation === true || components.upgrader == null) {
    return new Map()
  }
  return components.upgrader.getStreamMuxers()
}

/**
 * Counts the certificates Node shows of the remote's chain: its
 * `issuerCertificate` links (a self-signed certificate links to itself).
 * Unrelated extra certificates are not linked; PeerFlight counts those.
 */
function chainLength (cert: PeerCertificate): number {
  const seen = new Set<string>()
  let current: PeerCertificate | undefined = cert
  while (current?.raw != null && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256)
    current = (current as { issuerCertificate?: PeerCertificate }).issuerCertificate
  }
  return seen.size
}

/** Node's TLS failures (wrong version, garbage, no common ALPN) become a typed error. */
function handshakeError (err: any, role: string): Error {
  if (err?.name === 'InvalidCertificateError' || err?.name === 'UnexpectedPeerError' || err?.name === 'HandshakeTimeoutError' || err?.name === 'AbortError' || err?.name === 'InvalidCryptoExchangeError') {
    return err
  }
  const error = new InvalidCryptoExchangeError(`The TLS handshake as ${role} failed: ${err?.code ?? ''} ${err?.message ?? String(err)}`.replace(/ {2}/, ' '))
  ;(error as Error & { cause?: unknown }).cause = err
  return error
}

/** The TLS 1.3 connection encrypter of tls.md. */
export class TLS implements ConnectionEncrypter {
  public readonly protocol = PROTOCOL
  readonly [Symbol.toStringTag] = '@ts-libp2p/tls'
  readonly [serviceCapabilities]: string[] = ['@libp2p/connection-encryption']

  readonly #components: TLSComponents
  readonly #log: Logger
  readonly #handshakeTimeout: number
  readonly #certificateReuse: number
  #credentials?: Promise<Credentials>

  constructor (components: TLSComponents, init: TLSInit = {}) {
    this.#components = components
    this.#log = components.logger.forComponent('tls')
    this.#handshakeTimeout = init.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS
    this.#certificateReuse = init.certificateReuse ?? DEFAULT_CERTIFICATE_REUSE_MS
  }

  async secureInbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection> {
    return this.#secure(connection, true, options)
  }

  async secureOutbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection> {
    return this.#secure(connection, false, options)
  }

  /** Our certificate: reused within the reuse window, else a fresh one. */
  async #getCredentials (options: { signal: AbortSignal }): Promise<Credentials> {
    const cached = this.#credentials
    if (cached != null) {
      try {
        const credentials = await cached
        if (Date.now() - credentials.createdAt < this.#certificateReuse) {
          return credentials
        }
      } catch {
        // a failed generation is retried below
      }
    }
    const fresh = generateCertificate(this.#components.privateKey, options).then(cert => ({
      ...cert,
      context: createSecureContext({
        cert: cert.cert,
        key: cert.key,
        minVersion: TLS_VERSION,
        maxVersion: TLS_VERSION,
        // no session tickets: libp2p never resumes a session (every handshake
        // authenticates the peer by its certificate), and OpenSSL would send
        // two after each server handshake for nothing
        secureOptions: constants.SSL_OP_NO_TICKET
      })
    }))
    if (this.#certificateReuse > 0) {
      this.#credentials = fresh
      // a caller whose signal fired must not leave a rejected cache for others
      fresh.catch(() => {
        if (this.#credentials === fresh) {
          this.#credentials = undefined
        }
      })
    }
    return fresh
  }

  async #secure (connection: MessageStream, isServer: boolean, options?: SecureConnectionOptions): Promise<SecuredConnection> {
    const role = isServer ? 'server' : 'client'
    const log = connection.log?.newScope('tls') ?? this.#log
    const timeout = AbortSignal.timeout(this.#handshakeTimeout)
    const signal = anySignal([options?.signal, timeout])
    const available = muxers(this.#components, options)
    let socket: TLSSocket | undefined

    try {
      const credentials = await this.#getCredentials({ signal })
      return await new Promise<SecuredConnection>((resolve, reject) => {
        let settled = false
        const fail = (err: any): void => {
          if (settled) {
            return
          }
          settled = true
          const error = handshakeError(err, role)
          log.error('%s handshake failed - %e', role, error)
          socket?.destroy()
          connection.abort(error)
          reject(error)
        }
        const onAbort = (): void => {
          fail(timeout.aborted
            ? new HandshakeTimeoutError(`The TLS handshake as ${role} did not finish within ${this.#handshakeTimeout} ms`)
            : new AbortError(`The TLS handshake as ${role} was aborted`))
        }
        if (signal.aborted) {
          onAbort()
          return
        }
        signal.addEventListener('abort', onAbort, { once: true })

        // the remote's handshake, to count its certificates (see peer-flight.ts)
        const flight = new PeerFlight(!isServer)
        let recording = true
        const duplex = toDuplex(connection, log, (data) => {
          if (recording) {
            flight.record(data)
          }
        })
        let serverMuxer: StreamMuxerFactory | undefined
        if (isServer) {
          socket = new TLSSocket(duplex, {
            isServer: true,
            secureContext: credentials.context,
            // tls.md: "servers MUST require client authentication"
            requestCert: true,
            // the peer's certificate is self-signed: we verify it ourselves
            rejectUnauthorized: false,
            ALPNCallback: ({ protocols }) => {
              // inlined-muxer-negotiation.md: the server SHOULD respect the client's preference
              for (const protocol of protocols) {
                if (protocol === ALPN_LIBP2P) {
                  return protocol
                }
                const muxer = available.get(protocol)
                if (muxer != null) {
                  serverMuxer = muxer
                  return protocol
                }
              }
              // tls.md: "The server MUST abort the handshake if it doesn't
              // support any of the application protocols offered"
              log('no common ALPN protocol in %s', protocols)
              return undefined
            }
          })
        } else {
          socket = connect({
            socket: duplex,
            secureContext: credentials.context,
            rejectUnauthorized: false,
            // no SNI: tls.md "Future Extensibility" forbids a value in it
            servername: '',
            ALPNProtocols: [...available.keys(), ALPN_LIBP2P]
          })
        }
        const tlsSocket = socket
        const onClose = (): void => {
          fail(new InvalidCryptoExchangeError(`The connection closed during the TLS handshake as ${role}`))
        }
        tlsSocket.on('error', fail)
        tlsSocket.once('close', onClose)
        const onKeylog = (line: Buffer): void => { flight.keylog(line) }
        tlsSocket.on('keylog', onKeylog)

        // 'secure' fires when the handshake is complete, before any
        // application data is read: the socket stays paused (nothing reads
        // it) until the certificate has passed, so nothing the remote sent
        // early reaches the application if it fails
        tlsSocket.once('secure', () => {
          recording = false
          tlsSocket.removeListener('keylog', onKeylog)
          void this.#verify(tlsSocket, flight, options?.remotePeer)
            .then(remotePeer => {
              if (settled) {
                return
              }
              let streamMuxer: StreamMuxerFactory | undefined
              const alpn = tlsSocket.alpnProtocol
              if (isServer) {
                streamMuxer = serverMuxer
              } else if (typeof alpn === 'string' && alpn !== ALPN_LIBP2P) {
                streamMuxer = available.get(alpn)
                if (streamMuxer == null) {
                  throw new InvalidCryptoExchangeError(`The server selected the muxer ${alpn}, which we did not offer`)
                }
              }
              settled = true
              tlsSocket.removeListener('error', fail)
              tlsSocket.removeListener('close', onClose)
              log('%s handshake done with %p, ALPN %s', role, remotePeer, alpn)
              resolve({
                remotePeer,
                connection: new EncryptedStream(tlsSocket, connection, options?.peerMemoryScope?.(remotePeer)),
                streamMuxer
              })
            })
            .catch(fail)
        })
      })
    } catch (err: any) {
      socket?.destroy()
      let error = handshakeError(err, role)
      if (signal.aborted && error.name === 'InvalidCryptoExchangeError') {
        // the signal fired while the certificate was being made
        error = timeout.aborted
          ? new HandshakeTimeoutError(`The TLS handshake as ${role} did not finish within ${this.#handshakeTimeout} ms`)
          : new AbortError(`The TLS handshake as ${role} was aborted`)
      }
      if (connection.status !== 'aborted') {
        connection.abort(error)
      }
      throw error
    } finally {
      signal.clear()
    }
  }

  /** The checks of tls.md "Peer Authentication" on the remote's certificate. */
  async #verify (socket: TLSSocket, flight: PeerFlight, expectedPeer?: PeerId): Promise<PeerId> {
    const version = socket.getProtocol()
    if (version !== TLS_VERSION) {
      throw new InvalidCryptoExchangeError(`The remote negotiated ${version}, not ${TLS_VERSION}`)
    }
    const cert = socket.getPeerCertificate(true)
    if (cert?.raw == null) {
      throw new InvalidCertificateError('The remote sent no certificate')
    }
    let count: number
    try {
      // what the remote really sent, and what Node shows, whichever is more
      count = Math.max(flight.countCertificates(socket.getCipher().standardName), chainLength(cert))
    } finally {
      flight.clear()
    }
    if (count !== 1) {
      throw new InvalidCertificateError(`The remote sent ${count} certificates; tls.md allows exactly one`)
    }
    const { peerId } = await verifyCertificate(cert.raw, { expectedPeer })
    return peerId
  }
}
