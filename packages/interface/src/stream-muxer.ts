import type { AbortOptions } from './index.js'
import type { MessageStream } from './message-stream.js'
import type { Stream } from './stream.js'
import type { TypedEventTarget } from 'main-event'

/** Per-stream options a muxer applies to the streams it creates. */
export interface StreamOptions {
  /** Close streams idle for this many ms. */
  inactivityTimeout?: number
  /** Abort a stream whose unread bytes exceed this. */
  maxReadBufferLength?: number
  /** Refuse `send()` past this many unsent bytes. */
  maxWriteBufferLength?: number
}

/** Options common to muxer implementations. */
export interface StreamMuxerOptions<MuxedStreamOptions extends StreamOptions = StreamOptions> {
  streamOptions?: MuxedStreamOptions
  /** Streams the remote may open before the connection is fully set up. */
  maxEarlyStreams?: number
  /** The largest frame or message accepted. */
  maxMessageSize?: number
  /** Inbound streams open at once; more are reset. */
  maxInboundStreams?: number
  /** Outbound streams open at once; more are refused. */
  maxOutboundStreams?: number
}

/**
 * Memory accounting a muxer charges the bytes its streams buffer to (the
 * node passes its resource manager's scope of the remote peer). A refused
 * reservation throws (the node's ResourceLimitError); the muxer then resets
 * the stream with that error.
 */
export interface MemoryScope {
  /** Reserves `bytes`, or throws and reserves nothing. */
  reserveMemory(bytes: number): void
  /** Returns bytes reserved before. */
  releaseMemory(bytes: number): void
}

/** Options the upgrader passes when it makes a muxer for one connection. */
export interface CreateStreamMuxerOptions {
  /** Charged for the unread bytes the connection's streams buffer. */
  memoryScope?: MemoryScope
}

/** Makes a muxer for a secured connection; `protocol` is its multistream id. */
export interface StreamMuxerFactory<Muxer extends StreamMuxer = StreamMuxer> {
  protocol: string
  createStreamMuxer(maConn: MessageStream, options?: CreateStreamMuxerOptions): Muxer
}

/** Events of a muxer. */
export interface StreamMuxerEvents<MuxedStream extends Stream = Stream> {
  /** The remote opened a stream. */
  stream: CustomEvent<MuxedStream>
}

/** Options for opening one stream. */
export interface CreateStreamOptions extends AbortOptions, StreamOptions {
  /** The protocol it will carry, if already known. */
  protocol?: string
}

/** A muxer's state. */
export type StreamMuxerStatus = 'open' | 'closing' | 'closed'

/** Carries many streams over one secured connection. */
export interface StreamMuxer<MuxedStream extends Stream = Stream> extends TypedEventTarget<StreamMuxerEvents<MuxedStream>> {
  /** The multistream id it was negotiated under. */
  protocol: string
  /** The streams open now. */
  streams: MuxedStream[]
  status: StreamMuxerStatus
  /** Opens an outbound stream. */
  createStream(options?: CreateStreamOptions): Promise<MuxedStream>
  /** Resets every stream and stops. */
  abort(err: Error): void
  /** Closes every stream gracefully (go-away where the protocol has it), then stops. */
  close(options?: AbortOptions): Promise<void>
}
