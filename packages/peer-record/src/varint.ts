/** Unsigned varint (multiformats unsigned-varint) encoding of a small non-negative integer. */
export function encodeUvarint (value: number): Uint8Array {
  const out: number[] = []
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }
  out.push(value)
  return Uint8Array.from(out)
}

/** Byte-wise equality of two arrays. */
export { equals as bytesEqual } from 'multiformats/bytes'

/** A plain Uint8Array copy (not a view into a pooled Node Buffer). */
export function copyBytes (bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength)
  out.set(bytes)
  return out
}
