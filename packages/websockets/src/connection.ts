import { StreamResetError, TimeoutError } from '@ts-libp2p/interface'
import { AbstractMultiaddrConnection } from '@ts-libp2p/utils'
import {
  BUFFERED_AMOUNT_POLL_INTERVAL, CLOSE_ABNORMAL, CLOSE_GOING_AWAY, CLOSE_MESSAGE_TOO_BIG, CLOSE_NORMAL, CLOSE_NO_STATUS,
  CLOSE_UNSUPPORTED_DATA, DEFAULT_CLOSE_TIMEOUT, DEFAULT_MAX_BUFFERED_AMOUNT, DEFAULT_MAX_READ_BUFFER_LENGTH
} from './constants.js'
import { MessageTooLargeError, TextFrameError, WebSocketClosedError, toWebSocketError } from './errors.js'
import type { SocketDriver } from './socket-types.js'
import type { AbortOptions, Logger, MessageStreamDirection } from '@ts-libp2p/interface'
import type { SendResult } from '@ts-libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Options for wrapping one open WebSocket. */
export interface WebSocketConnectionInit {
  socket: SocketDriver
  remoteAddr: Multiaddr
  direction: MessageStreamDirection
  log: Logger
  /** Terminate after this many ms without bytes either way; 0 disables it. */
  inactivityTimeout?: number
  /** How long `close()` waits for the close handshake before terminating. Default 500 ms. */
  closeTimeout?: number
  /** `bufferedAmount` above which `send()` returns false. Default 256 KiB. */
  maxBufferedAmount?: number
  maxReadBufferLength?: number
  /**
   * Messages that arrived between the socket opening and this object being
   * made (a listener may send its first bytes in the same packet as the
   * upgrade response); they are delivered first, in order.
   */
  earlyMessages?: Array<{ data: any }>
}

/**
 * A WebSocket as a libp2p MultiaddrConnection: every `send()` chunk goes
 * out as one binary message; binary messages received become the stream's
 * bytes, and a text message is a protocol violation (TextFrameError, close
 * 1003). `send()` returns false while `bufferedAmount` is above
 * `maxBufferedAmount`, and a slow reader pauses the socket (Node). A
 * WebSocket cannot half-close: `close()` runs the close handshake (1000)
 * and terminates if it takes longer than `closeTimeout`; `abort()`
 * terminates at once. Close codes become errors: 1000/1001/1005 a clean
 * end, 1006 StreamResetError, 1009 MessageTooLargeError, others
 * WebSocketClosedError.
 */
export class WebSocketMultiaddrConnection extends AbstractMultiaddrConnection {
  public readonly socket: SocketDriver
  public closeTimeout: number
  public maxBufferedAmount: number
  #blocked: boolean
  #pollTimer?: ReturnType<typeof setTimeout>
  #socketError?: Error
  #closeCode?: number

  constructor (init: WebSocketConnectionInit) {
    super({
      remoteAddr: init.remoteAddr,
      direction: init.direction,
      log: init.log,
      inactivityTimeout: init.inactivityTimeout,
      maxReadBufferLength: init.maxReadBufferLength ?? DEFAULT_MAX_READ_BUFFER_LENGTH
    })
    this.socket = init.socket
    this.closeTimeout = init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT
    this.maxBufferedAmount = init.maxBufferedAmount ?? DEFAULT_MAX_BUFFERED_AMOUNT
    this.#blocked = false
    const socket = init.socket

    const onMessage = (event: { data: any }): void => {
      const data = event.data
      if (typeof data === 'string') {
        this.#protocolClose(new TextFrameError(`${this.remoteAddr.toString()} sent a text frame; libp2p over WebSockets uses binary frames only`), CLOSE_UNSUPPORTED_DATA)
        return
      }
      this.onData(data instanceof ArrayBuffer ? new Uint8Array(data) : data)
    }
    for (const event of init.earlyMessages ?? []) onMessage(event)
    socket.addEventListener('message', onMessage)
    socket.addEventListener('error', (event: { error?: any, message?: string }) => {
      const err = event.error ?? new Error(event.message ?? 'WebSocket error')
      this.#socketError ??= toWebSocketError(err, `WebSocket to ${this.remoteAddr.toString()}`)
      this.log('socket error - %e', err)
    })
    socket.addEventListener('close', (event: { code: number, reason?: string }) => {
      this.#stopPolling()
      this.#closeCode = event.code
      this.#onSocketClosed(event.code, String(event.reason ?? ''))
    })
    this.addEventListener('close', () => {
      if (socket.readyState !== 3) {
        socket.terminate()
      }
    })
  }

  /** The close code the WebSocket ended with, once it has. */
  get closeCode (): number | undefined {
    return this.#closeCode
  }

  #onSocketClosed (code: number, reason: string): void {
    const err = this.#socketError
    if (err?.name === 'StreamResetError' || (err == null && code === CLOSE_ABNORMAL)) {
      this.onRemoteReset(err ?? new StreamResetError(`The WebSocket to ${this.remoteAddr.toString()} closed abnormally (1006)`))
      return
    }
    if (err != null) {
      this.onTransportClosed(err)
      return
    }
    if (code === CLOSE_NORMAL || code === CLOSE_GOING_AWAY || code === CLOSE_NO_STATUS) {
      this.onTransportClosed()
      return
    }
    if (code === CLOSE_MESSAGE_TOO_BIG) {
      this.onTransportClosed(new MessageTooLargeError(`${this.remoteAddr.toString()} closed the WebSocket: a message was too big (1009)`))
      return
    }
    if (code === CLOSE_UNSUPPORTED_DATA) {
      this.onTransportClosed(new TextFrameError(`${this.remoteAddr.toString()} closed the WebSocket: unsupported data (1003)`))
      return
    }
    this.onTransportClosed(new WebSocketClosedError(code, reason))
  }

  /** Ends the connection because the peer broke the protocol: close frame with `code`, then terminate. */
  #protocolClose (err: Error, code: number): void {
    this.log('closing with %d - %e', code, err)
    this.#closeCode = code
    try {
      this.socket.close(code, err.name)
    } catch {}
    const socket = this.socket
    setTimeout(() => { socket.terminate() }, this.closeTimeout).unref?.()
    this.abort(err)
  }

  protected sendData (data: Uint8ArrayList): SendResult {
    const socket = this.socket
    const onWritten = socket.writeCallbacks ? this.#onWritten : undefined
    for (const buf of data) {
      socket.send(buf, onWritten)
    }
    const canSendMore = socket.bufferedAmount() < this.maxBufferedAmount
    if (!canSendMore) {
      this.#blocked = true
      if (!socket.writeCallbacks) {
        this.#poll()
      }
    }
    return { sentBytes: data.byteLength, canSendMore }
  }

  readonly #onWritten = (): void => {
    if (this.#blocked && this.socket.bufferedAmount() < this.maxBufferedAmount) {
      this.#blocked = false
      this.onSendReady()
    }
  }

  #poll (): void {
    if (this.#pollTimer != null) {
      return
    }
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined
      if (!this.#blocked) {
        return
      }
      if (this.socket.bufferedAmount() < this.maxBufferedAmount) {
        this.#blocked = false
        this.onSendReady()
      } else {
        this.#poll()
      }
    }, BUFFERED_AMOUNT_POLL_INTERVAL)
  }

  #stopPolling (): void {
    clearTimeout(this.#pollTimer)
    this.#pollTimer = undefined
  }

  protected sendCloseWrite (): void {
    // a WebSocket has no half-close: the close handshake ends both directions
    this.#closeCode ??= CLOSE_NORMAL
    this.socket.close(CLOSE_NORMAL)
  }

  protected sendReset (): void {
    this.#stopPolling()
    if (this.#closeCode === CLOSE_UNSUPPORTED_DATA) {
      // #protocolClose sent the close frame and will terminate
      return
    }
    this.socket.terminate()
  }

  protected sendPause (): void {
    this.socket.pause()
  }

  protected sendResume (): void {
    this.socket.resume()
  }

  /**
   * Runs the close handshake (after flushing what is queued) and terminates
   * when it takes longer than `closeTimeout`. The signal aborts the
   * connection (the call rejects with its reason).
   */
  override async close (options?: AbortOptions): Promise<void> {
    const status = this.status
    if (status === 'closed' || status === 'aborted' || status === 'reset') {
      return
    }
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      this.log('close handshake took longer than %d ms, terminating', this.closeTimeout)
      this.abort(new TimeoutError(`The WebSocket to ${this.remoteAddr.toString()} did not close within ${this.closeTimeout} ms`))
    }, this.closeTimeout)
    timer.unref?.()
    try {
      await super.close(options)
    } catch (err: any) {
      if (timedOut) {
        return
      }
      this.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    } finally {
      clearTimeout(timer)
    }
  }
}
