/**
 * The per-peer pubsub streams (pubsub/README.md "Stream management"): one
 * long-lived outbound stream we write length-prefixed RPC frames to, and
 * the peer's inbound stream(s) we read frames from. Writes never wait on the
 * caller: frames queue (bounded in bytes) while the stream asks us to wait
 * for `drain`; past the bound, frames are dropped and counted.
 */
import { lpStream } from '@ts-libp2p/utils'
import type { Logger, MemoryScope, Stream } from '@ts-libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface OutboundStreamInit {
  /** Bytes that may queue while the stream waits for drain. */
  maxQueueBytes: number
  log: Logger
  onDrop?(bytes: number): void
  /**
   * Charged for the frames queued while the stream waits for drain (the
   * node's `gossipsub` service scope); a frame whose reservation is refused
   * is dropped like one past `maxQueueBytes`.
   */
  memory?: MemoryScope
}

/** A write-only wrapper of our outbound pubsub stream. */
export class OutboundStream {
  readonly stream: Stream
  readonly #queue: Uint8Array[] = []
  #queuedBytes = 0
  #waiting = false
  readonly #init: OutboundStreamInit
  #closed = false

  constructor (stream: Stream, init: OutboundStreamInit) {
    this.stream = stream
    this.#init = init
    stream.addEventListener('drain', this.#onDrain)
    stream.addEventListener('close', () => {
      this.#closed = true
      this.#queue.length = 0
      this.#release(this.#queuedBytes)
      this.#queuedBytes = 0
    }, { once: true })
  }

  get protocol (): string {
    return this.stream.protocol
  }

  get open (): boolean {
    return !this.#closed && this.stream.status === 'open' && this.stream.writeStatus === 'writable'
  }

  get queuedBytes (): number {
    return this.#queuedBytes
  }

  /** Queues one frame (with its length prefix); false when it was dropped. */
  push (frame: Uint8Array): boolean {
    if (!this.open) return false
    if (this.#waiting) {
      if (this.#queuedBytes + frame.byteLength > this.#init.maxQueueBytes || !this.#reserve(frame.byteLength)) {
        this.#init.onDrop?.(frame.byteLength)
        return false
      }
      this.#queue.push(frame)
      this.#queuedBytes += frame.byteLength
      return true
    }
    try {
      if (!this.stream.send(frame)) this.#waiting = true
    } catch (err: any) {
      this.#init.log('could not write to the outbound stream - %e', err)
      this.stream.abort(err)
      return false
    }
    return true
  }

  readonly #onDrain = (): void => {
    this.#waiting = false
    while (this.#queue.length > 0 && !this.#waiting && this.open) {
      const frame = this.#queue.shift() as Uint8Array
      this.#queuedBytes -= frame.byteLength
      this.#release(frame.byteLength)
      try {
        if (!this.stream.send(frame)) this.#waiting = true
      } catch (err: any) {
        this.stream.abort(err)
        return
      }
    }
  }

  /** False when the memory scope refuses `bytes` (ResourceLimitError, logged). */
  #reserve (bytes: number): boolean {
    if (this.#init.memory == null) return true
    try {
      this.#init.memory.reserveMemory(bytes)
      return true
    } catch (err: any) {
      this.#init.log('dropping a %d byte frame: the memory scope refused it - %e', bytes, err)
      return false
    }
  }

  #release (bytes: number): void {
    if (bytes > 0) this.#init.memory?.releaseMemory(bytes)
  }

  /** Closes our write side gracefully (bounded by `signal`), aborting on failure. */
  async close (signal: AbortSignal): Promise<void> {
    this.stream.removeEventListener('drain', this.#onDrain)
    try {
      await this.stream.close({ signal })
    } catch (err: any) {
      this.stream.abort(err)
    }
  }
}

/**
 * Reads RPC frames from an inbound stream until it ends, handing each to
 * `onFrame`. A frame over `maxFrameBytes` or a malformed prefix, or an
 * error thrown by `onFrame`, resets the stream (the error is logged, never
 * thrown).
 */
export async function readFrames (stream: Stream, maxFrameBytes: number, onFrame: (frame: Uint8ArrayList) => void, log: Logger): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: maxFrameBytes, maxBufferSize: maxFrameBytes + 64 * 1024 })
  try {
    while (true) {
      let frame: Uint8ArrayList
      try {
        frame = await lp.read()
      } catch (err: any) {
        // the peer ended its write side between frames: a clean end
        if (err?.name === 'UnexpectedEOFError' && lp.bytes.bufferedLength === 0) break
        throw err
      }
      onFrame(frame)
    }
  } catch (err: any) {
    log('inbound pubsub stream failed - %e', err)
    stream.abort(err)
  }
}
