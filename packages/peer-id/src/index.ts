/**
 * @packageDocumentation
 *
 * libp2p peer ids (https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md):
 * the multihash of a peer's public key - inlined with the identity multihash
 * for keys whose protobuf encoding is at most 42 bytes (Ed25519, secp256k1),
 * sha2-256 otherwise (RSA, ECDSA) - and its two text forms: the legacy
 * base58btc multihash (`12D3KooW...`, `Qm...`) and the CIDv1 with the
 * libp2p-key codec (`bafz...`, RFC 0001).
 *
 * Peer ids carry the `peerIdSymbol` brand, so `isPeerId()` of both
 * `@ts-libp2p/interface` and `@libp2p/interface` recognise them, and they
 * satisfy the interface `PeerId` types.
 *
 * @example
 *
 * ```ts
 * import { generateKeyPair } from '@ts-libp2p/crypto'
 * import { peerIdFromPrivateKey, peerIdFromString } from '@ts-libp2p/peer-id'
 *
 * const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
 * peerId.toString()         // '12D3KooW...'
 * peerId.toCID().toString() // 'bafzaa...'
 * peerIdFromString(peerId.toCID().toString()).equals(peerId) // true
 * ```
 */

export { peerIdFromCID, peerIdFromMultihash, peerIdFromPrivateKey, peerIdFromPublicKey, peerIdFromString } from './factories.js'
export type { ECDSAPeerId } from './peer-id.js'
export type { PeerId, RSAPeerId, Ed25519PeerId, Secp256k1PeerId, URLPeerId, PeerIdType } from '@ts-libp2p/interface'
