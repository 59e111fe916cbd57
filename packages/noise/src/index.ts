/**
 * @packageDocumentation
 *
 * The `/noise` connection encrypter for libp2p
 * (https://github.com/libp2p/specs/blob/master/noise/README.md):
 * Noise_XX_25519_ChaChaPoly_SHA256, each side's static Noise key signed by its
 * libp2p identity key, stream muxer negotiation inside the handshake
 * (connections/inlined-muxer-negotiation.md), and the 2-byte length-framed
 * encrypted transport.
 *
 * In Node the primitives come from node:crypto; elsewhere (or with
 * `crypto: 'portable'`) from @noble/ciphers, @noble/curves and @noble/hashes.
 * Both interoperate.
 *
 * @example
 *
 * ```ts
 * import { noise } from '@ts-libp2p/noise'
 *
 * const encrypter = noise()({ privateKey, logger, upgrader })
 * const { remotePeer, connection, streamMuxer } = await encrypter.secureOutbound(rawConnection, { remotePeer: dialledPeer })
 * ```
 */

import { Noise } from './noise.js'
import type { NoiseExtensions } from './payload.js'
import type { ComponentLogger, ConnectionEncrypter, PeerId, PrivateKey, StreamMuxerFactory } from '@ts-libp2p/interface'

/** What the encrypter takes from the node. */
export interface NoiseComponents {
  /** Our identity: it signs our static Noise key. */
  privateKey: PrivateKey
  /** Where the encrypter logs (`ts-libp2p:noise`). */
  logger: ComponentLogger
  /**
   * The node's upgrader, for the muxers to offer inside the handshake. Without
   * it no muxer is offered and the upgrader negotiates one afterwards.
   */
  upgrader?: { getStreamMuxers(): Map<string, StreamMuxerFactory> }
}

/** Options for {@link noise}. */
export interface NoiseInit {
  /** A 32-byte X25519 secret to use as the static Noise key (default: a fresh key per instance). */
  staticNoiseKey?: Uint8Array
  /** Extensions we send besides the muxer list: WebTransport certificate hashes. */
  extensions?: { webtransportCerthashes?: Uint8Array[] }
  /** The Noise prologue (default empty, as libp2p requires for interop). */
  prologueBytes?: Uint8Array
  /** Milliseconds a handshake may take before a TimeoutError. Default 10 000. */
  handshakeTimeout?: number
  /**
   * Which primitives to use: 'node' (node:crypto, the default) or
   * 'portable' (@noble/*). Meant for tests and benchmarks; the wire format is the same.
   */
  crypto?: 'node' | 'portable'
  /**
   * Per-connection early data, as go-libp2p's `EarlyDataHandler` offers:
   * `send` adds extensions for one handshake (merged with `extensions` and
   * the muxer list), `received` sees the remote's verified extensions before
   * the handshake completes and may throw to fail it (the error is passed on).
   */
  earlyData?: NoiseEarlyDataHandler
}

/** Early data hooks; see {@link NoiseInit.earlyData}. */
export interface NoiseEarlyDataHandler {
  /** Extensions to send on this connection; `remotePeer` is known when dialling. */
  send?(remotePeer?: PeerId): { webtransportCerthashes?: Uint8Array[] } | undefined
  /** Called with the remote's extensions once its payload is verified. */
  received?(extensions: NoiseExtensions, remotePeer: PeerId): void | Promise<void>
}

export type { NoiseExtensions } from './payload.js'
export { PROTOCOL } from './constants.js'
export { DecryptionError, NonceExhaustedError, TruncatedFrameError } from './errors.js'

/**
 * Creates the noise encrypter factory: give it to a node's
 * `connectionEncrypters`, or call the result with components to use it alone.
 */
export function noise (init: NoiseInit = {}): (components: NoiseComponents) => ConnectionEncrypter<NoiseExtensions> {
  return (components) => new Noise(components, init)
}
