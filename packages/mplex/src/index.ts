/**
 * @packageDocumentation
 *
 * The mplex stream muxer (`/mplex/6.7.0`) for ts-libp2p, after the libp2p
 * spec (https://github.com/libp2p/specs/blob/master/mplex/README.md).
 * mplex is deprecated in favour of yamux (spec lines 54-57): it has no flow
 * control. Use it to talk to peers that offer nothing else.
 *
 * - varint header (`id << 3 | flag`), varint length, data; NewStream,
 *   Message, Close and Reset for initiator and receiver.
 * - Messages up to 1 MiB (spec line 136); larger ones are refused, before
 *   their payload is buffered, as a protocol error that ends the connection.
 * - A per-stream read buffer limit: a stream whose reader falls behind is
 *   reset, or the connection closed (`disconnectOnBufferExceeded`).
 * - Bounded streams per direction and early streams; typed errors.
 *
 * @example
 *
 * ```TypeScript
 * import { mplex } from '@ts-libp2p/mplex'
 *
 * const factory = mplex()({ logger })
 * const muxer = factory.createStreamMuxer(secureConnection)
 * const stream = await muxer.createStream()
 * ```
 */

import { PROTOCOL_ID } from './constants.js'
import { MplexMuxer } from './muxer.js'
import type { MplexComponents } from './muxer.js'
import type { CreateStreamMuxerOptions, MemoryScope, MessageStream, StreamMuxerFactory, StreamMuxerOptions, StreamOptions } from '@ts-libp2p/interface'

export { MplexMuxer } from './muxer.js'
export type { MplexComponents } from './muxer.js'
export { MplexStream } from './stream.js'
export * from './errors.js'
export { PROTOCOL_ID, MessageType } from './constants.js'

/** Options of the mplex muxer. Every limit has a default in constants.ts. */
export interface MplexInit extends StreamMuxerOptions<StreamOptions> {
  /**
   * Charged for the unread bytes streams buffer, in 64 KiB steps; a refused
   * reservation resets the stream with the scope's error. The node's
   * upgrader passes the remote peer's resource manager scope.
   */
  memoryScope?: MemoryScope
  /** The largest message sent or accepted. Default 1 MiB (spec line 136). */
  maxMessageSize?: number
  /** Unread bytes one stream may hold before it is reset. Default 4 MiB. */
  maxStreamBufferSize?: number
  /** Close the whole connection, rather than reset the stream, when a stream's buffer overflows. Default false. */
  disconnectOnBufferExceeded?: boolean
  /** Bytes batched behind a full connection before streams wait for its drain. Default 1 MiB. */
  connectionHighWaterMark?: number
}

/**
 * Creates the mplex muxer module: `mplex(init)(components)` is the
 * `StreamMuxerFactory` the upgrader negotiates as `/mplex/6.7.0`.
 */
export function mplex (init: MplexInit = {}): (components: MplexComponents) => StreamMuxerFactory<MplexMuxer> {
  return (components) => ({
    protocol: PROTOCOL_ID,
    createStreamMuxer: (maConn: MessageStream, options?: CreateStreamMuxerOptions) => new MplexMuxer(maConn, options?.memoryScope != null ? { ...init, memoryScope: options.memoryScope } : init, components, PROTOCOL_ID)
  })
}
