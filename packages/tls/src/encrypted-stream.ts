/**
 * The secured connection: plaintext in and out of a node:tls TLSSocket,
 * exposed as a libp2p MessageStream.
 */
import { AbstractMessageStream } from '@ts-libp2p/utils'
import type { AbortOptions, MemoryScope, MessageStream } from '@ts-libp2p/interface'
import type { SendResult } from '@ts-libp2p/utils'
import type { TLSSocket } from 'node:tls'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * A MessageStream over an established, verified TLSSocket.
 *
 * Backpressure: `sendData()` reports the socket full when `write()` returns
 * false and resumes on the socket's `drain`; a full read buffer pauses the
 * socket, which stops node:tls reading the raw connection (and so pauses it).
 *
 * Closing: `close()` ends the TLS write side (a close_notify alert; TLS 1.3
 * allows the other direction to carry on) and waits for the remote's
 * close_notify; then the raw connection is closed. `abort()` destroys the
 * socket and aborts the raw connection.
 */
export class EncryptedStream extends AbstractMessageStream {
  readonly #socket: TLSSocket
  readonly #raw: MessageStream
  #rawClosing?: Promise<void>
  #rawWriteClosing = false

  /**
   * `memoryScope` (the remote peer's) is charged, in 64 KiB steps, for
   * unread plaintext and plaintext queued while the socket is full; node:tls's
   * own buffers are not counted. A refusal aborts the connection.
   */
  constructor (socket: TLSSocket, raw: MessageStream, memoryScope?: MemoryScope) {
    super({
      log: raw.log.newScope('tls'),
      direction: raw.direction,
      inactivityTimeout: raw.inactivityTimeout,
      maxReadBufferLength: raw.maxReadBufferLength,
      memoryScope,
      chargeReadBuffer: true
    })
    this.#socket = socket
    this.#raw = raw

    socket.on('data', (buf: Uint8Array) => {
      this.onData(buf)
    })
    socket.on('end', () => {
      // the remote's close_notify (or the raw connection ended)
      this.onRemoteCloseWrite()
    })
    socket.on('drain', () => {
      this.onSendReady()
    })
    socket.on('error', (err: Error) => {
      this.log('TLS socket error - %e', err)
      this.onTransportClosed(err)
    })
    socket.on('close', () => {
      this.onTransportClosed()
      this.#closeRaw()
    })
    this.addEventListener('close', () => {
      this.#closeRaw()
    })
  }

  /** Closes the raw connection once, after TLS is done both ways. */
  #closeRaw (): Promise<void> {
    if (this.#rawClosing == null) {
      this.#socket.destroySoon()
      this.#rawClosing = this.#raw.close().catch((err: Error) => {
        this.log('closing the raw connection failed - %e', err)
        this.#raw.abort(err)
      })
    }
    return this.#rawClosing
  }

  override async close (options?: AbortOptions): Promise<void> {
    await super.close(options)
    await this.#closeRaw()
  }

  protected sendData (data: Uint8ArrayList): SendResult {
    let sentBytes = 0
    for (const buf of data) {
      sentBytes += buf.byteLength
      if (!this.#socket.write(buf)) {
        return { sentBytes, canSendMore: false }
      }
    }
    return { sentBytes, canSendMore: true }
  }

  protected sendReset (err: Error): void {
    this.#socket.destroy()
    this.#raw.abort(err)
  }

  protected async sendCloseWrite (options?: AbortOptions): Promise<void> {
    if (this.#socket.writableEnded) {
      return
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        reject(options?.signal?.reason)
      }
      options?.signal?.addEventListener('abort', onAbort, { once: true })
      // the callback runs once the close_notify has been handed to the raw connection
      this.#socket.end(() => {
        options?.signal?.removeEventListener('abort', onAbort)
        resolve()
      })
    })
    // TLS sends nothing after its close_notify, so the raw connection's write
    // side can end too (reading goes on: the remote may still send). Some
    // peers (the official js tls) only finish their side once the raw
    // connection ends, and would otherwise hold our close for its whole timeout.
    this.#closeRawWrite()
  }

  /** Ends the raw connection's write side once (a later close of the raw connection shares it). */
  #closeRawWrite (): void {
    if (this.#rawClosing != null || this.#rawWriteClosing) return
    this.#rawWriteClosing = true
    this.#raw.close().catch((err: Error) => {
      this.log('ending the raw connection failed - %e', err)
    })
  }

  protected sendPause (): void {
    this.#socket.pause()
  }

  protected sendResume (): void {
    this.#socket.resume()
  }
}
