import { StreamResetError } from '@ts-libp2p/interface'
import { DEFAULT_LINK_MAX_IN_FLIGHT_BYTES } from './constants.js'
import type { SendResult } from './message-stream.js'
import type { Uint8ArrayList } from 'uint8arraylist'

/** What a link needs of the stream at each end (the hooks of AbstractMessageStream). */
export interface InMemoryLinkEnd {
  onData(data: Uint8Array | Uint8ArrayList): void
  onRemoteCloseWrite(): void
  onRemoteCloseRead(): void
  onRemoteReset(err?: Error): void
  onSendReady(): void
}

/** Options for one direction of an in-memory pair. */
export interface InMemoryLinkOptions {
  /** Milliseconds each delivery waits (0: the next macrotask). */
  delay?: number
  /** Bytes in flight before the sender is told the link is full. */
  maxInFlightBytes?: number
}

/**
 * Runs `fn` after the current macrotask. Deliveries are paced by macrotasks,
 * not microtasks, so that a receiver which queues what its `message`
 * listener gets and works through it in a promise chain (as js-libp2p's
 * mock muxer and many protocol handlers do) has drained one delivery before
 * the next arrives; on microtasks a sender refilled by `onSendReady()` would
 * outrun such a receiver without limit.
 */
function nextMacrotask (fn: () => void): void {
  if (typeof setImmediate === 'function') {
    setImmediate(fn)
  } else {
    setTimeout(fn, 0)
  }
}

type Item = { data: Uint8ArrayList, dueAt: number } | { end: true, dueAt: number }

/**
 * One direction of an in-process connection between two message streams:
 * carries what `from` sends to `to`, in order, after `delay` ms (or on the
 * next macrotask). The sender learns the link is full when
 * `maxInFlightBytes` are on their way or the receiver asked for a pause
 * (its `sendPause()` calls `pause()`); it is told `onSendReady()` when that
 * clears. Nothing is copied: the receiver gets the sender's arrays.
 *
 * The memory transport and the test pairs wire two of these between two
 * stream subclasses: `sendData` -> `out.send`, `sendCloseWrite` -> `out.end`,
 * `sendReset` -> `out.reset`, `sendPause`/`sendResume` -> `in.pause`/`in.resume`.
 */
export class InMemoryLink {
  public from?: InMemoryLinkEnd
  public to?: InMemoryLinkEnd
  public delay: number
  public maxInFlightBytes: number
  /** The receiver asked the sender to stop (its read buffer is full or it paused). */
  public paused: boolean
  /** Bytes sent and not yet delivered. */
  public inFlight: number

  readonly #queue: Item[]
  #senderBlocked: boolean
  #scheduled: boolean
  #timer?: ReturnType<typeof setTimeout>
  #ended: boolean

  constructor (options: InMemoryLinkOptions = {}) {
    this.delay = options.delay ?? 0
    this.maxInFlightBytes = options.maxInFlightBytes ?? DEFAULT_LINK_MAX_IN_FLIGHT_BYTES
    this.paused = false
    this.inFlight = 0
    this.#queue = []
    this.#senderBlocked = false
    this.#scheduled = false
    this.#ended = false
  }

  send (data: Uint8ArrayList): SendResult {
    if (this.#ended) {
      // the write side closed or the link was reset: nobody will read it
      return { sentBytes: data.byteLength, canSendMore: true }
    }
    if (this.paused) {
      this.#senderBlocked = true
      return { sentBytes: 0, canSendMore: false }
    }
    this.#queue.push({ data, dueAt: Date.now() + this.delay })
    this.inFlight += data.byteLength
    this.#schedule()
    const canSendMore = this.inFlight < this.maxInFlightBytes
    if (!canSendMore) {
      this.#senderBlocked = true
    }
    return { sentBytes: data.byteLength, canSendMore }
  }

  /** The sender closed its write side: deliver the end after the data. */
  end (): void {
    if (this.#ended) {
      return
    }
    this.#ended = true
    this.#queue.push({ end: true, dueAt: Date.now() + this.delay })
    this.#schedule()
  }

  /** The sender reset: drop what is in flight and tell the receiver at once. */
  reset (): void {
    this.#ended = true
    this.#queue.length = 0
    this.inFlight = 0
    this.#clearTimer()
    const to = this.to
    queueMicrotask(() => { to?.onRemoteReset(new StreamResetError('The remote end reset the stream')) })
  }

  /** The receiver will read no more (it closed its read side). */
  closeRead (): void {
    const from = this.from
    queueMicrotask(() => { from?.onRemoteCloseRead() })
  }

  pause (): void {
    this.paused = true
  }

  resume (): void {
    this.paused = false
    this.#maybeReady()
  }

  #maybeReady (): void {
    if (this.#senderBlocked && !this.paused && this.inFlight < this.maxInFlightBytes) {
      this.#senderBlocked = false
      const from = this.from
      // never re-enter the sender from inside the receiver's read path
      queueMicrotask(() => { from?.onSendReady() })
    }
  }

  #schedule (): void {
    if (this.#scheduled) {
      return
    }
    this.#scheduled = true
    if (this.delay <= 0) {
      nextMacrotask(() => { this.#deliver() })
    } else {
      const wait = Math.max(0, (this.#queue[0]?.dueAt ?? Date.now()) - Date.now())
      this.#timer = setTimeout(() => { this.#deliver() }, wait)
    }
  }

  #clearTimer (): void {
    if (this.#timer != null) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    this.#scheduled = false
  }

  #deliver (): void {
    this.#scheduled = false
    this.#timer = undefined
    const now = Date.now()
    while (this.#queue.length > 0 && this.#queue[0].dueAt <= now) {
      const item = this.#queue.shift()
      if (item == null) {
        break
      }
      if ('end' in item) {
        this.to?.onRemoteCloseWrite()
      } else {
        this.inFlight -= item.data.byteLength
        this.to?.onData(item.data)
      }
    }
    if (this.#queue.length > 0) {
      this.#schedule()
    }
    this.#maybeReady()
  }
}
