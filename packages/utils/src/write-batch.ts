import { Uint8ArrayList } from 'uint8arraylist'

/** Payloads up to this size are copied into the batch; larger ones are referenced. */
export const COPY_THRESHOLD = 1024

const SCRATCH_SIZE = 16 * 1024

/**
 * The bytes queued for one transport write. Headers and small payloads are
 * copied side by side into a scratch buffer, so many small messages become
 * one array; large payloads are appended by reference (the writers' own
 * arrays, never copied). Consumers downstream (sockets' writev, the official
 * test pairs' re-chunking) then see a few large arrays instead of thousands
 * of tiny ones.
 */
export class WriteBatch {
  #list: Uint8ArrayList
  #scratch: Uint8Array
  #start: number
  #end: number

  constructor () {
    this.#list = new Uint8ArrayList()
    this.#scratch = new Uint8Array(SCRATCH_SIZE)
    this.#start = 0
    this.#end = 0
  }

  get byteLength (): number {
    return this.#list.byteLength + this.#end - this.#start
  }

  /** Copies `data` into the batch. */
  copy (data: Uint8Array | Uint8ArrayList): void {
    const length = data.byteLength
    if (this.#scratch.byteLength - this.#end < length) {
      this.#seal()
      this.#scratch = new Uint8Array(Math.max(SCRATCH_SIZE, length))
      this.#start = 0
      this.#end = 0
    }
    if (data instanceof Uint8Array) {
      this.#scratch.set(data, this.#end)
      this.#end += length
    } else {
      for (const chunk of data) {
        this.#scratch.set(chunk, this.#end)
        this.#end += chunk.byteLength
      }
    }
  }

  /** Appends a payload: copied when small, referenced when large. */
  append (data: Uint8ArrayList): void {
    if (data.byteLength <= COPY_THRESHOLD) {
      this.copy(data)
      return
    }
    this.#seal()
    this.#list.append(data)
  }

  /** Everything queued, as one list; the batch is empty afterwards. */
  take (): Uint8ArrayList {
    this.#seal()
    const list = this.#list
    this.#list = new Uint8ArrayList()
    return list
  }

  /** Discards everything queued. */
  clear (): void {
    this.#list = new Uint8ArrayList()
    this.#start = this.#end
  }

  /** Moves the copied run into the list; the scratch region behind it is never written again. */
  #seal (): void {
    if (this.#end > this.#start) {
      this.#list.append(this.#scratch.subarray(this.#start, this.#end))
      this.#start = this.#end
    }
  }
}
