/**
 * How a public key becomes the multihash of its peer id (peer-ids spec,
 * "Peer Ids"): the protobuf `PublicKey` encoding, inlined with the identity
 * multihash when it is at most 42 bytes, hashed with sha2-256 otherwise.
 */
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { IDENTITY_MULTIHASH_CODE, LIBP2P_KEY_CODE, MAX_INLINE_KEY_LENGTH, SHA2_256_MULTIHASH_CODE } from './constants.js'
import { encodePublicKeyMessage } from './protobuf.js'
import type { CryptoBackend } from './backend/interface.js'
import type { KeyType } from '@ts-libp2p/interface'
import type { MultihashDigest } from 'multiformats/hashes/interface'

/** The peer id multihash of a key; its code is 0x00 (identity) or 0x12 (sha2-256) by the encoded length. */
export function publicKeyDigest (type: KeyType, raw: Uint8Array, backend: CryptoBackend): MultihashDigest<0x00> | MultihashDigest<0x12> {
  const encoded = encodePublicKeyMessage(type, raw)
  if (encoded.byteLength <= MAX_INLINE_KEY_LENGTH) {
    return Digest.create(IDENTITY_MULTIHASH_CODE, encoded)
  }
  return Digest.create(SHA2_256_MULTIHASH_CODE, backend.sha256(encoded))
}

/** The legacy peer id string: base58btc of the multihash, without the multibase prefix. */
export function digestToString (digest: MultihashDigest): string {
  return base58btc.encode(digest.bytes).slice(1)
}

/** The peer id as a CIDv1 with the libp2p-key codec. */
export function digestToCID<Alg extends number> (digest: MultihashDigest<Alg>): CID<unknown, 0x72, Alg, 1> {
  return CID.createV1(LIBP2P_KEY_CODE, digest)
}
