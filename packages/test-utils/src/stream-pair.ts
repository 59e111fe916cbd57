import { multiaddr } from '@multiformats/multiaddr'
import { AbstractMessageStream, AbstractMultiaddrConnection, AbstractStream, InMemoryLink, defaultLogger } from '@ts-libp2p/utils'
import { DEFAULT_DELAY, DEFAULT_MAX_IN_FLIGHT_BYTES } from './constants.js'
import type { ComponentLogger } from '@ts-libp2p/interface'
import type { MessageStreamInit, SendResult } from '@ts-libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Options for the in-memory pairs. */
export interface PairOptions extends Omit<MessageStreamInit, 'log' | 'direction'> {
  /** Milliseconds each delivery takes in each direction (0: the next macrotask). Default 0. */
  delay?: number
  /** Bytes in flight per direction before `send()` returns false. Default 64 KiB. */
  maxInFlightBytes?: number
  /** Where the ends log; default `ts-libp2p:test-utils:*`. */
  logger?: ComponentLogger
}

interface Wiring {
  /** Carries what this end sends. */
  out: InMemoryLink
  /** Carries what this end receives (this end pauses it). */
  in: InMemoryLink
}

function links (options: PairOptions): [Wiring, Wiring] {
  const init = { delay: options.delay ?? DEFAULT_DELAY, maxInFlightBytes: options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES }
  const aToB = new InMemoryLink(init)
  const bToA = new InMemoryLink(init)
  return [{ out: aToB, in: bToA }, { out: bToA, in: aToB }]
}

function streamInit (options: PairOptions): Omit<MessageStreamInit, 'log' | 'direction'> {
  const { delay, maxInFlightBytes, logger, ...init } = options
  return init
}

let pairs = 0

/** A muxed-style stream: half-close with `close()`, `closeRead()`, id and protocol. */
class PairStream extends AbstractStream {
  readonly #wiring: Wiring

  constructor (wiring: Wiring, init: ConstructorParameters<typeof AbstractStream>[0]) {
    super(init)
    this.#wiring = wiring
  }

  protected sendData (data: Uint8ArrayList): SendResult { return this.#wiring.out.send(data) }
  protected sendReset (): void { this.#wiring.out.reset() }
  protected sendCloseWrite (): void { this.#wiring.out.end() }
  protected sendCloseRead (): void { this.#wiring.in.closeRead() }
  protected sendPause (): void { this.#wiring.in.pause() }
  protected sendResume (): void { this.#wiring.in.resume() }
}

/** A plain message stream: `close()` waits for both sides. */
class PairMessageStream extends AbstractMessageStream {
  readonly #wiring: Wiring

  constructor (wiring: Wiring, init: MessageStreamInit) {
    super(init)
    this.#wiring = wiring
  }

  protected sendData (data: Uint8ArrayList): SendResult { return this.#wiring.out.send(data) }
  protected sendReset (): void { this.#wiring.out.reset() }
  protected sendCloseWrite (): void { this.#wiring.out.end() }
  protected sendPause (): void { this.#wiring.in.pause() }
  protected sendResume (): void { this.#wiring.in.resume() }
}

/** A raw connection: the end of the remote's bytes ends ours too. */
class PairMultiaddrConnection extends AbstractMultiaddrConnection {
  readonly #wiring: Wiring

  constructor (wiring: Wiring, init: ConstructorParameters<typeof AbstractMultiaddrConnection>[0]) {
    super(init)
    this.#wiring = wiring
  }

  protected sendData (data: Uint8ArrayList): SendResult { return this.#wiring.out.send(data) }
  protected sendReset (): void { this.#wiring.out.reset() }
  protected sendCloseWrite (): void { this.#wiring.out.end() }
  protected sendPause (): void { this.#wiring.in.pause() }
  protected sendResume (): void { this.#wiring.in.resume() }
}

function connect (a: any, b: any, [wa, wb]: [Wiring, Wiring]): void {
  wa.out.from = a
  wa.out.to = b
  wb.out.from = b
  wb.out.to = a
}

/**
 * Two connected muxed-style streams (`Stream`s), `[outbound, inbound]`: what one sends
 * the other receives, with backpressure (a full link makes `send()` return
 * false until the receiver reads), half-close, closeRead and reset carried
 * across. Use it to test a protocol handler without a muxer.
 *
 * @example
 *
 * ```ts
 * const [dialer, listener] = streamPair({ protocol: '/echo/1.0.0' })
 * void echo(listener)
 * dialer.send(Uint8Array.of(1, 2, 3))
 * await dialer.close()
 * for await (const chunk of dialer) { ... } // 1, 2, 3
 * ```
 */
export function streamPair (options: PairOptions & { protocol?: string } = {}): [AbstractStream, AbstractStream] {
  const n = pairs++
  const log = (options.logger ?? defaultLogger()).forComponent(`test-utils:stream-pair:${n}`)
  const { protocol, ...rest } = options
  const wiring = links(rest)
  const init = streamInit(rest)
  const a = new PairStream(wiring[0], { ...init, id: `${n}`, protocol, direction: 'outbound', log: log.newScope('outbound') })
  const b = new PairStream(wiring[1], { ...init, id: `${n}`, protocol, direction: 'inbound', log: log.newScope('inbound') })
  connect(a, b, wiring)
  return [a, b]
}

/**
 * Two connected plain message streams, `[outbound, inbound]`, like
 * {@link streamPair} but with the base `close()`: it flushes, closes the
 * write side and waits until the other end has closed too.
 */
export function messageStreamPair (options: PairOptions = {}): [AbstractMessageStream, AbstractMessageStream] {
  const n = pairs++
  const log = (options.logger ?? defaultLogger()).forComponent(`test-utils:message-stream-pair:${n}`)
  const wiring = links(options)
  const init = streamInit(options)
  const a = new PairMessageStream(wiring[0], { ...init, direction: 'outbound', log: log.newScope('outbound') })
  const b = new PairMessageStream(wiring[1], { ...init, direction: 'inbound', log: log.newScope('inbound') })
  connect(a, b, wiring)
  return [a, b]
}

/**
 * Two connected raw connections, `[outbound, inbound]`, as a transport would
 * produce before the upgrade: no half-close (when one end closes, the other
 * follows once its queued bytes are out). Hand them to an encrypter's
 * `secureOutbound`/`secureInbound` or a muxer factory. Each end's
 * `remoteAddr` is a `/memory/...` address naming the other end.
 */
export function multiaddrConnectionPair (options: PairOptions = {}): [AbstractMultiaddrConnection, AbstractMultiaddrConnection] {
  const n = pairs++
  const log = (options.logger ?? defaultLogger()).forComponent(`test-utils:connection-pair:${n}`)
  const wiring = links(options)
  const init = streamInit(options)
  const a = new PairMultiaddrConnection(wiring[0], { ...init, direction: 'outbound', log: log.newScope('outbound'), remoteAddr: multiaddr(`/memory/test-utils-${n}-inbound`) })
  const b = new PairMultiaddrConnection(wiring[1], { ...init, direction: 'inbound', log: log.newScope('inbound'), remoteAddr: multiaddr(`/memory/test-utils-${n}-outbound`) })
  connect(a, b, wiring)
  return [a, b]
}
