import { BUFFER_MEMORY_STEP } from './constants.js'
import type { MemoryScope } from '@ts-libp2p/interface'

/**
 * What one holder of bytes (a stream's buffers, a muxer's outbound batch)
 * has reserved in a {@link MemoryScope}, kept in line with what it holds in
 * coarse steps: more is reserved when the held bytes pass the reservation
 * (rounded up to the step), and returned when they are two steps below it or
 * nothing is held any more, so a buffer that moves within one step costs no
 * calls into the scope. A refused reservation reserves nothing and is returned to the
 * caller, who decides between backpressure and aborting.
 */
export class MemoryReservation {
  readonly scope: MemoryScope
  readonly step: number
  /** Bytes reserved now (a multiple of `step`). */
  reserved: number

  constructor (scope: MemoryScope, step: number = BUFFER_MEMORY_STEP) {
    this.scope = scope
    this.step = step
    this.reserved = 0
  }

  /**
   * Brings the reservation in line with `held` bytes. Returns the scope's
   * error when it refuses more (nothing changes then), otherwise undefined.
   */
  update (held: number): Error | undefined {
    const reserved = this.reserved
    if (held === 0) {
      this.releaseAll()
      return undefined
    }
    if (held <= reserved && reserved - held < 2 * this.step) {
      return undefined
    }
    const target = Math.ceil(held / this.step) * this.step
    if (target > reserved) {
      try {
        this.scope.reserveMemory(target - reserved)
      } catch (err: any) {
        return err instanceof Error ? err : new Error(String(err))
      }
    } else {
      this.scope.releaseMemory(reserved - target)
    }
    this.reserved = target
    return undefined
  }

  /** Returns everything reserved (idempotent). */
  releaseAll (): void {
    const reserved = this.reserved
    if (reserved > 0) {
      this.reserved = 0
      this.scope.releaseMemory(reserved)
    }
  }
}
