import { AbstractMessageStream } from './message-stream.js'
import type { MessageStreamInit } from './message-stream.js'
import type { AbortOptions, Stream } from '@ts-libp2p/interface'

/** Options for a muxed stream. */
export interface StreamInit extends MessageStreamInit {
  /** Unique within the connection (the muxer's stream id as a string). */
  id: string
  /** The protocol it carries, if already known. Default ''. */
  protocol?: string
}

/**
 * The base of a stream multiplexed over a connection (yamux, mplex, and the
 * streams of QUIC-like transports). It adds the stream's id and protocol and
 * the half-close a muxer offers:
 *
 * - `close()` flushes, sends the muxer's close-write (a FIN) and resolves; the
 *   stream reads on until the remote closes its side too, then it is
 *   'closed' and dispatches `close`.
 * - `closeRead()` drops unread bytes, stops reading and tells the remote if
 *   the muxer can (`sendCloseRead()`; yamux and mplex have no such frame).
 *
 * A muxer reports the remote's frames with `onData()`, `onRemoteCloseWrite()`,
 * `onRemoteCloseRead()` and `onRemoteReset()`, and `onSendReady()` when the
 * stream's send window or the connection can take data again.
 */
export abstract class AbstractStream extends AbstractMessageStream implements Stream {
  public id: string
  public protocol: string

  constructor (init: StreamInit) {
    super(init)
    this.id = init.id
    this.protocol = init.protocol ?? ''
  }

  /** Tells the remote we will read no more, where the muxer has a way to (may be a no-op). */
  protected abstract sendCloseRead (options?: AbortOptions): void | Promise<void>

  /**
   * Flushes what is queued and closes our write side. Unlike a raw
   * connection's close it does not wait for the remote: the stream stays
   * readable until the remote closes its side (compliance suites rely on
   * closing while the remote is still writing).
   */
  override async close (options?: AbortOptions): Promise<void> {
    if (this.status !== 'open' && this.status !== 'closing') {
      return
    }
    await this.closeWrite(options)
  }

  async closeRead (options?: AbortOptions): Promise<void> {
    if (this.readStatus === 'closing' || this.readStatus === 'closed') {
      return
    }
    if (this.readBuffer.byteLength > 0) {
      this.log.trace('closing read side, dropping %d unread bytes', this.readBuffer.byteLength)
      this.discardReadBuffer()
    }
    this.readStatus = 'closing'
    try {
      await this.sendCloseRead(options)
    } finally {
      if (this.readStatus === 'closing') {
        this.readStatus = 'closed'
      }
      this.onReadClosed()
    }
  }
}
