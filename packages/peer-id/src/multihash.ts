/**
 * Parsing of the text and binary forms of a peer id, down to its multihash,
 * without building peer id objects. Every failure is a typed error saying what
 * was wrong: InvalidPeerIdError (the string), InvalidCIDError (the CID) or
 * InvalidMultihashError (the multihash).
 */
import { InvalidCIDError, InvalidMultihashError, InvalidPeerIdError } from '@ts-libp2p/interface'
import { bases } from 'multiformats/basics'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { IDENTITY_CODE, LIBP2P_KEY_CODE, MAX_INLINE_KEY_LENGTH, MAX_PEER_ID_STRING_LENGTH, SHA2_256_CODE, SHA2_256_LENGTH, TRANSPORT_IPFS_GATEWAY_HTTP_CODE } from './constants.js'
import type { MultibaseDecoder } from 'multiformats/bases/interface'
import type { MultihashDigest } from 'multiformats/hashes/interface'

/**
 * A decoder for every multibase multiformats knows (RFC 0001 allows any),
 * keyed by prefix code point: multiformats' own composed decoder looks at the
 * first UTF-16 unit only and so misses base256emoji's 🚀.
 */
const MULTIBASES = new Map<string, MultibaseDecoder<string>>(
  Object.values(bases).map(base => [base.prefix, base.decoder as MultibaseDecoder<string>])
)

const anyMultibase: MultibaseDecoder<string> = {
  decode (text: string): Uint8Array<ArrayBuffer> {
    const prefix = String.fromCodePoint(text.codePointAt(0) ?? 0)
    const decoder = MULTIBASES.get(prefix)
    if (decoder == null) {
      throw new Error(`unknown multibase prefix "${prefix}"`)
    }
    return decoder.decode(text)
  }
}

function describe (err: unknown): string {
  return String((err as Error)?.message ?? err)
}

function hex (code: number): string {
  return `0x${code.toString(16)}`
}

/** What a peer id string or CID turned out to hold. */
export type ParsedPeerId =
  | { kind: 'key', multihash: MultihashDigest }
  | { kind: 'url', multihash: MultihashDigest, url: string }

/** Decodes multihash bytes; they must be exactly one multihash. */
export function decodeMultihash (bytes: Uint8Array): MultihashDigest {
  try {
    return Digest.decode(bytes)
  } catch (err) {
    throw new InvalidMultihashError(`Invalid multihash: ${describe(err)}`)
  }
}

/**
 * Checks that a multihash can be a peer id: identity of at most 42 bytes, or
 * sha2-256 of 32 bytes.
 */
export function checkPeerIdMultihash (multihash: MultihashDigest): void {
  if (multihash == null || typeof multihash.code !== 'number' || !(multihash.digest instanceof Uint8Array) || !(multihash.bytes instanceof Uint8Array)) {
    throw new InvalidMultihashError('Not a multihash digest')
  }
  if (multihash.code === SHA2_256_CODE) {
    if (multihash.digest.byteLength !== SHA2_256_LENGTH) {
      throw new InvalidMultihashError(`A sha2-256 multihash has a ${SHA2_256_LENGTH}-byte digest, this one ${multihash.digest.byteLength}`)
    }
    return
  }
  if (multihash.code === IDENTITY_CODE) {
    if (multihash.digest.byteLength > MAX_INLINE_KEY_LENGTH) {
      throw new InvalidMultihashError(`An identity multihash peer id inlines at most ${MAX_INLINE_KEY_LENGTH} bytes, this one ${multihash.digest.byteLength}`)
    }
    return
  }
  throw new InvalidMultihashError(`Multihash code ${hex(multihash.code)} is neither identity (0x00) nor sha2-256 (0x12)`)
}

/** The URL held by a transport-ipfs-gateway-http CID. */
function urlOf (cid: CID): string {
  if (cid.multihash.code !== IDENTITY_CODE) {
    throw new InvalidCIDError(`A URL peer id CID holds an identity multihash, not ${hex(cid.multihash.code)}`)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(cid.multihash.digest)
    return new URL(text).toString()
  } catch (err) {
    throw new InvalidCIDError(`A URL peer id CID does not hold a URL: ${describe(err)}`)
  }
}

/**
 * Checks a CID names a peer: CIDv1 with the libp2p-key codec (peer-ids spec),
 * or a CIDv0, which is the legacy form of a sha2-256 peer id (RFC 0001,
 * "Backward compatibility"), or a URL peer id CID.
 */
export function parseCID (cid: CID): ParsedPeerId {
  const parsed = CID.asCID(cid)
  if (parsed == null) {
    throw new InvalidCIDError('Not a CID')
  }
  if (parsed.version === 1 && parsed.code === TRANSPORT_IPFS_GATEWAY_HTTP_CODE) {
    return { kind: 'url', multihash: parsed.multihash, url: urlOf(parsed) }
  }
  if (parsed.version === 1 && parsed.code !== LIBP2P_KEY_CODE) {
    throw new InvalidCIDError(`CID codec ${hex(parsed.code)} is not libp2p-key (0x72)`)
  }
  checkPeerIdMultihash(parsed.multihash)
  return { kind: 'key', multihash: parsed.multihash }
}

/**
 * Parses a peer id string (peer-ids spec, "Decoding"): a base58btc multihash
 * when it starts with `1` or `Qm`, otherwise a multibase CIDv1 with the
 * libp2p-key codec in any multibase.
 */
export function parseString (text: string, decoder?: MultibaseDecoder<string>): ParsedPeerId {
  if (typeof text !== 'string') {
    throw new InvalidPeerIdError(`A peer id string must be a string, not ${typeof text}`)
  }
  if (text.length === 0) {
    throw new InvalidPeerIdError('The peer id string is empty')
  }
  if (text.length > MAX_PEER_ID_STRING_LENGTH) {
    throw new InvalidPeerIdError(`The peer id string is ${text.length} characters, more than the ${MAX_PEER_ID_STRING_LENGTH} any peer id needs`)
  }
  if (text.startsWith('1') || text.startsWith('Qm')) {
    let bytes: Uint8Array
    try {
      bytes = base58btc.baseDecode(text)
    } catch (err) {
      throw new InvalidPeerIdError(`"${text}" starts like a base58btc peer id but is not base58btc: ${describe(err)}`)
    }
    const multihash = decodeMultihash(bytes)
    checkPeerIdMultihash(multihash)
    return { kind: 'key', multihash }
  }
  let bytes: Uint8Array
  try {
    bytes = (decoder ?? anyMultibase).decode(text)
  } catch (err) {
    throw new InvalidPeerIdError(`"${text}" is neither a base58btc multihash (starting 1 or Qm) nor a multibase CID: ${describe(err)}`)
  }
  let cid: CID
  try {
    cid = CID.decode(bytes)
  } catch (err) {
    throw new InvalidCIDError(`"${text}" does not hold a CID: ${describe(err)}`)
  }
  if (cid.version !== 1) {
    throw new InvalidCIDError(`"${text}" holds a CIDv${cid.version}; a multibase peer id is a CIDv1`)
  }
  return parseCID(cid)
}
