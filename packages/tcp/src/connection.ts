import { TimeoutError } from '@ts-libp2p/interface'
import { AbstractMultiaddrConnection } from '@ts-libp2p/utils'
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_MAX_READ_BUFFER_LENGTH } from './constants.js'
import { toSocketError } from './errors.js'
import type { AbortOptions, CounterGroup, Logger, MessageStreamDirection } from '@ts-libp2p/interface'
import type { SendResult } from '@ts-libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Socket } from 'node:net'
import type { Uint8ArrayList } from 'uint8arraylist'

const OWNER = Symbol('ts-libp2p tcp connection')

/** A socket that knows the connection wrapping it (see the socket listeners below). */
type OwnedSocket = Socket & { [OWNER]?: TcpMultiaddrConnection }

/** Options for wrapping one connected socket. */
export interface TcpConnectionInit {
  /** A connected socket created with `allowHalfOpen: true` (we decide when to end our side). */
  socket: Socket
  /** The remote's address. */
  remoteAddr: Multiaddr
  direction: MessageStreamDirection
  log: Logger
  /** Reset the socket after this many ms without bytes either way; 0 disables it. */
  inactivityTimeout?: number
  /** How long `close()` waits for the remote's FIN before resetting. Default 500 ms. */
  closeTimeout?: number
  /** Unread bytes held before the connection aborts. Default 4 MiB. */
  maxReadBufferLength?: number
  /** Counts close causes (`close`, `reset`, `timeout`, `error`). */
  events?: CounterGroup
}

/**
 * A TCP socket as a libp2p MultiaddrConnection.
 *
 * Writes go straight to `socket.write()` (the caller's arrays, no copy);
 * when it returns false `send()` returns false and `drain` follows the
 * socket's. When the reader falls behind the socket is paused, so the
 * kernel's receive window, not our memory, holds back a fast sender.
 * `close()` ends our side (FIN), waits for the remote's, and resets the
 * socket if that takes longer than `closeTimeout`; `abort()` resets it at
 * once. Errors from the socket become typed errors (StreamResetError for
 * ECONNRESET/EPIPE, TimeoutError after inactivity).
 */
export class TcpMultiaddrConnection extends AbstractMultiaddrConnection {
  /** The wrapped socket. */
  public readonly socket: Socket
  /** See {@link TcpConnectionInit.closeTimeout}. */
  public closeTimeout: number
  readonly #events?: CounterGroup
  #socketError?: Error

  constructor (init: TcpConnectionInit) {
    super({
      remoteAddr: init.remoteAddr,
      direction: init.direction,
      log: init.log,
      inactivityTimeout: init.inactivityTimeout,
      maxReadBufferLength: init.maxReadBufferLength ?? DEFAULT_MAX_READ_BUFFER_LENGTH
    })
    this.socket = init.socket
    this.closeTimeout = init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT
    this.#events = init.events
    const socket = init.socket as OwnedSocket
    // the same five functions for every socket, finding their connection through the socket: five closures
    // and their context per connection were about 300 bytes of heap on each side of every open connection
    socket[OWNER] = this
    socket.on('data', TcpMultiaddrConnection.#onSocketData)
    socket.on('end', TcpMultiaddrConnection.#onSocketEnd)
    socket.on('drain', TcpMultiaddrConnection.#onSocketDrain)
    socket.on('error', TcpMultiaddrConnection.#onSocketError)
    socket.on('close', TcpMultiaddrConnection.#onSocketClose)
    if (this.#events != null) {
      // a listener costs a few hundred bytes per connection: only when counted
      const events = this.#events
      this.addEventListener('idle', () => {
        events.increment({ timeout: true })
      })
    }
  }

  /** The socket's `error` event (`this` is the socket). */
  static #onSocketError (this: OwnedSocket, err: Error): void {
    const connection = this[OWNER]
    if (connection == null) return
    connection.#socketError ??= toSocketError(err, `socket to ${connection.remoteAddr.toString()}`)
    connection.log('socket error - %e', err)
  }

  /** The socket's `close` event (`this` is the socket). */
  static #onSocketClose (this: OwnedSocket): void {
    const connection = this[OWNER]
    if (connection == null) return
    const err = connection.#socketError
    if (err?.name === 'StreamResetError') {
      connection.#events?.increment({ reset: true })
      connection.onRemoteReset(err)
    } else if (err != null) {
      connection.#events?.increment({ error: true })
      connection.onTransportClosed(err)
    } else {
      connection.onTransportClosed()
    }
  }

  /** The socket's `data` event (`this` is the socket). */
  static #onSocketData (this: OwnedSocket, buf: Buffer): void {
    this[OWNER]?.onData(buf)
  }

  /** The socket's `end` event (`this` is the socket). */
  static #onSocketEnd (this: OwnedSocket): void {
    this[OWNER]?.onRemoteCloseWrite()
  }

  /** The socket's `drain` event (`this` is the socket). */
  static #onSocketDrain (this: OwnedSocket): void {
    this[OWNER]?.onSendReady()
  }

  /** Both sides are done (or we reset): release the descriptor now. */
  protected override onFinished (): void {
    if (!this.socket.destroyed) {
      this.socket.destroy()
    }
  }

  protected sendData (data: Uint8ArrayList): SendResult {
    const socket = this.socket
    const length = data.byteLength
    const first: Uint8Array = data[Symbol.iterator]().next().value
    if (first.byteLength === length) {
      // the common case (one write of the caller's): no cork, no array
      return { sentBytes: length, canSendMore: socket.write(first) }
    }
    // several arrays become one writev
    socket.cork()
    for (const buf of data) {
      socket.write(buf)
    }
    socket.uncork()
    return { sentBytes: length, canSendMore: socket.writableLength < socket.writableHighWaterMark }
  }

  protected sendCloseWrite (): void {
    this.socket.end()
  }

  protected sendReset (): void {
    const socket = this.socket
    if (socket.destroyed) {
      return
    }
    // An RST (resetAndDestroy) only while our write side is open: after
    // end() libuv refuses to reset a socket that is shutting down, and Node
    // 20 then never closes the handle (the process spins at exit).
    if (socket.connecting || socket.writableEnded || socket.readyState !== 'open') {
      socket.destroy()
      return
    }
    try {
      socket.resetAndDestroy()
    } catch {
      socket.destroy()
    }
  }

  protected sendPause (): void {
    this.socket.pause()
  }

  protected sendResume (): void {
    this.socket.resume()
  }

  /**
   * Ends our side (after flushing what is queued), waits for the remote to
   * end its side, and resets the socket when that takes longer than
   * `closeTimeout`: a graceful close never hangs on a silent peer. The
   * signal aborts the connection (and the call rejects with its reason).
   */
  override async close (options?: AbortOptions): Promise<void> {
    const status = this.status
    if (status === 'closed' || status === 'aborted' || status === 'reset') {
      return
    }
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      this.log('remote did not close within %d ms, resetting', this.closeTimeout)
      this.#events?.increment({ close_timeout: true })
      this.abort(new TimeoutError(`The socket to ${this.remoteAddr.toString()} did not close within ${this.closeTimeout} ms`))
    }, this.closeTimeout)
    timer.unref?.()
    try {
      await super.close(options)
      this.#events?.increment({ close: true })
    } catch (err: any) {
      if (timedOut) {
        // the socket is gone, which is what close() promised
        return
      }
      this.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    } finally {
      clearTimeout(timer)
    }
  }
}
