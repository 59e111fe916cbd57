import { Uint8ArrayList } from 'uint8arraylist'
import { pDefer } from './defer.js'
import type { DeferredPromise } from './defer.js'

/** What `sendData()` reports back. */
export interface SendResult {
  /** Bytes of the passed list the resource took, from the front. */
  sentBytes: number
  /**
   * False when the resource is full. The subclass must then call
   * `onSendReady()` once it can take data again. A `sentBytes` short of the
   * list's length counts as false too.
   */
  canSendMore: boolean
}

/** How a {@link SendQueue} reaches its resource. */
export interface SendQueueTarget {
  /** Hands bytes to the resource (the stream's `sendData`). */
  sendData(data: Uint8ArrayList): SendResult
  /** The most bytes per `sendData()` call, read on every call (it may change). */
  maxMessageSize(): number | undefined
}

/**
 * The write buffer of a message stream: bytes accepted by `send()` that the
 * resource has not taken yet, and the loop that hands them over, in order,
 * without copying, for as long as the resource says it can take more.
 */
export class SendQueue {
  /** Bytes waiting to be sent (the stream exposes it as `writeBuffer`). */
  public buffer: Uint8ArrayList
  /** The resource reported it is full; set until `unblock()`. */
  public blocked: boolean
  /** True while `sendData()` runs; a re-entrant `flush()` returns at once and the running loop picks the bytes up. */
  public sending: boolean
  /** Bytes the resource accepted. */
  public sentBytes: number

  readonly #target: SendQueueTarget
  #flushed?: DeferredPromise<void>

  constructor (target: SendQueueTarget) {
    this.#target = target
    this.buffer = new Uint8ArrayList()
    this.blocked = false
    this.sending = false
    this.sentBytes = 0
  }

  get byteLength (): number {
    return this.buffer.byteLength
  }

  append (data: Uint8Array | Uint8ArrayList): void {
    this.buffer.append(data)
  }

  /**
   * Hands buffered bytes to the resource until it is empty or the resource
   * is full. A throwing `sendData()` propagates; the bytes of that call are
   * dropped with it (the stream aborts on it).
   */
  flush (): void {
    if (this.sending || this.blocked) {
      return
    }
    this.sending = true
    try {
      while (this.buffer.byteLength > 0 && !this.blocked) {
        const max = this.#target.maxMessageSize()
        const limit = max != null && max > 0 ? max : Infinity
        let chunk: Uint8ArrayList
        if (this.buffer.byteLength <= limit) {
          // hand over the whole buffer without building a sublist
          chunk = this.buffer
          this.buffer = new Uint8ArrayList()
        } else {
          chunk = this.buffer.sublist(0, limit)
          this.buffer.consume(limit)
        }
        const length = chunk.byteLength
        const result = this.#target.sendData(chunk)
        const sent = Math.max(0, Math.min(result.sentBytes, length))
        this.sentBytes += sent
        if (sent < length) {
          // a new list for the rest: the resource may have kept `chunk`
          this.buffer.prepend(chunk.sublist(sent))
        }
        if (!result.canSendMore || sent < length) {
          this.blocked = true
        }
      }
    } finally {
      this.sending = false
    }
    if (this.buffer.byteLength === 0) {
      this.#settleFlushed()
    }
  }

  /** The resource can take data again. */
  unblock (): void {
    this.blocked = false
  }

  /** Resolves once every buffered byte has been handed over (or dropped). */
  async flushed (): Promise<void> {
    if (this.buffer.byteLength === 0 && !this.sending) {
      return
    }
    this.#flushed ??= pDefer()
    await this.#flushed.promise
  }

  /** Drops the buffered bytes; waiters on `flushed()` resolve, or reject with `err`. */
  clear (err?: Error): number {
    const dropped = this.buffer.byteLength
    if (dropped > 0) {
      this.buffer = new Uint8ArrayList()
    }
    this.#settleFlushed(err)
    return dropped
  }

  #settleFlushed (err?: Error): void {
    const flushed = this.#flushed
    this.#flushed = undefined
    if (flushed == null) {
      return
    }
    if (err != null) {
      flushed.reject(err)
    } else {
      flushed.resolve()
    }
  }
}
