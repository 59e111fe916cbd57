import { AbstractStream } from '@ts-libp2p/utils'
import { MessageType } from './constants.js'
import type { SendResult, StreamInit } from '@ts-libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

/** What a stream needs from its muxer. */
export interface MplexStreamHost {
  /** Queues one message; false when the connection is not accepting writes. */
  sendMessage(id: number, type: MessageType, data?: Uint8ArrayList): boolean
  readonly connectionBlocked: boolean
  /** Calls `stream.onSendReady()` once the connection accepts writes again. */
  waitForConnection(stream: MplexStream): void
}

/** Options of one mplex stream. */
export interface MplexStreamInit extends StreamInit {
  /** The numeric mplex id (unique per initiator, not per connection). */
  streamId: number
  host: MplexStreamHost
}

/**
 * One mplex stream. The initiator (outbound) sends MessageInitiator /
 * CloseInitiator / ResetInitiator, the receiver the Receiver variants (spec
 * lines 132-148). mplex has no flow control: the only backpressure is the
 * connection's, and the read buffer limit (`maxReadBufferLength`) guards
 * against a peer that ignores a slow reader.
 */
export class MplexStream extends AbstractStream {
  public readonly streamId: number
  readonly #host: MplexStreamHost
  readonly #initiator: boolean

  constructor (init: MplexStreamInit) {
    super(init)
    this.streamId = init.streamId
    this.#host = init.host
    this.#initiator = this.direction === 'outbound'
  }

  protected sendData (data: Uint8ArrayList): SendResult {
    if (this.#host.connectionBlocked) {
      this.#host.waitForConnection(this)
      return { sentBytes: 0, canSendMore: false }
    }
    const accepted = this.#host.sendMessage(this.streamId, this.#initiator ? MessageType.MessageInitiator : MessageType.MessageReceiver, data)
    if (!accepted) {
      this.#host.waitForConnection(this)
    }
    return { sentBytes: data.byteLength, canSendMore: accepted }
  }

  protected sendReset (): void {
    this.#host.sendMessage(this.streamId, this.#initiator ? MessageType.ResetInitiator : MessageType.ResetReceiver)
  }

  protected sendCloseWrite (): void {
    this.#host.sendMessage(this.streamId, this.#initiator ? MessageType.CloseInitiator : MessageType.CloseReceiver)
  }

  protected sendCloseRead (): void {
    // mplex has no message for it (spec line 83)
  }

  protected sendPause (): void {
    // mplex cannot ask the remote to stop (spec lines 59-76); the read buffer limit applies
  }

  protected sendResume (): void {}
}
