/**
 * @packageDocumentation
 *
 * Small stream and byte helpers shared by ts-libp2p packages. Nothing here
 * is protocol-specific.
 *
 * - {@link AbstractMessageStream}, {@link AbstractStream},
 *   {@link AbstractMultiaddrConnection}: the base classes of every byte
 *   stream (raw connections, encrypted channels, muxed streams): read
 *   buffer, async iteration, `message` events, pause/resume, backpressure
 *   with `send()`/`drain`, close/abort/reset, inactivity timeout.
 * - {@link AbstractStreamMuxer}: what frame-based muxers (yamux, mplex)
 *   share around their framing: one write batch per connection flushed per
 *   tick or on `drain`, waiting streams, early inbound streams, `close()`.
 * - {@link InMemoryLink}: one direction of an in-process connection between
 *   two message streams, with bounded bytes in flight and optional delay.
 * - {@link byteStream} and {@link lpStream}: read exact byte counts,
 *   delimiters or length-prefixed frames from a stream, then `unwrap()` it.
 * - {@link raceSignal}, {@link raceEvent}, {@link anySignal}, {@link pDefer}:
 *   abortable waits.
 * - {@link logger}, {@link defaultLogger}, {@link prefixLogger}: `debug`
 *   loggers with the ecosystem's formatters (`%p`, `%a`, `%b`...).
 *
 * @example
 *
 * ```TypeScript
 * import { defaultLogger, lpStream } from '@ts-libp2p/utils'
 *
 * const log = defaultLogger().forComponent('example') // DEBUG=ts-libp2p:example
 * const lps = lpStream(stream, { maxDataLength: 4096 })
 * await lps.write(new TextEncoder().encode('hello'), { signal: AbortSignal.timeout(5_000) })
 * log('reply %b', await lps.read({ signal: AbortSignal.timeout(5_000) }))
 * ```
 */

export { AbstractMessageStream } from './message-stream.js'
export type { MessageStreamInit, SendResult } from './message-stream.js'
export { AbstractStream } from './stream.js'
export type { StreamInit } from './stream.js'
export { AbstractMultiaddrConnection } from './multiaddr-connection.js'
export type { MultiaddrConnectionInit } from './multiaddr-connection.js'
export { InMemoryLink } from './in-memory-link.js'
export type { InMemoryLinkEnd, InMemoryLinkOptions } from './in-memory-link.js'
export { byteStream } from './byte-stream.js'
export type { ByteStream, ByteStreamOptions, ReadOptions, ReadUntilOptions } from './byte-stream.js'
export { lpStream, decodeVarint, varintLength } from './lp-stream.js'
export type { LengthPrefixedStream, LengthPrefixedStreamOptions } from './lp-stream.js'
export { raceSignal, abortReason, throwIfAborted } from './race-signal.js'
export { raceEvent } from './race-event.js'
export type { RaceEventOptions, EventSource } from './race-event.js'
export { anySignal } from './any-signal.js'
export { deadlineSignal } from './deadline-signal.js'
export { pDefer } from './defer.js'
export type { DeferredPromise } from './defer.js'
export { logger, defaultLogger, prefixLogger, disabledLogger, enable, disable, enabled } from './logger.js'
export * from './errors.js'
export * from './constants.js'
export { ByteQueue } from './byte-queue.js'
export { WriteBatch, COPY_THRESHOLD as WRITE_BATCH_COPY_THRESHOLD } from './write-batch.js'
export { AbstractStreamMuxer } from './stream-muxer.js'
export { MemoryReservation } from './memory-reservation.js'
export type { StreamMuxerInit } from './stream-muxer.js'
