import { sha256 } from '@noble/hashes/sha2.js'
import { KEY_BITS } from './constants.js'

/**
 * The position of `key` in the 256-bit keyspace: sha256 of its bytes
 * ("the distance between two keys is `XOR(sha256(key1), sha256(key2))`",
 * spec "Distance"). For a peer, `key` is its peer id's multihash bytes.
 */
export function kadKey (key: Uint8Array): Uint8Array {
  return sha256(key)
}

/** The XOR distance of two kad keys (both 32 bytes). */
export function xor (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i]
  return out
}

/** Orders two distances (big-endian unsigned): negative when `a` is closer. */
export function compareDistance (a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i]
  }
  return 0
}

/** Which of two kad keys is closer to `target`: negative when `a` is. */
export function compareCloser (target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i] ^ target[i]
    const db = b[i] ^ target[i]
    if (da !== db) return da - db
  }
  return 0
}

/** The length of the common bit prefix of two kad keys, 0 to 256. */
export function commonPrefixLength (a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ^ b[i]
    if (x !== 0) return i * 8 + Math.clz32(x) - 24
  }
  return KEY_BITS
}

/**
 * A random peer id (a sha256 multihash of random bytes, the form of RSA
 * peer ids) whose kad key shares exactly `cpl` leading bits with `self`,
 * for refreshing the bucket `cpl` (spec, "Bootstrap process": "we generate
 * a random peer ID for every non-empty routing table's k-bucket"). Tries up
 * to `maxTries` candidates; undefined when none matched.
 */
export function randomPeerIdBytesInBucket (self: Uint8Array, cpl: number, maxTries: number): Uint8Array | undefined {
  const candidate = new Uint8Array(34)
  candidate[0] = 0x12
  candidate[1] = 0x20
  for (let i = 0; i < maxTries; i++) {
    crypto.getRandomValues(candidate.subarray(2))
    if (commonPrefixLength(kadKey(candidate), self) === cpl) return candidate.slice()
  }
  return undefined
}
