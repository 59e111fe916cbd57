import { Uint8ArrayList } from 'uint8arraylist'
import { arraysOf } from './list-arrays.js'

/** Payloads up to this size are copied into the batch; larger ones are referenced. */
export const COPY_THRESHOLD = 1024

/** Size of the shared slabs small writes are copied into. */
const SLAB_SIZE = 16 * 1024

// One slab shared by every batch in the process: a batch owns no memory while
// it is idle (a connection at rest costs no scratch buffer), and bytes are
// only ever written once, at the slab's free offset, so a region handed out
// is never touched again. A batch extends its current run while nobody else
// has written to the slab since (the usual case: one connection flushing).
let slab = new Uint8Array(SLAB_SIZE)
let slabOffset = 0

/**
 * The bytes queued for one transport write. Headers and small payloads are
 * copied side by side into a shared slab, so many small messages become one
 * array; large payloads are appended by reference (the writers' own arrays,
 * never copied). Consumers downstream (sockets' writev, the official test
 * pairs' re-chunking) then see a few large arrays instead of thousands of
 * tiny ones.
 */
export class WriteBatch {
  #list: Uint8ArrayList
  /** The slab holding the current run of copied bytes (`#start` to `#end`). */
  #slab?: Uint8Array
  #start: number
  #end: number
  /**
   * Counts `take()` and `clear()` calls: a region from `alloc()` may be
   * rewritten (e.g. a header whose length grows) while this is unchanged.
   */
  public generation: number

  constructor () {
    this.#list = new Uint8ArrayList()
    this.#start = 0
    this.#end = 0
    this.generation = 0
  }

  get byteLength (): number {
    return this.#list.byteLength + this.#end - this.#start
  }

  /**
   * Reserves `length` bytes at the end of the batch for the caller to fill
   * (e.g. a frame header encoded in place). The array may be written again
   * only while `generation` is unchanged (the batch has not been taken).
   */
  alloc (length: number): Uint8Array {
    if (this.#slab !== slab || this.#end !== slabOffset || slab.byteLength - slabOffset < length) {
      this.#seal()
      if (slab.byteLength - slabOffset < length) {
        slab = new Uint8Array(Math.max(SLAB_SIZE, length))
        slabOffset = 0
      }
      this.#slab = slab
      this.#start = slabOffset
      this.#end = slabOffset
    }
    const region = slab.subarray(this.#end, this.#end + length)
    this.#end += length
    slabOffset = this.#end
    return region
  }

  /** Copies `data` into the batch. */
  copy (data: Uint8Array | Uint8ArrayList): void {
    if (data.byteLength === 0) {
      return
    }
    const region = this.alloc(data.byteLength)
    if (data instanceof Uint8Array) {
      region.set(data)
    } else {
      let offset = 0
      const arrays = arraysOf(data)
      for (let i = 0; i < arrays.length; i++) {
        const chunk = arrays[i]
        region.set(chunk, offset)
        offset += chunk.byteLength
      }
    }
  }

  /** Appends a payload: copied when small, referenced when large. */
  append (data: Uint8Array | Uint8ArrayList): void {
    if (data.byteLength <= COPY_THRESHOLD) {
      this.copy(data)
      return
    }
    this.#seal()
    this.#list.append(data)
  }

  /** Everything queued, as one list; the batch is empty afterwards. */
  take (): Uint8ArrayList {
    this.generation++
    this.#seal()
    const list = this.#list
    this.#list = new Uint8ArrayList()
    return list
  }

  /** Discards everything queued. */
  clear (): void {
    this.generation++
    this.#list = new Uint8ArrayList()
    this.#start = this.#end
  }

  /** Moves the copied run into the list; the slab region behind it is never written again. */
  #seal (): void {
    if (this.#end > this.#start && this.#slab != null) {
      this.#list.append(this.#slab.subarray(this.#start, this.#end))
      this.#start = this.#end
    }
  }
}
