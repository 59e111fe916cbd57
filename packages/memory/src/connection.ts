import { AbstractMultiaddrConnection, InMemoryLink } from '@ts-libp2p/utils'
import { MAX_IN_FLIGHT_BYTES, MAX_READ_BUFFER_LENGTH } from './constants.js'
import type { Logger } from '@ts-libp2p/interface'
import type { SendResult } from '@ts-libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Options for one end of a memory connection. */
export interface MemoryConnectionInit {
  remoteAddr: Multiaddr
  direction: 'inbound' | 'outbound'
  log: Logger
  /** Carries what this end sends. */
  out: InMemoryLink
  /** Carries what this end receives. */
  in: InMemoryLink
  maxReadBufferLength?: number
}

/**
 * One end of an in-process connection. The bytes of `send()` travel to the
 * other end through a bounded link (no copies), and backpressure is real:
 * the link holds at most `maxInFlightBytes`, and an end whose reader falls
 * behind pauses it, so a fast writer waits for `drain` instead of filling
 * memory. Closing one end closes the other once the bytes in flight are
 * delivered, as a socket's FIN does; aborting one end resets the other.
 */
export class MemoryMultiaddrConnection extends AbstractMultiaddrConnection {
  readonly #out: InMemoryLink
  readonly #in: InMemoryLink

  constructor (init: MemoryConnectionInit) {
    super({
      remoteAddr: init.remoteAddr,
      direction: init.direction,
      log: init.log,
      maxReadBufferLength: init.maxReadBufferLength ?? MAX_READ_BUFFER_LENGTH
    })
    this.#out = init.out
    this.#in = init.in
  }

  protected sendData (data: Uint8ArrayList): SendResult {
    return this.#out.send(data)
  }

  protected sendCloseWrite (): void {
    this.#out.end()
  }

  protected sendReset (): void {
    this.#out.reset()
  }

  protected sendPause (): void {
    this.#in.pause()
  }

  protected sendResume (): void {
    this.#in.resume()
  }
}

/** Options for {@link connectionPair}. */
export interface ConnectionPairInit {
  /** The dialer's view of the listener. */
  listenerAddr: Multiaddr
  /** The listener's view of the dialer. */
  dialerAddr: Multiaddr
  dialerLog: Logger
  listenerLog: Logger
  latency: number
  maxInFlightBytes?: number
  maxReadBufferLength?: number
}

/** Two connected ends: `[dialer's outbound end, listener's inbound end]`. */
export function connectionPair (init: ConnectionPairInit): [MemoryMultiaddrConnection, MemoryMultiaddrConnection] {
  const linkInit = { delay: init.latency, maxInFlightBytes: init.maxInFlightBytes ?? MAX_IN_FLIGHT_BYTES }
  const toListener = new InMemoryLink(linkInit)
  const toDialer = new InMemoryLink(linkInit)
  const outbound = new MemoryMultiaddrConnection({
    remoteAddr: init.listenerAddr,
    direction: 'outbound',
    log: init.dialerLog,
    out: toListener,
    in: toDialer,
    maxReadBufferLength: init.maxReadBufferLength
  })
  const inbound = new MemoryMultiaddrConnection({
    remoteAddr: init.dialerAddr,
    direction: 'inbound',
    log: init.listenerLog,
    out: toDialer,
    in: toListener,
    maxReadBufferLength: init.maxReadBufferLength
  })
  toListener.from = outbound
  toListener.to = inbound
  toDialer.from = inbound
  toDialer.to = outbound
  return [outbound, inbound]
}
