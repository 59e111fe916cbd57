/**
 * @packageDocumentation
 *
 * The yamux stream muxer (`/yamux/1.0.0`) for ts-libp2p, after the libp2p
 * spec (https://github.com/libp2p/specs/blob/master/yamux/README.md).
 *
 * - 12-byte frames (data, window update, ping, go-away) with SYN/ACK/FIN/RST.
 * - Per-stream flow control from a 256 KiB window, auto-tuned toward
 *   `maxStreamWindowSize` (16 MiB) when the reader keeps up within a few RTTs.
 * - Lazy open: a SYN rides on the stream's first frame, an ACK on ours.
 * - Keep-alive pings that also measure the RTT.
 * - Bounded: streams per direction, early streams, frame sizes, control
 *   frames queued for a peer that does not read.
 * - Every protocol violation is a typed error (see errors.ts); the remote
 *   gets a go-away with the spec's code and the connection is closed.
 *
 * @example
 *
 * ```TypeScript
 * import { yamux } from '@ts-libp2p/yamux'
 *
 * const factory = yamux()({ logger })
 * const muxer = factory.createStreamMuxer(secureConnection)
 * muxer.addEventListener('stream', (evt) => { handle(evt.detail) })
 * const stream = await muxer.createStream()
 * ```
 */

import { PROTOCOL_ID } from './constants.js'
import { YamuxMuxer } from './muxer.js'
import type { YamuxComponents } from './muxer.js'
import type { CreateStreamMuxerOptions, MemoryScope, MessageStream, StreamMuxerFactory, StreamMuxerOptions, StreamOptions } from '@ts-libp2p/interface'

export { YamuxMuxer } from './muxer.js'
export type { YamuxComponents } from './muxer.js'
export { YamuxStream } from './stream.js'
export * from './errors.js'
export { PROTOCOL_ID, GoAwayCode, FrameType, Flag } from './constants.js'

/** Options of the yamux muxer. Every limit has a default in constants.ts. */
export interface YamuxInit extends StreamMuxerOptions<StreamOptions> {
  /**
   * Charged for the unread bytes streams buffer, in 64 KiB steps; a refused
   * reservation resets the stream with the scope's error. The node's
   * upgrader passes the remote peer's resource manager scope.
   */
  memoryScope?: MemoryScope
  /** The window each stream starts with; at least 256 KiB (the spec's). */
  initialStreamWindowSize?: number
  /** Auto-tuning grows a stream's receive window up to this. Default 16 MiB. */
  maxStreamWindowSize?: number
  /** The largest data frame payload we send. Default 256 KiB. */
  maxFramePayload?: number
  /** Send keep-alive pings. Default true. */
  enableKeepAlive?: boolean
  /** Ms between keep-alive pings; an unanswered ping by the next one ends the connection. Default 30 s. */
  keepAliveInterval?: number
  /**
   * Bytes batched behind a full connection before streams are told to wait
   * for its drain (one large transport write per batch). Default 1 MiB.
   */
  connectionHighWaterMark?: number
  /** Ms to flush a go-away after a protocol error before the connection is aborted. Default 5 s. */
  closeTimeout?: number
}

/** The yamux muxer factory, as the upgrader consumes it. */
export interface YamuxFactory extends StreamMuxerFactory<YamuxMuxer> {
  protocol: typeof PROTOCOL_ID
}

/**
 * Creates the yamux muxer module: `yamux(init)(components)` is the
 * `StreamMuxerFactory` the upgrader negotiates as `/yamux/1.0.0`.
 */
export function yamux (init: YamuxInit = {}): (components: YamuxComponents) => YamuxFactory {
  return (components) => ({
    protocol: PROTOCOL_ID,
    createStreamMuxer: (maConn: MessageStream, options?: CreateStreamMuxerOptions) => new YamuxMuxer(maConn, options?.memoryScope != null ? { ...init, memoryScope: options.memoryScope } : init, components)
  })
}
