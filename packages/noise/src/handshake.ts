import { InvalidCryptoExchangeError } from '@ts-libp2p/interface'
import { byteStream } from '@ts-libp2p/utils'
import { FRAME_LENGTH_BYTES, MAX_FRAME_LENGTH } from './constants.js'
import { XXHandshakeState } from './handshake-state.js'
import { createHandshakePayload, verifyHandshakePayload } from './payload.js'
import { EMPTY } from './bytes.js'
import type { NoiseCrypto, X25519KeyPair } from './crypto.js'
import type { XXHandshakeResult } from './handshake-state.js'
import type { NoiseExtensions, RemotePayload, SignedIdentity } from './payload.js'
import type { Logger, MessageStream, PeerId, PrivateKey } from '@ts-libp2p/interface'
import type { ByteStream } from '@ts-libp2p/utils'


/** Everything one side needs to run the libp2p XX handshake. */
export interface HandshakeParams {
  crypto: NoiseCrypto
  /** Our libp2p identity, which signs our static Noise key. */
  privateKey: PrivateKey
  /** Our static Noise key pair. */
  staticKey: X25519KeyPair
  /** `signIdentity(privateKey, staticKey.publicKey)`, when the caller keeps it; made per handshake otherwise. */
  identity?: Promise<SignedIdentity>
  /** Noise prologue; empty in libp2p. */
  prologue?: Uint8Array
  /** The extensions we send (initiator in message 3, responder in message 2). */
  extensions: NoiseExtensions
  /** The peer we expect, if known. */
  remotePeer?: PeerId
  signal: AbortSignal
  log: Logger
  /**
   * Called with the remote's verified payload before we go on; throwing
   * fails the handshake (the initiator checks the muxer lists here, before
   * it sends message 3).
   */
  onRemotePayload?(remote: RemotePayload): void | Promise<void>
}

/** The outcome of a handshake, before the transport stream is built. */
export interface HandshakeResult extends XXHandshakeResult {
  /** The remote's verified identity and extensions. */
  remote: RemotePayload
  /** The raw connection, with any bytes read past the handshake put back. */
  connection: MessageStream
}

function frame (message: Uint8Array): Uint8Array {
  if (message.byteLength > MAX_FRAME_LENGTH) {
    throw new InvalidCryptoExchangeError(`Handshake message of ${message.byteLength} bytes does not fit a noise frame of ${MAX_FRAME_LENGTH}`)
  }
  const out = new Uint8Array(FRAME_LENGTH_BYTES + message.byteLength)
  out[0] = message.byteLength >> 8
  out[1] = message.byteLength & 0xff
  out.set(message, FRAME_LENGTH_BYTES)
  return out
}

async function readFrame (bytes: ByteStream, signal: AbortSignal): Promise<Uint8Array> {
  const header = await bytes.read({ bytes: FRAME_LENGTH_BYTES, signal })
  const length = (header.get(0) << 8) | header.get(1)
  if (length === 0) {
    return EMPTY
  }
  return (await bytes.read({ bytes: length, signal })).subarray()
}

/**
 * Runs the XX handshake over `connection` (noise/README.md, "XX"):
 * message 1 carries no payload, message 2 the responder's signed payload
 * and extensions, message 3 the initiator's. Each side verifies the other's
 * payload as soon as it arrives, so an initiator facing the wrong peer never
 * sends its own identity.
 */
export async function performHandshake (connection: MessageStream, initiator: boolean, params: HandshakeParams): Promise<HandshakeResult> {
  const { crypto, signal, log } = params
  const bytes = byteStream(connection)
  const state = new XXHandshakeState({ crypto, initiator, staticKey: params.staticKey, prologue: params.prologue })
  let remote: RemotePayload
  if (initiator) {
    await bytes.write(frame(state.writeMessageA(EMPTY)), { signal })
    log.trace('sent message 1 (e)')
    const payload = state.readMessageB(await readFrame(bytes, signal))
    remote = await verifyHandshakePayload(payload, state.remoteStaticKey!, params.remotePeer)
    log.trace('read message 2 (e, ee, s, es) from %p', remote.remotePeer)
    await params.onRemotePayload?.(remote)
    const ours = await createHandshakePayload(params.privateKey, params.staticKey.publicKey, params.extensions, await params.identity)
    await bytes.write(frame(state.writeMessageC(ours)), { signal })
    log.trace('sent message 3 (s, se)')
  } else {
    // the initiator must not send extensions in message 1 (noise/README.md,
    // "The libp2p Handshake Payload"); whatever it sent is ignored
    state.readMessageA(await readFrame(bytes, signal))
    log.trace('read message 1 (e)')
    const ours = await createHandshakePayload(params.privateKey, params.staticKey.publicKey, params.extensions, await params.identity)
    await bytes.write(frame(state.writeMessageB(ours)), { signal })
    log.trace('sent message 2 (e, ee, s, es)')
    const payload = state.readMessageC(await readFrame(bytes, signal))
    remote = await verifyHandshakePayload(payload, state.remoteStaticKey!, params.remotePeer)
    log.trace('read message 3 (s, se) from %p', remote.remotePeer)
    await params.onRemotePayload?.(remote)
  }
  return { ...state.finish(), remote, connection: bytes.unwrap() }
}
