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
  /** Flushes, half-closes our write side and waits until the remote closes too. */
  close(options?: AbortOptions): Promise<void>
  /** Stops reading: the remote is told we will not read more (where the muxer can). */
  closeRead(options?: AbortOptions): Promise<void>
}
