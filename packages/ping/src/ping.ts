import { ProtocolError, TimeoutError, isPeerId, serviceCapabilities } from '@ts-libp2p/interface'
import { anySignal, byteStream } from '@ts-libp2p/utils'
import { equals as equalBytes } from 'multiformats/bytes'
import { CLOSE_GRACE, MAX_BUFFERED_BYTES, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, PING_LENGTH, PROTOCOL, RTT_METADATA_KEY, TIMEOUT } from './constants.js'
import { PingMismatchError } from './errors.js'
import type { Ping, PingComponents, PingInit } from './index.js'
import type { AbortOptions, Connection, Logger, PeerId, Startable, Stream } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A signal that fires with our typed TimeoutError after `ms`. */
export function timeoutSignal (ms: number, message: string): { signal: AbortSignal, clear(): void } {
  const controller = new AbortController()
  const timer = setTimeout(() => { controller.abort(new TimeoutError(message)) }, ms)
  timer.unref?.()
  return { signal: controller.signal, clear: () => { clearTimeout(timer) } }
}


/**
 * The ping service: answers `/ipfs/ping/1.0.0` streams by echoing each
 * 32-byte payload, and measures the round trip to other peers.
 */
export class PingService implements Ping, Startable {
  readonly protocol = PROTOCOL
  readonly [Symbol.toStringTag] = '@ts-libp2p/ping'
  readonly [serviceCapabilities]: string[] = ['@libp2p/ping']

  readonly #components: PingComponents
  readonly #log: Logger
  readonly #timeout: number
  readonly #maxInboundStreams: number
  readonly #runOnLimitedConnection: boolean
  /** The ping in progress per connection: the spec allows one outbound stream per peer. */
  readonly #inFlight = new WeakMap<Connection, Promise<unknown>>()
  /** Our last ping stream per connection while the listener is still closing it. */
  readonly #closing = new WeakMap<Connection, Stream>()
  #shutdown?: AbortController

  constructor (components: PingComponents, init: PingInit = {}) {
    this.#components = components
    this.#log = components.logger.forComponent('ping')
    this.#timeout = init.timeout ?? TIMEOUT
    this.#maxInboundStreams = init.maxInboundStreams ?? MAX_INBOUND_STREAMS
    this.#runOnLimitedConnection = init.runOnLimitedConnection ?? true
    this.handlePing = this.handlePing.bind(this)
  }

  async start (): Promise<void> {
    this.#shutdown = new AbortController()
    await this.#components.registrar.handle(PROTOCOL, this.handlePing, {
      maxInboundStreams: this.#maxInboundStreams,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: this.#runOnLimitedConnection
    })
  }

  async stop (): Promise<void> {
    await this.#components.registrar.unhandle(PROTOCOL)
    this.#shutdown?.abort(new ProtocolError('The ping service stopped'))
    this.#shutdown = undefined
  }

  /**
   * The listener side: echoes every 32-byte payload until the dialer closes
   * its write side, then closes ours. A payload that does not arrive within
   * the timeout, a trailing partial payload or more than
   * {@link MAX_BUFFERED_BYTES} unread bytes abort the stream.
   */
  async handlePing (stream: Stream, connection: Connection): Promise<void> {
    const log = stream.log.newScope('ping')
    const bytes = byteStream(stream, { maxBufferSize: MAX_BUFFERED_BYTES })
    let pings = 0
    try {
      while (true) {
        const { signal, clear } = this.#timed(`No ping payload from ${connection.remotePeer} within ${this.#timeout} ms`)
        try {
          if (!await bytes.fill(PING_LENGTH, { signal })) {
            if (bytes.bufferedLength > 0) {
              throw new ProtocolError(`${connection.remotePeer} ended the ping stream inside a payload (${bytes.bufferedLength} of ${PING_LENGTH} bytes)`)
            }
            break
          }
          const payload = await bytes.read({ bytes: PING_LENGTH, signal })
          await bytes.write(payload, { signal })
          pings++
        } finally {
          clear()
        }
      }
      const { signal, clear } = this.#timed(`Closing the ping stream to ${connection.remotePeer} took over ${this.#timeout} ms`)
      try {
        await stream.close({ signal })
      } finally {
        clear()
      }
      log('answered %d ping(s) from %p', pings, connection.remotePeer)
    } catch (err: any) {
      log('ping stream from %p failed after %d ping(s) - %e', connection.remotePeer, pings, err)
      stream.abort(err)
    }
  }

  async ping (peer: PeerId | Multiaddr | Multiaddr[], options: AbortOptions = {}): Promise<number> {
    const timeout = timeoutSignal(this.#timeout, `Ping to ${describeTarget(peer)} timed out after ${this.#timeout} ms`)
    const signal = anySignal([options.signal, timeout.signal])
    try {
      signal.throwIfAborted()
      const connection = await this.#components.connectionManager.openConnection(peer, { signal })
      // one outbound ping stream per connection at a time (spec): later pings wait their turn
      const previous = this.#inFlight.get(connection) ?? Promise.resolve()
      const current = previous.catch(() => {}).then(async () => this.#pingOn(connection, signal))
      this.#inFlight.set(connection, current)
      try {
        return await current
      } finally {
        if (this.#inFlight.get(connection) === current) this.#inFlight.delete(connection)
      }
    } catch (err: any) {
      // a timeout or abort that fired while waiting elsewhere surfaces as its reason
      if (signal.aborted && err?.name !== 'PingMismatchError') throw signal.reason instanceof Error ? signal.reason : err
      throw err
    } finally {
      signal.clear()
      timeout.clear()
    }
  }

  async #pingOn (connection: Connection, signal: AbortSignal): Promise<number> {
    signal.throwIfAborted()
    // at most one outbound ping stream per peer (ping.md): end the previous one if it still lingers
    const lingering = this.#closing.get(connection)
    if (lingering != null && lingering.status === 'open') lingering.abort(new ProtocolError('A newer ping stream replaces this one'))
    // negotiate before the clock starts, so the first RTT is not a multistream-select round trip
    const stream = await connection.newStream(PROTOCOL, { signal, runOnLimitedConnection: this.#runOnLimitedConnection, negotiateFully: true })
    try {
      const bytes = byteStream(stream, { maxBufferSize: MAX_BUFFERED_BYTES })
      const payload = crypto.getRandomValues(new Uint8Array(PING_LENGTH))
      const start = performance.now()
      await bytes.write(payload, { signal })
      const echo = await bytes.read({ bytes: PING_LENGTH, signal })
      const rtt = performance.now() - start
      if (!equalBytes(payload, echo.subarray())) {
        throw new PingMismatchError(`${connection.remotePeer} echoed a different ping payload (after ${rtt.toFixed(3)} ms)`)
      }
      await this.#record(connection, rtt)
      // the RTT is known: close our write side and let the listener finish its own (ping.md) in the background
      this.#closing.set(connection, stream)
      void this.#finish(connection, stream, bytes)
      return rtt
    } catch (err: any) {
      stream.abort(err)
      throw err
    }
  }

  /** Half-closes, then waits (bounded) for the listener to close; anything else it sends is a protocol error. */
  async #finish (connection: Connection, stream: Stream, bytes: ReturnType<typeof byteStream>): Promise<void> {
    const signal = AbortSignal.timeout(CLOSE_GRACE)
    try {
      await stream.close({ signal })
      const rest = await bytes.read({ signal })
      if (rest != null) throw new ProtocolError(`${connection.remotePeer} sent ${rest.byteLength} bytes after the last ping echo`)
    } catch (err: any) {
      this.#log('ping stream to %p did not finish cleanly - %e', connection.remotePeer, err)
      stream.abort(err)
    } finally {
      if (this.#closing.get(connection) === stream) this.#closing.delete(connection)
    }
  }

  async #record (connection: Connection, rtt: number): Promise<void> {
    connection.rtt = rtt
    const peerStore = this.#components.peerStore
    if (peerStore == null) return
    try {
      await peerStore.merge(connection.remotePeer, {
        metadata: { [RTT_METADATA_KEY]: new TextEncoder().encode(String(rtt)) }
      })
    } catch (err: any) {
      this.#log('could not record the RTT of %p - %e', connection.remotePeer, err)
    }
  }

  #timed (message: string): { signal: AbortSignal, clear(): void } {
    const timeout = timeoutSignal(this.#timeout, message)
    const signal = anySignal([this.#shutdown?.signal, timeout.signal])
    return { signal, clear: () => { signal.clear(); timeout.clear() } }
  }
}

/** The ping target as text, for errors. */
function describeTarget (peer: PeerId | Multiaddr | Multiaddr[]): string {
  if (isPeerId(peer)) return peer.toString()
  return Array.isArray(peer) ? peer.map(String).join(', ') : peer.toString()
}
