import { InvalidCryptoExchangeError, TimeoutError } from '@ts-libp2p/interface'
import { DEFAULT_HANDSHAKE_TIMEOUT, PROTOCOL } from './constants.js'
import { nodeCrypto } from './crypto-node.js'
import { portableCrypto } from './crypto-portable.js'
import { EncryptedConnection } from './encrypted-connection.js'
import { performHandshake } from './handshake.js'
import { signIdentity } from './payload.js'
import type { NoiseCrypto, X25519KeyPair } from './crypto.js'
import type { NoiseComponents, NoiseEarlyDataHandler, NoiseInit } from './index.js'
import type { NoiseExtensions, SignedIdentity } from './payload.js'
import type { ConnectionEncrypter, Logger, MessageStream, SecureConnectionOptions, SecuredConnection, StreamMuxerFactory } from '@ts-libp2p/interface'

/**
 * Picks the stream muxer per connections/inlined-muxer-negotiation.md: "the
 * first item from the initiator's list that both parties support". Returns
 * undefined when either side sent no list (fall back to multistream-select
 * after the handshake) and throws when both sent lists with nothing in
 * common ("If there is no overlap ... the handshake MUST fail").
 */
export function selectStreamMuxer (initiatorList: readonly string[], responderList: readonly string[]): string | undefined {
  if (initiatorList.length === 0 || responderList.length === 0) {
    return undefined
  }
  const responder = new Set(responderList)
  const chosen = initiatorList.find(id => responder.has(id))
  if (chosen == null) {
    throw new InvalidCryptoExchangeError(`No stream muxer in common: the initiator offers ${initiatorList.join(', ')}, the responder ${responderList.join(', ')}`)
  }
  return chosen
}

/**
 * The `/noise` connection encrypter: Noise_XX_25519_ChaChaPoly_SHA256 with
 * the libp2p handshake payload, inlined muxer negotiation and the 2-byte
 * framed transport.
 */
export class Noise implements ConnectionEncrypter<NoiseExtensions> {
  public readonly protocol = PROTOCOL
  readonly #components: NoiseComponents
  readonly #crypto: NoiseCrypto
  readonly #staticKey: X25519KeyPair
  readonly #prologue: Uint8Array
  readonly #extensions: Pick<NoiseExtensions, 'webtransportCerthashes'>
  readonly #handshakeTimeout: number
  readonly #earlyData?: NoiseEarlyDataHandler
  readonly #log: Logger
  #identity?: Promise<SignedIdentity>

  constructor (components: NoiseComponents, init: NoiseInit = {}) {
    this.#components = components
    this.#crypto = init.crypto === 'portable' ? portableCrypto : nodeCrypto
    this.#staticKey = init.staticNoiseKey != null ? this.#crypto.x25519KeyPairFromSecret(init.staticNoiseKey) : this.#crypto.generateX25519KeyPair()
    this.#prologue = init.prologueBytes ?? new Uint8Array(0)
    this.#extensions = { webtransportCerthashes: init.extensions?.webtransportCerthashes ?? [] }
    this.#handshakeTimeout = init.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT
    this.#earlyData = init.earlyData
    this.#log = components.logger.forComponent('noise')
  }

  readonly [Symbol.toStringTag] = '@ts-libp2p/noise'

  /** The static Noise public key this instance authenticates (one per instance; noise/README.md allows either). */
  get staticPublicKey (): Uint8Array {
    return this.#staticKey.publicKey
  }

  async secureOutbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection<NoiseExtensions>> {
    return this.#secure(connection, true, options)
  }

  async secureInbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection<NoiseExtensions>> {
    return this.#secure(connection, false, options)
  }

  /**
   * Our identity's signature of our static key, made on the first handshake
   * and reused (both keys are fixed for this instance); a failed signing is
   * not kept, so the next handshake tries again.
   */
  #signedIdentity (): Promise<SignedIdentity> {
    if (this.#identity == null) {
      const identity = signIdentity(this.#components.privateKey, this.#staticKey.publicKey)
      this.#identity = identity
      identity.catch(() => { if (this.#identity === identity) this.#identity = undefined })
    }
    return this.#identity
  }

  #muxers (options?: SecureConnectionOptions): Map<string, StreamMuxerFactory> {
    if (options?.skipStreamMuxerNegotiation === true) {
      return new Map()
    }
    return this.#components.upgrader?.getStreamMuxers() ?? new Map()
  }

  async #secure (connection: MessageStream, initiator: boolean, options: SecureConnectionOptions = {}): Promise<SecuredConnection<NoiseExtensions>> {
    const log = connection.log?.newScope?.('noise') ?? this.#log
    const muxers = this.#muxers(options)
    // one controller for the caller's signal and the handshake deadline
    const parent = options.signal
    const controller = new AbortController()
    const signal = controller.signal
    const onAbort = (): void => { controller.abort(parent?.reason) }
    const timer = setTimeout(() => {
      controller.abort(new TimeoutError(`The noise handshake did not finish within ${this.#handshakeTimeout} ms`))
    }, this.#handshakeTimeout)
    if (parent?.aborted === true) onAbort()
    else parent?.addEventListener('abort', onAbort, { once: true })
    const ours = [...muxers.keys()]
    let chosen: string | undefined
    try {
      const result = await performHandshake(connection, initiator, {
        crypto: this.#crypto,
        privateKey: this.#components.privateKey,
        staticKey: this.#staticKey,
        identity: this.#signedIdentity(),
        prologue: this.#prologue,
        extensions: {
          webtransportCerthashes: [...this.#extensions.webtransportCerthashes, ...(this.#earlyData?.send?.(options.remotePeer)?.webtransportCerthashes ?? [])],
          streamMuxers: ours
        },
        remotePeer: options.remotePeer,
        signal,
        log,
        onRemotePayload: async (remote) => {
          const theirs = remote.extensions.streamMuxers
          chosen = initiator ? selectStreamMuxer(ours, theirs) : selectStreamMuxer(theirs, ours)
          await this.#earlyData?.received?.(remote.extensions, remote.remotePeer)
        }
      })
      log('secured %s connection with %p%s', initiator ? 'outbound' : 'inbound', result.remote.remotePeer, chosen != null ? `, muxer ${chosen}` : '')
      return {
        connection: new EncryptedConnection({ connection: result.connection, send: result.send, receive: result.receive, log, memoryScope: options.peerMemoryScope?.(result.remote.remotePeer) }),
        remotePeer: result.remote.remotePeer,
        remoteExtensions: result.remote.extensions,
        streamMuxer: chosen != null ? muxers.get(chosen) : undefined
      }
    } catch (err: any) {
      log.error('handshake failed - %e', err)
      // noise/README.md: an invalid signature means the connection "MUST be
      // terminated immediately"; any other failure leaves it unusable too
      connection.abort(err)
      throw err
    } finally {
      clearTimeout(timer)
      parent?.removeEventListener('abort', onAbort)
    }
  }
}
