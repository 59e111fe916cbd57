/**
 * Building peer ids from keys, multihashes, CIDs and strings.
 */
import { publicKeyFromMultihash, publicKeyFromProtobuf, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { InvalidMultihashError, InvalidParametersError, UnsupportedKeyTypeError, isPublicKey } from '@ts-libp2p/interface'
import { IDENTITY_CODE, MAX_INLINE_KEY_LENGTH, SHA2_256_CODE } from './constants.js'
import { checkPeerIdMultihash, parseCID, parseString } from './multihash.js'
import { ECDSAPeerIdImpl, Ed25519PeerIdImpl, RSAPeerIdImpl, Secp256k1PeerIdImpl, URLPeerIdImpl } from './peer-id.js'
import type { ECDSAPeerId } from './peer-id.js'
import type { ECDSAPublicKey, Ed25519PeerId, Ed25519PublicKey, PeerId, PrivateKey, PublicKey, RSAPeerId, RSAPublicKey, Secp256k1PeerId, Secp256k1PublicKey, ECDSAPrivateKey, Ed25519PrivateKey, RSAPrivateKey, Secp256k1PrivateKey } from '@ts-libp2p/interface'
import type { MultibaseDecoder } from 'multiformats/bases/interface'
import type { CID } from 'multiformats/cid'
import type { MultihashDigest } from 'multiformats/hashes/interface'
import type { ParsedPeerId } from './multihash.js'

/**
 * The peer id of a multihash: sha2-256 ids become RSA-type peer ids without a
 * key (the key cannot be recovered from a hash), identity ids carry their
 * Ed25519 or secp256k1 key. Throws InvalidMultihashError for anything else.
 */
export function peerIdFromMultihash (multihash: MultihashDigest): PeerId {
  checkPeerIdMultihash(multihash)
  if (multihash.code === SHA2_256_CODE) {
    return new RSAPeerIdImpl(multihash as MultihashDigest<0x12>)
  }
  let publicKey: Ed25519PublicKey | Secp256k1PublicKey
  try {
    publicKey = publicKeyFromMultihash(multihash)
  } catch (err: any) {
    throw new InvalidMultihashError(`The identity multihash does not hold a valid Ed25519 or secp256k1 key: ${String(err?.message ?? err)}`)
  }
  const inline = multihash as MultihashDigest<0x00>
  return publicKey.type === 'Ed25519'
    ? new Ed25519PeerIdImpl(inline, publicKey)
    : new Secp256k1PeerIdImpl(inline, publicKey)
}

function fromParsed (parsed: ParsedPeerId): PeerId {
  return parsed.kind === 'url' ? new URLPeerIdImpl(parsed.url) : peerIdFromMultihash(parsed.multihash)
}

/**
 * The peer id in a CID: CIDv1 with the libp2p-key codec (or a CIDv0, the
 * legacy form). Throws InvalidCIDError for other codecs.
 */
export function peerIdFromCID (cid: CID): PeerId {
  return fromParsed(parseCID(cid))
}

/**
 * Parses a peer id string: the legacy base58btc multihash (`12D3KooW...`,
 * `16Uiu2...`, `Qm...`) or a CIDv1 in any multibase (`bafz...`, `k51...`).
 * `decoder` restricts the multibases accepted for the CID form.
 * Throws InvalidPeerIdError, InvalidCIDError or InvalidMultihashError,
 * whose message says what was wrong.
 */
export function peerIdFromString (text: string, decoder?: MultibaseDecoder<string>): PeerId {
  return fromParsed(parseString(text, decoder))
}

/** The key's peer id multihash, re-derived with the spec's rule if the key's own disagrees with it. */
function specMultihash (publicKey: PublicKey): MultihashDigest {
  const expected = publicKeyToProtobuf(publicKey).byteLength <= MAX_INLINE_KEY_LENGTH ? IDENTITY_CODE : SHA2_256_CODE
  const own = publicKey.toMultihash()
  if (own.code === expected) {
    return own
  }
  // a key object from an implementation that inlines long keys (@libp2p/crypto 5 does for ECDSA)
  return publicKeyFromProtobuf(publicKeyToProtobuf(publicKey)).toMultihash()
}

/** The peer id of a public key. */
export function peerIdFromPublicKey (publicKey: Ed25519PublicKey): Ed25519PeerId
export function peerIdFromPublicKey (publicKey: Secp256k1PublicKey): Secp256k1PeerId
export function peerIdFromPublicKey (publicKey: RSAPublicKey): RSAPeerId
export function peerIdFromPublicKey (publicKey: ECDSAPublicKey): ECDSAPeerId
export function peerIdFromPublicKey (publicKey: PublicKey): PeerId
export function peerIdFromPublicKey (publicKey: PublicKey): PeerId | ECDSAPeerId {
  if (!isPublicKey(publicKey)) {
    throw new InvalidParametersError('peerIdFromPublicKey needs a public key')
  }
  const multihash = specMultihash(publicKey)
  switch (publicKey.type) {
    case 'Ed25519': return new Ed25519PeerIdImpl(multihash as MultihashDigest<0x00>, publicKey)
    case 'secp256k1': return new Secp256k1PeerIdImpl(multihash as MultihashDigest<0x00>, publicKey)
    case 'RSA': return new RSAPeerIdImpl(multihash as MultihashDigest<0x12>, publicKey)
    case 'ECDSA': return new ECDSAPeerIdImpl(multihash as MultihashDigest<0x12>, publicKey)
    default: throw new UnsupportedKeyTypeError(`No peer id for keys of type ${String((publicKey as PublicKey).type)}`)
  }
}

/** The peer id of a private key's public key. */
export function peerIdFromPrivateKey (privateKey: Ed25519PrivateKey): Ed25519PeerId
export function peerIdFromPrivateKey (privateKey: Secp256k1PrivateKey): Secp256k1PeerId
export function peerIdFromPrivateKey (privateKey: RSAPrivateKey): RSAPeerId
export function peerIdFromPrivateKey (privateKey: ECDSAPrivateKey): ECDSAPeerId
export function peerIdFromPrivateKey (privateKey: PrivateKey): PeerId
export function peerIdFromPrivateKey (privateKey: PrivateKey): PeerId | ECDSAPeerId {
  if (privateKey == null || !isPublicKey(privateKey.publicKey)) {
    throw new InvalidParametersError('peerIdFromPrivateKey needs a private key')
  }
  return peerIdFromPublicKey(privateKey.publicKey)
}
