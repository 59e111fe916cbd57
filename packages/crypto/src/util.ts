/**
 * Small byte helpers shared by the key classes and backends.
 */
import { base64url } from 'multiformats/bases/base64'
import type { SignData } from './backend/interface.js'

/** True when both arrays hold the same bytes. Not constant time: use on public data. */
export { equals as bytesEqual } from 'multiformats/bytes'

/** Constant-time comparison for secret bytes of equal, public length. */
export function secretBytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) {
    return false
  }
  let diff = 0
  for (let i = 0; i < a.byteLength; i++) {
    diff |= a[i] ^ b[i]
  }
  return diff === 0
}

/** One contiguous buffer of the data (copies only when a list has several chunks). */
export function contiguous (data: SignData): Uint8Array {
  return data instanceof Uint8Array ? data : data.subarray()
}

/** The chunks of the data, for incremental hashing without a copy. */
export function chunks (data: SignData): Iterable<Uint8Array> {
  return data instanceof Uint8Array ? [data] : data
}

/** A private copy as a plain Uint8Array (not a Buffer view into a shared pool). */
export function copyBytes (bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength)
  out.set(bytes)
  return out
}

/** A plain Uint8Array view of a Node Buffer (or any Uint8Array subclass), without copying. */
export function asUint8Array (bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** base64url without padding (RFC 4648 section 5), as JSON Web Keys use. */
export function toBase64url (bytes: Uint8Array): string {
  return base64url.baseEncode(bytes)
}

/** Decodes unpadded base64url. */
export function fromBase64url (text: string): Uint8Array {
  return base64url.baseDecode(text)
}
