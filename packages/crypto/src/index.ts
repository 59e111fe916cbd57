/**
 * @packageDocumentation
 *
 * libp2p keys as the peer-ids spec defines them
 * (https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md):
 * Ed25519, secp256k1, ECDSA (NIST P-256) and RSA key pairs, signing and
 * verification, and the protobuf `PublicKey` / `PrivateKey` encodings that
 * peers exchange and that peer ids are derived from.
 *
 * Keys implement the `PublicKey` / `PrivateKey` types of `@ts-libp2p/interface`
 * (and so of `@libp2p/interface`): `type`, `raw` (the spec's `Data` bytes),
 * `equals`, `sign` / `verify`, and for public keys `toMultihash`, `toCID` and
 * `toString`, which give the key's peer id.
 *
 * @example
 *
 * ```ts
 * import { generateKeyPair, publicKeyFromProtobuf, publicKeyToProtobuf } from '@ts-libp2p/crypto'
 *
 * const key = await generateKeyPair('Ed25519')
 * const data = new TextEncoder().encode('hello')
 * const sig = await key.sign(data)
 *
 * const remote = publicKeyFromProtobuf(publicKeyToProtobuf(key.publicKey))
 * remote.toString() // '12D3KooW...', the peer id
 * await remote.verify(data, sig) // true
 * ```
 */

export {
  generateKeyPair,
  generateKeyPairFromSeed,
  publicKeyFromProtobuf,
  publicKeyToProtobuf,
  privateKeyFromProtobuf,
  privateKeyToProtobuf,
  publicKeyFromRaw,
  privateKeyFromRaw,
  publicKeyFromMultihash
} from './keys.js'
export type { Curve } from './keys.js'
export type {
  KeyType,
  PublicKey,
  PrivateKey,
  Ed25519PublicKey,
  Ed25519PrivateKey,
  Secp256k1PublicKey,
  Secp256k1PrivateKey,
  ECDSAPublicKey,
  ECDSAPrivateKey,
  RSAPublicKey,
  RSAPrivateKey
} from '@ts-libp2p/interface'
