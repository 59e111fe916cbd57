import type { MemoryScope } from '@ts-libp2p/interface'

/** What {@link countingMemoryScope} throws past its limit: named like the resource manager's refusal. */
export class ScopeLimitError extends Error {
  static override name = 'ResourceLimitError'
  override name = 'ResourceLimitError'
}

/** A {@link MemoryScope} that counts what is held and how often it is called. */
export interface CountingMemoryScope extends MemoryScope {
  /** Bytes reserved and not yet released. */
  used: number
  /** Calls of `reserveMemory` and `releaseMemory` so far. */
  calls: number
}

/**
 * A memory scope for tests of code that charges its buffers: it refuses a
 * reservation that would take `used` past `limit` with a {@link ScopeLimitError}
 * and throws a plain `Error` when more is released than was reserved.
 */
export function countingMemoryScope (limit = Infinity): CountingMemoryScope {
  return {
    used: 0,
    calls: 0,
    reserveMemory (bytes) {
      this.calls++
      if (this.used + bytes > limit) throw new ScopeLimitError(`${this.used} + ${bytes} > ${limit}`)
      this.used += bytes
    },
    releaseMemory (bytes) {
      this.calls++
      this.used -= bytes
      if (this.used < 0) throw new Error('released more than reserved')
    }
  }
}
