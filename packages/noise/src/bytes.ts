/** An empty byte array, shared. */
export const EMPTY = new Uint8Array(0)

/** The parts as one array; a single part is returned as it is (no copy). */
export function concat (parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) {
    return parts[0]
  }
  let length = 0
  for (const part of parts) {
    length += part.byteLength
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}
