/**
 * Runs a dialer or listener state machine over a MessageStream: writes what
 * it asks for (with backpressure), feeds it the messages that arrive, and when
 * it is done puts any bytes read past the negotiation back on the stream.
 */

import { AbortError, ProtocolError, TimeoutError } from '@ts-libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import { MessageDecoder } from './codec.js'
import { NEGOTIATION_TIMEOUT } from './constants.js'
import type { Negotiation } from './negotiation.js'
import type { AbortOptions, MessageStream, StreamCloseEvent, StreamMessageEvent } from '@ts-libp2p/interface'

/** Options of one negotiation. */
export interface NegotiateOptions extends AbortOptions {
  /**
   * Time limit for the whole negotiation in ms, on top of `signal`
   * (default NEGOTIATION_TIMEOUT; 0 or Infinity disables it).
   */
  timeout?: number
}

/** A signal that fires on the caller's abort or the negotiation timeout, with a typed reason. */
export interface NegotiationSignal {
  signal: AbortSignal
  /** Releases the timer and the listener on the caller's signal. */
  clear(): void
}

/**
 * Combines the caller's signal and the time limit. The resulting signal's
 * reason is a TimeoutError when time ran out (or the caller's own signal was
 * a timeout) and an AbortError otherwise.
 */
export function negotiationSignal (options: NegotiateOptions = {}, what = 'multistream-select negotiation'): NegotiationSignal {
  const controller = new AbortController()
  const timeout = options.timeout ?? NEGOTIATION_TIMEOUT
  let timer: ReturnType<typeof setTimeout> | undefined
  const parent = options.signal

  const onParentAbort = (): void => {
    const reason: unknown = parent?.reason
    controller.abort((reason as Error | undefined)?.name === 'TimeoutError'
      ? new TimeoutError(`${what} timed out`)
      : new AbortError(`${what} was aborted`))
  }

  if (parent?.aborted === true) {
    onParentAbort()
  } else {
    parent?.addEventListener('abort', onParentAbort, { once: true })
    if (timeout > 0 && Number.isFinite(timeout)) {
      timer = setTimeout(() => {
        controller.abort(new TimeoutError(`${what} did not finish within ${timeout} ms`))
      }, timeout)
    }
  }

  return {
    signal: controller.signal,
    clear () {
      clearTimeout(timer)
      parent?.removeEventListener('abort', onParentAbort)
    }
  }
}

/**
 * Sends bytes and, when the stream asks for it, waits for `drain`.
 */
export async function write (stream: MessageStream, data: Uint8Array | Uint8ArrayList, signal: AbortSignal): Promise<void> {
  if (!stream.send(data)) {
    await stream.onDrain({ signal })
  }
}

/**
 * Collects the chunks a stream delivers through `message` events until it is
 * released. `read()` resolves with the next chunk, with null when the remote
 * closed its write side or the stream closed cleanly, and rejects when the
 * stream closed with an error or `signal` fired.
 */
export class ChunkReader {
  private readonly events: StreamEvents
  private readonly chunks: Array<Uint8Array | Uint8ArrayList> = []
  private ended = false
  private failure?: Error
  private wake?: () => void

  constructor (stream: MessageStream, events: StreamEvents = stream) {
    this.events = events
    this.onMessage = this.onMessage.bind(this)
    this.onEnd = this.onEnd.bind(this)
    this.onClose = this.onClose.bind(this)
    if (stream.readableEnded || stream.status === 'closed') {
      this.ended = true
    } else if (stream.status === 'aborted' || stream.status === 'reset') {
      this.failure = new ProtocolError(`The stream was ${stream.status} before multistream-select finished`)
    }
    events.addEventListener('message', this.onMessage)
    events.addEventListener('remoteCloseWrite', this.onEnd)
    events.addEventListener('close', this.onClose)
  }

  private onMessage (evt: StreamMessageEvent): void {
    this.chunks.push(evt.data)
    this.wake?.()
  }

  private onEnd (): void {
    this.ended = true
    this.wake?.()
  }

  private onClose (evt: StreamCloseEvent): void {
    if (evt.error != null) {
      this.failure = evt.error
    }
    this.ended = true
    this.wake?.()
  }

  /** The next chunk, or null at the end of the stream. */
  async read (signal: AbortSignal): Promise<Uint8Array | Uint8ArrayList | null> {
    for (;;) {
      const chunk = this.chunks.shift()
      if (chunk != null) {
        return chunk
      }
      if (this.failure != null) {
        throw this.failure
      }
      if (this.ended) {
        return null
      }
      if (signal.aborted) {
        throw signal.reason
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          this.wake = undefined
          reject(signal.reason)
        }
        this.wake = () => {
          this.wake = undefined
          signal.removeEventListener('abort', onAbort)
          resolve()
        }
        signal.addEventListener('abort', onAbort, { once: true })
      })
    }
  }

  /**
   * Stops listening. Returns chunks that were delivered but not read, so the
   * caller can put them back on the stream.
   */
  release (): Array<Uint8Array | Uint8ArrayList> {
    this.events.removeEventListener('message', this.onMessage)
    this.events.removeEventListener('remoteCloseWrite', this.onEnd)
    this.events.removeEventListener('close', this.onClose)
    return this.chunks.splice(0)
  }
}

/** Where a reader subscribes to stream events; the stream itself unless a wrapper must be bypassed. */
export interface StreamEvents {
  addEventListener: MessageStream['addEventListener']
  removeEventListener: MessageStream['removeEventListener']
}

/** What a finished negotiation produced. */
export interface NegotiationOutcome<R> {
  /** The machine's result. */
  value: R
  /** Bytes read past the last negotiation message, in order, not copied. */
  rest: Uint8ArrayList
}

/**
 * Drives `machine` over `stream` until it finishes, and returns its result
 * with the bytes that arrived after its last message (without putting them
 * back: see `negotiate()`).
 *
 * Answers to messages that arrive together are sent in one write.
 *
 * @throws whatever the machine throws, ProtocolError when the stream ends
 * first, TimeoutError or AbortError when `signal` fires
 */
export async function runNegotiation<R> (stream: MessageStream, machine: Negotiation<R>, signal: AbortSignal, events: StreamEvents = stream): Promise<NegotiationOutcome<R>> {
  const decoder = new MessageDecoder()
  const reader = new ChunkReader(stream, events)
  let result: { value: R } | undefined

  try {
    const pending = new Uint8ArrayList()
    const first = machine.start()
    if (first != null) {
      pending.append(first)
    }

    for (;;) {
      let body: Uint8Array | undefined
      while (result == null && (body = decoder.next(machine.nextMessageLimit)) != null) {
        const step = machine.onMessage(body)
        if (step.send != null) {
          pending.append(step.send)
        }
        if (step.done) {
          result = { value: step.result }
        }
      }

      if (pending.byteLength > 0) {
        await write(stream, pending.sublist(), signal)
        pending.consume(pending.byteLength)
      }

      if (result != null) {
        break
      }

      const chunk = await reader.read(signal)
      if (chunk == null) {
        throw new ProtocolError(decoder.bufferedLength > 0
          ? 'The stream ended in the middle of a multistream-select message'
          : 'The stream ended before multistream-select finished')
      }
      decoder.push(chunk)
    }
  } catch (err) {
    reader.release()
    throw err
  }

  // chunks delivered while the last answer was being written come after the
  // bytes already in the decoder
  const rest = decoder.takeRemainder()
  for (const chunk of reader.release()) {
    rest.append(chunk)
  }
  return { value: result.value, rest }
}

/**
 * Drives `machine` over `stream` until it finishes, then puts bytes that
 * arrived after its last message back at the front of the stream's read
 * buffer with `unshift()` (by reference, not copied) for the application.
 *
 * @throws as runNegotiation() does
 */
export async function negotiate<R> (stream: MessageStream, machine: Negotiation<R>, signal: AbortSignal): Promise<R> {
  const { value, rest } = await runNegotiation(stream, machine, signal)
  if (rest.byteLength > 0) {
    stream.unshift(rest)
  }
  return value
}
