import { Uint8ArrayList } from 'uint8arraylist'
import { arraysOf } from './list-arrays.js'

/**
 * The decoder's input buffer: received arrays in order, read from the
 * front. Unlike consuming a Uint8ArrayList (which rebuilds its array of
 * chunks on every call), reading here costs O(bytes read) however many small
 * chunks are queued, and payloads come out as subarrays, never copies.
 */
export class ByteQueue {
  #chunks: Uint8Array[]
  #head: number
  #offset: number
  /** Bytes queued. */
  public byteLength: number

  constructor () {
    this.#chunks = []
    this.#head = 0
    this.#offset = 0
    this.byteLength = 0
  }

  push (data: Uint8Array | Uint8ArrayList): void {
    if (data instanceof Uint8Array) {
      if (data.byteLength > 0) {
        this.#chunks.push(data)
        this.byteLength += data.byteLength
      }
      return
    }
    const arrays = arraysOf(data)
    for (let i = 0; i < arrays.length; i++) {
      const chunk = arrays[i]
      if (chunk.byteLength > 0) {
        this.#chunks.push(chunk)
        this.byteLength += chunk.byteLength
      }
    }
  }

  /** The byte `index` positions from the front (index < byteLength; meant for small indexes). */
  get (index: number): number {
    let i = this.#head
    let offset = this.#offset + index
    while (offset >= this.#chunks[i].byteLength) {
      offset -= this.#chunks[i].byteLength
      i++
    }
    return this.#chunks[i][offset]
  }

  /** Copies the first `length` bytes (length <= byteLength) into `target`, without removing them. */
  copyTo (target: Uint8Array, length: number): void {
    let i = this.#head
    let offset = this.#offset
    let written = 0
    while (written < length) {
      const chunk = this.#chunks[i]
      const n = Math.min(chunk.byteLength - offset, length - written)
      target.set(n === chunk.byteLength ? chunk : chunk.subarray(offset, offset + n), written)
      written += n
      offset = 0
      i++
    }
  }

  /** Removes `length` bytes from the front and returns them as subarrays. */
  take (length: number): Uint8ArrayList {
    const out = new Uint8ArrayList()
    let remaining = length
    while (remaining > 0) {
      const chunk = this.#chunks[this.#head]
      const available = chunk.byteLength - this.#offset
      const n = Math.min(available, remaining)
      out.append(n === chunk.byteLength ? chunk : chunk.subarray(this.#offset, this.#offset + n))
      remaining -= n
      this.#advance(n, available)
    }
    this.byteLength -= length
    return out
  }

  /** Drops `length` bytes from the front. */
  skip (length: number): void {
    let remaining = length
    while (remaining > 0) {
      const available = this.#chunks[this.#head].byteLength - this.#offset
      const n = Math.min(available, remaining)
      remaining -= n
      this.#advance(n, available)
    }
    this.byteLength -= length
  }

  #advance (n: number, available: number): void {
    if (n < available) {
      this.#offset += n
      return
    }
    this.#head++
    this.#offset = 0
    if (this.#head === this.#chunks.length) {
      this.#chunks = []
      this.#head = 0
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head)
      this.#head = 0
    }
  }
}
