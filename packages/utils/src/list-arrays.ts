import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * The arrays of a Uint8ArrayList, in order, without copying them and without
 * its iterator (a generator: several allocations per call, a measurable cost
 * once per received frame). Reads the list's `bufs` field, which
 * uint8arraylist keeps public at runtime (its types call it private), and
 * falls back to iterating when it is not there. The result must not be
 * modified.
 */
export function arraysOf (list: Uint8ArrayList): readonly Uint8Array[] {
  const bufs = (list as unknown as { bufs?: unknown }).bufs
  return Array.isArray(bufs) ? bufs : [...list]
}
