import type { AbortOptions } from './index.js'
import type { MessageStream } from './message-stream.js'

/** Wraps raw connections before encryption, e.g. a private network's pre-shared key. */
export interface ConnectionProtector {
  protect(connection: MessageStream, options?: AbortOptions): Promise<MessageStream>
}
