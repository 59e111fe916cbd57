import { connectionSymbol } from './symbols.js'
import type { AbortOptions, Logger } from './index.js'
import type { MessageStreamDirection, MessageStreamEvents, MessageStreamStatus } from './message-stream.js'
import type { MultiaddrConnectionTimeline } from './multiaddr-connection.js'
import type { PeerId } from './peer-id.js'
import type { Stream } from './stream.js'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { TypedEventTarget } from 'main-event'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

/** A connection's state follows its underlying stream's. */
export type ConnectionStatus = MessageStreamStatus

/** Limits on a limited (e.g. relayed) connection; it closes when one is reached. */
export interface ConnectionLimits {
  /** Bytes in both directions. */
  bytes?: bigint
  /** Seconds since open. */
  seconds?: number
}

/** Progress detail: a stream is about to be opened. */
export interface OpenStreamEvent {
  connection: Connection
  protocols: string[]
}

/** Progress detail: a stream was opened and negotiated. */
export interface OpenedStreamEvent {
  connection: Connection
  stream: Stream
}

/** Progress events `newStream` can report. */
export type NewStreamProgressEvents =
  ProgressEvent<'connection:open-stream', OpenStreamEvent> |
  ProgressEvent<'connection:opened-stream', OpenedStreamEvent>

/** Options for opening a stream on a connection. */
export interface NewStreamOptions extends AbortOptions, ProgressOptions<NewStreamProgressEvents> {
  /** Fail if this many outbound streams for the protocol are already open. */
  maxOutboundStreams?: number
  /** Allow the stream on a limited connection. */
  runOnLimitedConnection?: boolean
  /** Wait for the remote to confirm the protocol instead of selecting optimistically. */
  negotiateFully?: boolean
}

/** An upgraded (secured and multiplexed) connection to a remote peer. */
export interface Connection extends TypedEventTarget<Omit<MessageStreamEvents, 'drain' | 'message' | 'end'>> {
  /** Unique within this node. */
  id: string
  /** The remote's address. */
  remoteAddr: Multiaddr
  /** The remote's verified identity. */
  remotePeer: PeerId
  /** The streams open on it now. */
  streams: Stream[]
  /** Who dialled. */
  direction: MessageStreamDirection
  timeline: MultiaddrConnectionTimeline
  /** The negotiated muxer protocol id. */
  multiplexer?: string
  /** The negotiated encrypter protocol id. */
  encryption?: string
  status: ConnectionStatus
  /** False for relayed connections. */
  direct: boolean
  /** Set on limited connections. */
  limits?: ConnectionLimits
  /** The last measured round trip time in ms, if any. */
  rtt?: number
  log: Logger
  /** Opens a stream and negotiates the first of `protocols` the remote supports. */
  newStream(protocols: string | string[], options?: NewStreamOptions): Promise<Stream>
  /** Closes every stream gracefully, then the connection. */
  close(options?: AbortOptions): Promise<void>
  /** Closes at once with an error. */
  abort(err: Error): void
}

/** True when `other` carries the ecosystem's connection brand. */
export function isConnection (other: any): other is Connection {
  return other != null && other[connectionSymbol] === true
}
