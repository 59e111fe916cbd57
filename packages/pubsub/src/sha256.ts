/**
 * SHA-256 for content-addressed message ids: node:crypto in Node (native,
 * several times faster than a JS hash on kilobyte messages); bundlers take
 * `sha256.browser.js` instead (the package's `browser` field).
 */
import { createHash } from 'node:crypto'

/** The SHA-256 digest of `data`. */
export function sha256 (data: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(data).digest()
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}
