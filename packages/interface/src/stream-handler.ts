import type { AbortOptions } from './index.js'
import type { Connection } from './connection.js'
import type { Stream } from './stream.js'

/** Handles an inbound stream of a registered protocol. */
export interface StreamHandler {
  (stream: Stream, connection: Connection): void | Promise<void>
}

/** Runs before a handler; calls `next` to continue. */
export interface StreamMiddleware {
  (stream: Stream, connection: Connection, next: (stream: Stream, connection: Connection) => void): void | Promise<void>
}

/** Options for a protocol handler. */
export interface StreamHandlerOptions extends AbortOptions {
  /** Inbound streams of this protocol open at once per connection. */
  maxInboundStreams?: number
  /** Outbound streams of this protocol open at once per connection. */
  maxOutboundStreams?: number
  runOnLimitedConnection?: boolean
  /** Replace an existing handler. */
  force?: true
  middleware?: StreamMiddleware[]
}

/** A registered handler and its options. */
export interface StreamHandlerRecord {
  handler: StreamHandler
  options: StreamHandlerOptions
}
