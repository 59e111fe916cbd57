/**
 * Runs a dialer or listener state machine over a MessageStream: writes what
 * it asks for (with backpressure), feeds it the messages that arrive, and when
 * it is done puts any bytes read past the negotiation back on the stream.
 */

import { ProtocolError, TimeoutError } from '@ts-libp2p/interface'
import { byteStream, deadlineSignal } from '@ts-libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { MessageDecoder } from './codec.js'
import { NEGOTIATION_TIMEOUT } from './constants.js'
import type { Negotiation } from './negotiation.js'
import type { AbortOptions, ClearableSignal, MessageStream } from '@ts-libp2p/interface'

/** Options of one negotiation. */
export interface NegotiateOptions extends AbortOptions {
  /**
   * Time limit for the whole negotiation in ms, on top of `signal`
   * (default NEGOTIATION_TIMEOUT; 0 or Infinity disables it).
   */
  timeout?: number
}

/**
 * Combines the caller's signal with the negotiation's time limit. When time
 * runs out the reason is a TimeoutError; a caller's abort keeps the caller's
 * reason (utils' `abortReason()` turns a bare abort into AbortError).
 * Call `clear()` when the negotiation is over.
 */
export function negotiationSignal (options: NegotiateOptions = {}, what = 'multistream-select negotiation'): ClearableSignal {
  // one controller and one timer (anySignal over a timer's controller made two
  // controllers per negotiation, and every connection runs two to three)
  const timeout = options.timeout ?? NEGOTIATION_TIMEOUT
  return deadlineSignal(options.signal, timeout, () => new TimeoutError(`${what} did not finish within ${timeout} ms`))
}

/**
 * Sends bytes and, when the stream asks for it, waits for `drain`.
 */
export async function write (stream: MessageStream, data: Uint8Array | Uint8ArrayList, signal: AbortSignal): Promise<void> {
  if (!stream.send(data)) {
    await stream.onDrain({ signal })
  }
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
export async function runNegotiation<R> (stream: MessageStream, machine: Negotiation<R>, signal: AbortSignal): Promise<NegotiationOutcome<R>> {
  const decoder = new MessageDecoder()
  // reads whatever has arrived; between reads bytes stay in the stream
  const reader = byteStream(stream)
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

      const chunk = await reader.read({ signal })
      if (chunk == null) {
        throw new ProtocolError(decoder.bufferedLength > 0
          ? 'The stream ended in the middle of a multistream-select message'
          : 'The stream ended before multistream-select finished')
      }
      decoder.push(chunk)
    }
  } finally {
    // nothing is read ahead (read() takes all it holds), so this only
    // retires the reader
    reader.unwrap()
  }

  return { value: result.value, rest: decoder.takeRemainder() }
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
