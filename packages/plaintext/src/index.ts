/**
 * @packageDocumentation
 *
 * The `/plaintext/2.0.0` connection encrypter
 * (https://github.com/libp2p/specs/blob/master/plaintext/README.md).
 *
 * **For tests only.** It encrypts nothing and authenticates nothing: each
 * peer sends its peer id and public key, checks that the remote's id matches
 * the remote's key (and, when dialling, that it is the peer it dialled), and
 * then the raw connection is handed back unchanged. Anyone on the path can
 * read, forge or replay traffic. Use `@ts-libp2p/noise` for real networks.
 *
 * @example
 *
 * ```ts
 * import { generateKeyPair } from '@ts-libp2p/crypto'
 * import { plaintext } from '@ts-libp2p/plaintext'
 *
 * const encrypter = plaintext()({ privateKey: await generateKeyPair('Ed25519'), logger })
 * const { remotePeer, connection } = await encrypter.secureOutbound(rawConnection, { remotePeer: dialledPeer })
 * ```
 */

import { Plaintext } from './plaintext.js'
import type { ComponentLogger, ConnectionEncrypter, PrivateKey } from '@ts-libp2p/interface'

/** What the encrypter takes from the node. */
export interface PlaintextComponents {
  /** Our identity: its public key is sent to the remote. */
  privateKey: PrivateKey
  /** Where the encrypter logs (`ts-libp2p:plaintext`). */
  logger: ComponentLogger
}

/** Options for {@link plaintext}. */
export interface PlaintextInit {
  /** The largest `Exchange` message read, in bytes. Default 4096. */
  maxExchangeLength?: number
  /**
   * Milliseconds the exchange may take before it fails with a
   * TimeoutError (besides any `signal` passed to a secure call). Default 10 000.
   */
  handshakeTimeout?: number
}

export { PROTOCOL } from './constants.js'

/**
 * Creates the `/plaintext/2.0.0` encrypter factory: give it to a node's
 * `connectionEncrypters`, or call the result with components to use it alone.
 */
export function plaintext (init: PlaintextInit = {}): (components: PlaintextComponents) => ConnectionEncrypter {
  return (components) => new Plaintext(components, init)
}
