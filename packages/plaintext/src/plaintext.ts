import { equals as equalBytes } from 'multiformats/bytes'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { InvalidCryptoExchangeError, TimeoutError, UnexpectedPeerError } from '@ts-libp2p/interface'
import { peerIdFromPublicKey } from '@ts-libp2p/peer-id'
import { anySignal, lpStream } from '@ts-libp2p/utils'
import { DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_EXCHANGE_LENGTH, PROTOCOL } from './constants.js'
import { Exchange, PublicKey } from './pb/proto.js'
import type { PlaintextComponents, PlaintextInit } from './index.js'
import type { ConnectionEncrypter, Logger, MessageStream, PeerId, PrivateKey, SecureConnectionOptions, SecuredConnection } from '@ts-libp2p/interface'


/**
 * Decodes and checks a remote `Exchange`: both fields present, the key
 * parseable, and the id the key's own peer id (plaintext/README.md,
 * "Exchange": "each side will validate that the given peer id is consistent
 * with the given public key"). Every failure is an InvalidCryptoExchangeError.
 */
export function decodeExchange (bytes: Uint8Array): PeerId {
  let message: Exchange
  try {
    message = Exchange.decode(bytes)
  } catch (err: any) {
    throw new InvalidCryptoExchangeError(`The remote's Exchange message is not valid protobuf: ${err.message}`)
  }
  if (message.id == null || message.id.byteLength === 0) {
    throw new InvalidCryptoExchangeError('The remote\'s Exchange message has no id')
  }
  if (message.pubkey == null || message.pubkey.Data == null || message.pubkey.Data.byteLength === 0) {
    throw new InvalidCryptoExchangeError('The remote\'s Exchange message has no public key')
  }
  let peerId: PeerId
  try {
    // the crypto package owns key parsing; hand it the spec's PublicKey message
    const publicKey = publicKeyFromProtobuf(PublicKey.encode(message.pubkey).finish())
    peerId = peerIdFromPublicKey(publicKey)
  } catch (err: any) {
    throw new InvalidCryptoExchangeError(`The remote's public key is not valid: ${err.message}`)
  }
  if (!equalBytes(peerId.toMultihash().bytes, message.id)) {
    throw new InvalidCryptoExchangeError(`The remote's id does not match its public key (key gives ${peerId.toString()})`)
  }
  return peerId
}

/** Encodes our `Exchange` message: our peer id multihash and public key. */
export function encodeExchange (privateKey: PrivateKey): Uint8Array {
  const publicKey = privateKey.publicKey
  const pubkey = PublicKey.decode(publicKeyToProtobuf(publicKey))
  return Exchange.encode({ id: publicKey.toMultihash().bytes, pubkey }).finish()
}

/**
 * The `/plaintext/2.0.0` encrypter: both peers send an `Exchange` at once,
 * read the other's, verify it, and continue on the unchanged connection.
 * Both directions run the same steps; only the dialler knows whom to expect.
 */
export class Plaintext implements ConnectionEncrypter {
  public readonly protocol = PROTOCOL
  readonly #privateKey: PrivateKey
  readonly #log: Logger
  readonly #maxExchangeLength: number
  readonly #handshakeTimeout: number

  constructor (components: PlaintextComponents, init: PlaintextInit = {}) {
    this.#privateKey = components.privateKey
    this.#log = components.logger.forComponent('plaintext')
    this.#maxExchangeLength = init.maxExchangeLength ?? DEFAULT_MAX_EXCHANGE_LENGTH
    this.#handshakeTimeout = init.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT
  }

  readonly [Symbol.toStringTag] = '@ts-libp2p/plaintext'

  async secureInbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection> {
    return this.#exchange(connection, options)
  }

  async secureOutbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection> {
    return this.#exchange(connection, options)
  }

  async #exchange (connection: MessageStream, options: SecureConnectionOptions = {}): Promise<SecuredConnection> {
    const log = connection.log?.newScope?.('plaintext') ?? this.#log
    const timeout = new AbortController()
    const timer = setTimeout(() => {
      timeout.abort(new TimeoutError(`The plaintext exchange did not finish within ${this.#handshakeTimeout} ms`))
    }, this.#handshakeTimeout)
    const signal = anySignal([timeout.signal, options.signal])
    const lp = lpStream(connection, { maxDataLength: this.#maxExchangeLength })
    try {
      log('sending our Exchange, expecting %s', options.remotePeer?.toString() ?? 'any peer')
      await lp.write(encodeExchange(this.#privateKey), { signal })
      const reply = await lp.read({ signal })
      const remotePeer = decodeExchange(reply.subarray())
      if (options.remotePeer != null && !remotePeer.equals(options.remotePeer)) {
        throw new UnexpectedPeerError(`Expected peer ${options.remotePeer.toString()} but the remote is ${remotePeer.toString()}`)
      }
      log('exchange done with %s', remotePeer.toString())
      return { connection: lp.unwrap(), remotePeer }
    } catch (err: any) {
      // plaintext/README.md: "Should a verification or timeout error occur,
      // the connection MUST be terminated abruptly."
      log.error('exchange failed - %e', err)
      connection.abort(err)
      throw err
    } finally {
      clearTimeout(timer)
      signal.clear()
    }
  }
}
