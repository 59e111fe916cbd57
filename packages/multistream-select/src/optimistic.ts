/**
 * Optimistic (lazy) select: the dialer with a single protocol does not wait
 * for the listener. The header and the protocol are sent with the first data
 * the application writes, and the listener's answer is checked before the
 * application sees any received byte. This saves a round trip on every stream
 * (go-multistream `NewMSSelect`, used by go-libp2p when it knows the peer
 * speaks the protocol; js-libp2p before v3). The price: if the listener
 * refuses, the data already sent is wasted and the stream is aborted.
 *
 * Why the stream's own methods are wrapped: the result must stay the very
 * stream object the caller passed (a muxed `Stream` with its id, status and
 * protocol fields, kept up to date by its muxer), so rather than returning a
 * proxy object this module shadows a few methods on the instance while the
 * answer is outstanding and removes them once it is checked:
 * - `send()`: the first call carries the negotiation bytes in front of the
 *   data (as one Uint8ArrayList, the data is not copied).
 * - `addEventListener('message')`, `[Symbol.asyncIterator]`: the first read
 *   sends the negotiation if nothing was sent yet, and readers are held back
 *   until the answer has been consumed, so they never see negotiation bytes.
 * - `pause()`, `resume()`: remembered and applied after the check, so a
 *   paused reader cannot stall the check itself.
 * - `close()`: sends the negotiation if needed and waits for the answer, so
 *   the listener can finish before we close (go-multistream does the same).
 */

import { UnsupportedProtocolError } from '@ts-libp2p/interface'
import { raceSignal, throwIfAborted } from '@ts-libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { encodeMessages } from './codec.js'
import { PROTOCOL_ID } from './constants.js'
import { SelectNegotiation } from './dialer.js'
import { negotiationSignal, runNegotiation } from './negotiate.js'
import type { SelectOptions } from './index.js'
import type { Negotiation } from './negotiation.js'
import type { AbortOptions, Logger, MessageStream } from '@ts-libp2p/interface'

type Key = 'send' | 'addEventListener' | 'removeEventListener' | 'close' | 'pause' | 'resume' | typeof Symbol.asyncIterator
const KEYS: Key[] = ['send', 'addEventListener', 'removeEventListener', 'close', 'pause', 'resume', Symbol.asyncIterator]

interface HeldListener {
  listener: any
  options?: boolean | AddEventListenerOptions
}

/** True when the stream's methods can be shadowed for optimistic select. */
export function canSelectOptimistically (stream: MessageStream): boolean {
  return Object.isExtensible(stream) && KEYS.every(key => {
    const own = Object.getOwnPropertyDescriptor(stream, key)
    return own == null || own.configurable === true
  })
}

/**
 * Starts an optimistic select of `protocol` on `stream`; see the module
 * comment. Returns at once. A refusal, a malformed answer or the time limit
 * (`options.timeout`, `options.signal`, counted from when the negotiation is
 * sent) aborts the stream with UnsupportedProtocolError, ProtocolError,
 * InvalidMessageError, TimeoutError or AbortError.
 */
export function optimisticSelect (stream: MessageStream, protocol: string, options: SelectOptions, log: Logger): void {
  const writable = stream as any
  const saved = new Map<Key, PropertyDescriptor | undefined>(KEYS.map(key => [key, Object.getOwnPropertyDescriptor(stream, key)]))
  const original = {
    send: stream.send,
    addEventListener: stream.addEventListener,
    removeEventListener: stream.removeEventListener
  }
  // what the answer check reads through: the stream, but subscribing with
  // its own addEventListener rather than the shadow that holds readers back
  const unshadowed = new Proxy(stream, {
    get (target, key) {
      if (key === 'addEventListener' || key === 'removeEventListener') {
        return original[key].bind(target)
      }
      const value = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })

  const negotiationBytes = options.headerExchanged === true
    ? encodeMessages(protocol)
    : encodeMessages(PROTOCOL_ID, protocol)
  const held: HeldListener[] = []
  let sent = false
  let pausedByApplication: boolean | undefined
  let failure: Error | undefined
  let answer: Promise<void> | undefined

  const shadow = (key: Key, value: unknown): void => {
    Object.defineProperty(stream, key, { value, configurable: true, writable: true, enumerable: false })
  }
  const restore = (key: Key): void => {
    const descriptor = saved.get(key)
    if (descriptor != null) {
      Object.defineProperty(stream, key, descriptor)
    } else {
      delete writable[key]
    }
  }

  /** Reads and checks the listener's answer, then hands the stream back. */
  const checkAnswer = async (): Promise<void> => {
    const signal = negotiationSignal(options, `optimistic multistream-select of ${protocol}`)
    const machine = new SelectNegotiation([protocol], options)
    const afterStart: Negotiation<string> = {
      start: () => undefined,
      get nextMessageLimit () { return machine.nextMessageLimit },
      onMessage: (body) => machine.onMessage(body)
    }
    try {
      const { rest } = await runNegotiation(unshadowed, afterStart, signal)
      log.trace('optimistic select of %s confirmed', protocol)
      KEYS.forEach(restore)
      for (const { listener, options } of held.splice(0)) {
        stream.addEventListener('message', listener, options)
      }
      if (pausedByApplication === true) {
        stream.pause()
      }
      if (rest.byteLength > 0) {
        stream.unshift(rest)
      }
    } catch (err: any) {
      failure = err.name === UnsupportedProtocolError.name
        ? new UnsupportedProtocolError(`The remote does not support ${JSON.stringify(protocol)} (optimistic select)`)
        : err
      log.trace('optimistic select of %s failed - %s', protocol, err.message)
      KEYS.forEach(restore)
      held.splice(0)
      stream.abort(failure as Error)
    } finally {
      signal.clear()
    }
  }

  /** Marks the negotiation as sent and starts reading the answer. */
  const startAnswer = (): Promise<void> => {
    sent = true
    restore('send')
    answer = checkAnswer()
    return answer
  }

  /** Sends the negotiation alone (on a read or close before any write). */
  const sendAlone = (): Promise<void> => {
    if (answer != null) {
      return answer
    }
    original.send.call(stream, negotiationBytes)
    return startAnswer()
  }

  /** Waits for the answer check; throws its failure. */
  const awaitAnswer = async (signal?: AbortSignal): Promise<void> => {
    throwIfAborted(signal)
    await raceSignal(sendAlone(), signal)
    if (failure != null) {
      throw failure
    }
  }

  shadow('send', function send (data: Uint8Array | Uint8ArrayList): boolean {
    if (sent) {
      return original.send.call(stream, data)
    }
    // one write: the negotiation, then the application's bytes, uncopied
    const accepted = original.send.call(stream, new Uint8ArrayList(negotiationBytes, data))
    void startAnswer()
    return accepted
  })

  shadow('addEventListener', function addEventListener (type: string, listener: any, listenerOptions?: boolean | AddEventListenerOptions): void {
    if (type !== 'message' || listener == null) {
      original.addEventListener.call(stream, type as any, listener, listenerOptions)
      return
    }
    held.push({ listener, options: listenerOptions })
    void sendAlone()
  })

  shadow('removeEventListener', function removeEventListener (type: string, listener: any, listenerOptions?: boolean | EventListenerOptions): void {
    if (type === 'message') {
      const capture = typeof listenerOptions === 'boolean' ? listenerOptions : listenerOptions?.capture === true
      const index = held.findIndex(h => h.listener === listener && (typeof h.options === 'boolean' ? h.options : h.options?.capture === true) === capture)
      if (index !== -1) {
        held.splice(index, 1)
        return
      }
    }
    original.removeEventListener.call(stream, type as any, listener, listenerOptions)
  })

  shadow(Symbol.asyncIterator, async function * iterate (): AsyncGenerator<Uint8Array | Uint8ArrayList> {
    await awaitAnswer()
    // the shadowing is gone now: read from the stream itself
    yield * stream
  })

  shadow('pause', function pause (): void {
    pausedByApplication = true
  })

  shadow('resume', function resume (): void {
    pausedByApplication = false
  })

  shadow('close', async function close (closeOptions?: AbortOptions): Promise<void> {
    await awaitAnswer(closeOptions?.signal)
    await stream.close(closeOptions)
  })
}
