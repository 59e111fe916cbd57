import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { InvalidCryptoExchangeError, UnexpectedPeerError } from '@ts-libp2p/interface'
import { peerIdFromPublicKey } from '@ts-libp2p/peer-id'
import { MAX_CACHED_IDENTITY_KEY_LENGTH, MAX_EXTENSION_ENTRIES, MAX_MUXER_ID_LENGTH, REMOTE_IDENTITY_CACHE_SIZE, SIGNATURE_PREFIX } from './constants.js'
import { NoiseHandshakePayload } from './pb/payload.js'
import type { PeerId, PrivateKey, PublicKey } from '@ts-libp2p/interface'

/**
 * noise/README.md, "Noise Extensions": what a peer sends besides its
 * identity. Both lists may be empty.
 */
export interface NoiseExtensions {
  /** WebTransport certificate hashes (multihashes) the sender serves. */
  webtransportCerthashes: Uint8Array[]
  /** Stream muxer protocol ids the sender supports, in its order of preference. */
  streamMuxers: string[]
}

/** A verified remote payload. */
export interface RemotePayload {
  /** The remote's identity key. */
  publicKey: PublicKey
  /** Its peer id. */
  remotePeer: PeerId
  /** Its extensions (empty lists when it sent none). */
  extensions: NoiseExtensions
}

const PREFIX = new TextEncoder().encode(SIGNATURE_PREFIX)

/** `noise-libp2p-static-key:` || the static key: the bytes the identity key signs. */
export function signedData (staticPublicKey: Uint8Array): Uint8Array {
  const data = new Uint8Array(PREFIX.byteLength + staticPublicKey.byteLength)
  data.set(PREFIX, 0)
  data.set(staticPublicKey, PREFIX.byteLength)
  return data
}

/** Our identity key as a protobuf `PublicKey` and its signature over {@link signedData}. */
export interface SignedIdentity {
  identityKey: Uint8Array
  identitySig: Uint8Array
}

/**
 * Signs our static Noise key with our identity key. Both are fixed for a
 * Noise instance, so the instance makes this once and reuses it in every
 * handshake (a signature is valid for as long as the keys are).
 */
export async function signIdentity (privateKey: PrivateKey, staticPublicKey: Uint8Array): Promise<SignedIdentity> {
  return {
    identityKey: publicKeyToProtobuf(privateKey.publicKey),
    identitySig: await privateKey.sign(signedData(staticPublicKey))
  }
}

/**
 * Builds our `NoiseHandshakePayload`: the identity key as a protobuf
 * `PublicKey`, its signature over {@link signedData} (`identity`, when made
 * already by {@link signIdentity}), and the extensions (left out when both
 * lists are empty, as other implementations do).
 */
export async function createHandshakePayload (privateKey: PrivateKey, staticPublicKey: Uint8Array, extensions?: Partial<NoiseExtensions>, identity?: SignedIdentity): Promise<Uint8Array> {
  const { identityKey, identitySig } = identity ?? await signIdentity(privateKey, staticPublicKey)
  const webtransportCerthashes = extensions?.webtransportCerthashes ?? []
  const streamMuxers = extensions?.streamMuxers ?? []
  const hasExtensions = webtransportCerthashes.length > 0 || streamMuxers.length > 0
  return NoiseHandshakePayload.encode({
    identityKey,
    identitySig,
    extensions: hasExtensions ? { webtransportCerthashes, streamMuxers } : undefined
  }).finish()
}

/** Parsed remote identities by their protobuf bytes (see {@link REMOTE_IDENTITY_CACHE_SIZE}). */
const remoteIdentities = new Map<string, { publicKey: PublicKey, remotePeer: PeerId }>()

/**
 * The remote's identity key and peer id from the key's protobuf bytes: the
 * same objects as the last time these bytes arrived (so the peer id's string
 * form, used as a key all over the node, is made once per peer), parsed
 * afresh otherwise. Throws InvalidCryptoExchangeError for an unusable key.
 */
function remoteIdentity (identityKey: Uint8Array): { publicKey: PublicKey, remotePeer: PeerId } {
  // RSA keys (hundreds of bytes) are parsed every time: the cache holds small keys only
  const cacheKey = identityKey.byteLength <= MAX_CACHED_IDENTITY_KEY_LENGTH ? String.fromCharCode(...identityKey) : undefined
  let identity = cacheKey == null ? undefined : remoteIdentities.get(cacheKey)
  if (identity != null) {
    return identity
  }
  let publicKey: PublicKey
  try {
    publicKey = publicKeyFromProtobuf(identityKey)
  } catch (err: any) {
    throw new InvalidCryptoExchangeError(`The remote's identity key is not usable (${err.name}): ${err.message}`)
  }
  identity = { publicKey, remotePeer: peerIdFromPublicKey(publicKey) }
  if (cacheKey == null) {
    return identity
  }
  if (remoteIdentities.size >= REMOTE_IDENTITY_CACHE_SIZE) {
    const oldest = remoteIdentities.keys().next().value
    if (oldest != null) remoteIdentities.delete(oldest)
  }
  remoteIdentities.set(cacheKey, identity)
  return identity
}

/**
 * Decodes a remote `NoiseHandshakePayload` and checks it: the identity key
 * parses, its signature over the remote's static Noise key verifies
 * (noise/README.md: "If the signature is invalid, the connection MUST be
 * terminated immediately"), the extensions are within bounds, and, when
 * `expectedPeer` is given, the key is that peer's.
 *
 * Throws InvalidCryptoExchangeError for anything malformed or unsigned and
 * UnexpectedPeerError for a valid payload of another peer.
 */
export async function verifyHandshakePayload (bytes: Uint8Array, remoteStaticKey: Uint8Array, expectedPeer?: PeerId): Promise<RemotePayload> {
  let payload: NoiseHandshakePayload
  try {
    payload = NoiseHandshakePayload.decode(bytes)
  } catch (err: any) {
    throw new InvalidCryptoExchangeError(`The remote's handshake payload is not valid protobuf: ${err.message}`)
  }
  if (payload.identityKey == null || payload.identityKey.byteLength === 0) {
    throw new InvalidCryptoExchangeError('The remote\'s handshake payload has no identity key')
  }
  if (payload.identitySig == null || payload.identitySig.byteLength === 0) {
    throw new InvalidCryptoExchangeError('The remote\'s handshake payload has no identity signature')
  }
  const { publicKey, remotePeer } = remoteIdentity(payload.identityKey)
  let valid = false
  try {
    valid = await publicKey.verify(signedData(remoteStaticKey), payload.identitySig)
  } catch {
    valid = false
  }
  if (!valid) {
    throw new InvalidCryptoExchangeError(`The remote's signature of its static Noise key does not verify with its identity key ${publicKey.toString()}`)
  }
  if (expectedPeer != null && !remotePeer.equals(expectedPeer)) {
    throw new UnexpectedPeerError(`Expected peer ${expectedPeer.toString()} but the remote proved ${remotePeer.toString()}`)
  }
  const webtransportCerthashes = payload.extensions?.webtransportCerthashes ?? []
  const streamMuxers = payload.extensions?.streamMuxers ?? []
  if (webtransportCerthashes.length > MAX_EXTENSION_ENTRIES || streamMuxers.length > MAX_EXTENSION_ENTRIES) {
    throw new InvalidCryptoExchangeError(`The remote's extensions list more than ${MAX_EXTENSION_ENTRIES} entries`)
  }
  if (streamMuxers.some(id => id.length === 0 || id.length > MAX_MUXER_ID_LENGTH)) {
    throw new InvalidCryptoExchangeError('The remote\'s extensions hold an empty or over-long stream muxer id')
  }
  return { publicKey, remotePeer, extensions: { webtransportCerthashes, streamMuxers } }
}
