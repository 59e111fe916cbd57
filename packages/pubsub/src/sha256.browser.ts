/** SHA-256 for content-addressed message ids in browsers (@noble/hashes); Node uses `sha256.js`. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

/** The SHA-256 digest of `data`. */
export function sha256 (data: Uint8Array): Uint8Array {
  return nobleSha256(data)
}
