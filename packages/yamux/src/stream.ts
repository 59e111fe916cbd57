import { AbstractStream } from '@ts-libp2p/utils'
import { Flag, FrameType, MAX_WINDOW, WINDOW_GROWTH_RTT_FACTOR } from './constants.js'
import { ReceiveWindowExceededError, WindowOverflowError } from './errors.js'
import type { AbortOptions } from '@ts-libp2p/interface'
import type { SendResult, StreamInit } from '@ts-libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

/** What a stream needs from its muxer. */
export interface YamuxStreamHost {
  /**
   * Queues one frame for the connection. Returns false when the connection
   * is not accepting writes: the stream waits for `onSendReady()`.
   */
  sendFrame(type: FrameType, flags: number, streamId: number, length: number, data?: Uint8ArrayList): boolean
  /** True while the connection is not accepting data frames. */
  readonly connectionBlocked: boolean
  /** Calls `stream.onSendReady()` once the connection accepts writes again. */
  waitForConnection(stream: YamuxStream): void
  /** The last measured round-trip time in ms (0 while unknown). */
  readonly rtt: number
}

/** Options of one yamux stream. */
export interface YamuxStreamInit extends StreamInit {
  /** The yamux stream id (odd for the client side, even for the server). */
  streamId: number
  host: YamuxStreamHost
  /** Both sides start with this window (spec: 256 KiB). */
  initialWindow: number
  /** The receive window may be auto-tuned up to this. */
  maxWindow: number
}

/**
 * One yamux stream. Reads and writes go through the `AbstractStream` base;
 * this class turns them into frames and keeps the per-stream flow control:
 *
 * - send side: `sendWindow` bytes may go out; `sendData()` reports the
 *   stream full when it is used up and resumes on the remote's window update.
 * - receive side: the remote may send `recvWindow` more bytes. Credit is
 *   returned only for bytes the reader has consumed (the base pauses the
 *   source whenever anything is buffered), in updates of at least half the
 *   window, so a slow reader holds at most one window of the peer's data.
 *   A window used up within a few RTTs of the last update is doubled, up to
 *   `maxWindow` (auto-tuning, as go-yamux and rust-yamux do).
 * - opening is lazy: an outbound stream's SYN rides on its first frame and an
 *   inbound stream's ACK on our first frame (a send, a window update after
 *   the first read, a FIN or a RST).
 */
export class YamuxStream extends AbstractStream {
  /** The yamux stream id. */
  public readonly streamId: number
  /** Bytes we may still send before the remote grants more. */
  public sendWindow: number
  /** Bytes the remote may still send before we grant more. */
  public recvWindow: number
  /** The receive window we currently grant (grows by auto-tuning). */
  public windowSize: number
  /** Our SYN has not gone out yet (outbound, nothing sent). */
  public synPending: boolean
  /** Our ACK has not gone out yet (inbound, nothing sent). */
  public ackPending: boolean
  /** The remote acknowledged our SYN. */
  public acknowledged: boolean

  readonly #host: YamuxStreamHost
  readonly #maxWindow: number
  #sourcePaused: boolean
  #epochStart: number

  constructor (init: YamuxStreamInit) {
    super({
      ...init,
      // credit is withheld while anything is buffered, so the window bounds the buffer
      readHighWaterMark: 1,
      maxReadBufferLength: Math.max(init.maxReadBufferLength ?? 0, init.maxWindow)
    })
    this.streamId = init.streamId
    this.#host = init.host
    this.#maxWindow = init.maxWindow
    this.sendWindow = init.initialWindow
    this.recvWindow = init.initialWindow
    this.windowSize = init.initialWindow
    this.synPending = this.direction === 'outbound'
    this.ackPending = this.direction === 'inbound'
    this.acknowledged = this.direction === 'inbound'
    this.#sourcePaused = false
    this.#epochStart = Date.now()
  }

  /** SYN or ACK for our first frame, then nothing. */
  #openFlags (): number {
    if (this.synPending) {
      this.synPending = false
      return Flag.SYN
    }
    if (this.ackPending) {
      this.ackPending = false
      return Flag.ACK
    }
    return 0
  }

  protected sendData (data: Uint8ArrayList): SendResult {
    if (this.#host.connectionBlocked) {
      this.#host.waitForConnection(this)
      return { sentBytes: 0, canSendMore: false }
    }
    const length = Math.min(data.byteLength, this.sendWindow)
    if (length === 0) {
      // resumed by the remote's window update
      return { sentBytes: 0, canSendMore: false }
    }
    const payload = length === data.byteLength ? data : data.sublist(0, length)
    this.sendWindow -= length
    const accepted = this.#host.sendFrame(FrameType.Data, this.#openFlags(), this.streamId, length, payload)
    if (!accepted) {
      this.#host.waitForConnection(this)
    }
    return { sentBytes: length, canSendMore: accepted && this.sendWindow > 0 }
  }

  protected sendReset (): void {
    if (this.synPending) {
      // the remote never heard of it: nothing to reset
      this.synPending = false
      return
    }
    this.#host.sendFrame(FrameType.WindowUpdate, this.#openFlags() | Flag.RST, this.streamId, 0)
  }

  protected sendCloseWrite (): void {
    this.#host.sendFrame(FrameType.WindowUpdate, this.#openFlags() | Flag.FIN, this.streamId, 0)
  }

  protected sendCloseRead (): void {
    // yamux has no frame for it; unread data is dropped and credited as it arrives
  }

  protected sendPause (): void {
    this.#sourcePaused = true
  }

  protected sendResume (): void {
    this.#sourcePaused = false
    this.#grantCredit(false)
  }

  /** The muxer's SYN flush: open the stream on the wire if nothing else did. */
  sendSynIfPending (): void {
    if (this.synPending && this.status === 'open') {
      this.#grantCredit(true)
    }
  }

  /**
   * Returns consumed bytes to the remote as window credit, growing the
   * window when it was used up quickly. Sent when at least half the window
   * is owed, or at once when `force` or our ACK is pending.
   */
  #grantCredit (force: boolean): void {
    if (this.status !== 'open' || this.remoteWriteStatus === 'closed') {
      return
    }
    let delta = this.windowSize - this.recvWindow
    const owedEnough = delta >= this.windowSize / 2
    if (!owedEnough && !force && !this.ackPending && !this.synPending) {
      return
    }
    if (this.ackPending && delta === 0 && !force) {
      // nothing read yet: the ACK waits for a read or a send
      return
    }
    const now = Date.now()
    const rtt = this.#host.rtt
    if (owedEnough && rtt > 0 && now - this.#epochStart < rtt * WINDOW_GROWTH_RTT_FACTOR && this.windowSize < this.#maxWindow) {
      const grown = Math.min(this.windowSize * 2, this.#maxWindow)
      delta += grown - this.windowSize
      this.windowSize = grown
    }
    if (owedEnough) {
      this.#epochStart = now
    }
    this.recvWindow += delta
    this.#host.sendFrame(FrameType.WindowUpdate, this.#openFlags(), this.streamId, delta)
  }

  /** The remote acknowledged our SYN. */
  onAck (): void {
    this.acknowledged = true
  }

  /** A window update from the remote. */
  onWindowUpdate (delta: number): void {
    if (this.sendWindow + delta > MAX_WINDOW) {
      throw new WindowOverflowError(`Window update of ${delta} on stream ${this.streamId} takes the send window past 2^32-1`)
    }
    this.sendWindow += delta
    if (delta > 0 && (this.writeBufferLength > 0 || this.writableNeedsDrain)) {
      if (this.#host.connectionBlocked) {
        this.#host.waitForConnection(this)
      } else {
        this.onSendReady()
      }
    }
  }

  /** Checks a data frame's length against the window before its payload is buffered. */
  checkDataLength (length: number): void {
    if (length > this.recvWindow) {
      throw new ReceiveWindowExceededError(`Data frame of ${length} bytes on stream ${this.streamId} exceeds the receive window of ${this.recvWindow}`)
    }
  }

  /** A data frame's payload. */
  onDataFrame (data: Uint8ArrayList): void {
    this.checkDataLength(data.byteLength)
    this.recvWindow -= data.byteLength
    this.onData(data)
    if (!this.#sourcePaused) {
      this.#grantCredit(false)
    }
  }

  override async closeRead (options?: AbortOptions): Promise<void> {
    await super.closeRead(options)
    this.#grantCredit(false)
  }
}
