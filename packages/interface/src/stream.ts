import type { AbortOptions } from './index.js'
import type { MessageStream, MessageStreamReadStatus, MessageStreamWriteStatus } from './message-stream.js'

/** A stream multiplexed over a connection, carrying one negotiated protocol. */
export interface Stream extends MessageStream {
  /** Unique within its connection. */
  id: string
  /** The protocol negotiated for it ('' until negotiation finishes). */
  protocol: string
  /** Our read side. */
  readStatus: MessageStreamReadStatus
  /** Our write side. */
  writeStatus: MessageStreamWriteStatus
  /** The remote's read side, as far as we know. */
  remoteReadStatus: MessageStreamReadStatus
  /** The remote's write side, as far as we know. */
  remoteWriteStatus: MessageStreamWriteStatus
  /**
   * Flushes what is queued and half-closes our write side. It resolves once our
   * side is closed, without waiting for the remote to finish writing (the
   * official compliance suites rely on that); keep reading to get the rest.
   */
  close(options?: AbortOptions): Promise<void>
  /** Stops reading: the remote is told we will not read more (where the muxer can). */
  closeRead(options?: AbortOptions): Promise<void>
}
