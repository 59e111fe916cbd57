/**
 * The peer id classes. A peer id is its multihash; the classes differ by the
 * kind of key behind it and whether that key is known.
 */
import { equals as bytesEqual } from 'multiformats/bytes'
import { peerIdSymbol } from '@ts-libp2p/interface'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { IDENTITY_CODE, LIBP2P_KEY_CODE, TRANSPORT_IPFS_GATEWAY_HTTP_CODE } from './constants.js'
import { parseString } from './multihash.js'
import type { ECDSAPublicKey, Ed25519PeerId, Ed25519PublicKey, RSAPeerId, RSAPublicKey, Secp256k1PeerId, Secp256k1PublicKey, URLPeerId } from '@ts-libp2p/interface'
import type { MultihashDigest } from 'multiformats/hashes/interface'

const inspect = Symbol.for('nodejs.util.inspect.custom')

/**
 * A peer id derived from an ECDSA key. The peer-ids spec hashes the 95-byte
 * encoding of a P-256 key with sha2-256, as go-libp2p and rust-libp2p do.
 * The shared `PeerId` union (like @libp2p/interface's) has no ECDSA member,
 * so functions typed to return `PeerId` may return one of these; test
 * `type === 'ECDSA'` to find it.
 */
export interface ECDSAPeerId {
  readonly type: 'ECDSA'
  readonly publicKey: ECDSAPublicKey
  toString(): string
  toMultihash(): MultihashDigest<0x12>
  toCID(): CID<Uint8Array, 0x72, 0x12, 1>
  equals(other?: any): boolean
}


/** The multihash bytes of whatever `other` is, or undefined when it names no peer. */
function multihashBytesOf (other: unknown): Uint8Array | undefined {
  if (other instanceof Uint8Array) {
    return other
  }
  if (typeof other === 'string') {
    try {
      return parseString(other).multihash.bytes
    } catch {
      return undefined
    }
  }
  const bytes = (other as any)?.toMultihash?.()?.bytes
  return bytes instanceof Uint8Array ? bytes : undefined
}

abstract class PeerIdBase<Code extends number> {
  /** Brand checked by `isPeerId()` of this package's interface and of @libp2p/interface. */
  readonly [peerIdSymbol] = true as const
  readonly #multihash: MultihashDigest<Code>
  #string?: string

  constructor (multihash: MultihashDigest<Code>) {
    this.#multihash = multihash
  }

  /** The legacy (and still default) string form: base58btc of the multihash. */
  toString (): string {
    this.#string ??= base58btc.encode(this.#multihash.bytes).slice(1)
    return this.#string
  }

  toMultihash (): MultihashDigest<Code> {
    return this.#multihash
  }

  /** The CIDv1 form (RFC 0001); its `toString()` is base32, e.g. `bafz...`. */
  toCID (): CID<Uint8Array, 0x72, Code, 1> {
    return CID.createV1(LIBP2P_KEY_CODE, this.#multihash)
  }

  /** Serialises as the peer id string. */
  toJSON (): string {
    return this.toString()
  }

  /**
   * True when `other` names the same peer: another peer id (ours or any
   * implementation's), its multihash bytes, or a peer id string in any form.
   */
  equals (other?: any): boolean {
    if (other == null) {
      return false
    }
    if (typeof other === 'string' && other === this.toString()) {
      return true
    }
    const bytes = multihashBytesOf(other)
    return bytes != null && bytesEqual(bytes, this.#multihash.bytes)
  }

  get [Symbol.toStringTag] (): string {
    return `PeerId(${this.toString()})`
  }

  [inspect] (): string {
    return `PeerId(${this.toString()})`
  }
}

/** A sha2-256 peer id: an RSA key's, or any hashed key's when only the id is known. */
export class RSAPeerIdImpl extends PeerIdBase<0x12> implements RSAPeerId {
  readonly type = 'RSA'
  readonly publicKey?: RSAPublicKey

  constructor (multihash: MultihashDigest<0x12>, publicKey?: RSAPublicKey) {
    super(multihash)
    this.publicKey = publicKey
  }
}

/** An identity multihash peer id inlining an Ed25519 key. */
export class Ed25519PeerIdImpl extends PeerIdBase<0x00> implements Ed25519PeerId {
  readonly type = 'Ed25519'
  readonly publicKey: Ed25519PublicKey

  constructor (multihash: MultihashDigest<0x00>, publicKey: Ed25519PublicKey) {
    super(multihash)
    this.publicKey = publicKey
  }
}

/** An identity multihash peer id inlining a secp256k1 key. */
export class Secp256k1PeerIdImpl extends PeerIdBase<0x00> implements Secp256k1PeerId {
  readonly type = 'secp256k1'
  readonly publicKey: Secp256k1PublicKey

  constructor (multihash: MultihashDigest<0x00>, publicKey: Secp256k1PublicKey) {
    super(multihash)
    this.publicKey = publicKey
  }
}

/** A sha2-256 peer id of a known ECDSA key. */
export class ECDSAPeerIdImpl extends PeerIdBase<0x12> implements ECDSAPeerId {
  readonly type = 'ECDSA'
  readonly publicKey: ECDSAPublicKey

  constructor (multihash: MultihashDigest<0x12>, publicKey: ECDSAPublicKey) {
    super(multihash)
    this.publicKey = publicKey
  }
}

/**
 * A URL peer id (an HTTP router with no key), as @libp2p/peer-id makes them:
 * the identity multihash of the URL in a CID with the transport-ipfs-gateway-http codec.
 */
export class URLPeerIdImpl implements URLPeerId {
  readonly type = 'url'
  readonly publicKey = undefined
  readonly [peerIdSymbol] = true as const
  readonly url: string
  readonly #multihash: MultihashDigest<0x00>

  constructor (url: string) {
    this.url = url
    this.#multihash = Digest.create(IDENTITY_CODE, new TextEncoder().encode(url))
  }

  /** The CID string (base32), since a URL has no legacy form. */
  toString (): string {
    return this.toCID().toString()
  }

  toMultihash (): MultihashDigest<0x00> {
    return this.#multihash
  }

  toCID (): CID<Uint8Array, 0x0920, 0x00, 1> {
    return CID.createV1(TRANSPORT_IPFS_GATEWAY_HTTP_CODE, this.#multihash)
  }

  toJSON (): string {
    return this.toString()
  }

  /** True for another URL peer id of the same URL, its CID string, the URL itself, or its multihash bytes. */
  equals (other?: any): boolean {
    if (other == null) {
      return false
    }
    if (other instanceof Uint8Array) {
      return bytesEqual(other, this.#multihash.bytes)
    }
    if (typeof other === 'string') {
      return other === this.toString() || other === this.url
    }
    return other.type === 'url' && typeof other.toString === 'function' && other.toString() === this.toString()
  }

  get [Symbol.toStringTag] (): string {
    return `PeerId(${this.url})`
  }

  [inspect] (): string {
    return `PeerId(${this.url})`
  }
}
