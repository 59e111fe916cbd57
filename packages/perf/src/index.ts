/**
 * @packageDocumentation
 *
 * The libp2p perf protocol, `/perf/1.0.0`
 * ([spec](https://github.com/libp2p/specs/blob/master/perf/perf.md)): a
 * client-driven throughput benchmark between two peers. The client asks for
 * N bytes (a big-endian uint64), uploads M bytes, closes its write side and
 * reads the N bytes the server sends back; it reports both byte counts and
 * how long each direction took.
 *
 * The service serves perf streams from other peers (bounded: at most
 * `maxDownloadBytes` per request, `maxInboundStreams` per connection, and no
 * progress for `timeout` ms ends a stream) and runs measurements with
 * {@link Perf.measure}. The spec advises against enabling perf on publicly
 * reachable nodes: add the service only where you benchmark.
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { perf } from '@ts-libp2p/perf'
 *
 * const node = await createLibp2p({ ..., services: { perf: perf() } })
 * const result = await node.services.perf.measure(remoteAddr, { uploadBytes: 1 << 20, downloadBytes: 1 << 20 })
 * ```
 */

import { PerfService } from './perf.js'
import type { AbortOptions, ComponentLogger, PeerId } from '@ts-libp2p/interface'
import type { ConnectionManager, Registrar } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

export { PROTOCOL, HEADER_LENGTH, MAX_UINT64, MAX_DOWNLOAD_BYTES, TIMEOUT, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, WRITE_BLOCK_SIZE } from './constants.js'
export { DownloadTooLargeError } from './errors.js'

/** Which direction a progress report is about. */
export type PerfPhase = 'upload' | 'download'

/** Options of one measurement. */
export interface MeasureOptions extends AbortOptions {
  /** Bytes the client sends to the server (0 or more, a safe integer). */
  uploadBytes: number
  /**
   * Bytes the client asks the server to send back: 0 up to 2^64-1 (spec). A
   * server refuses a request over its own limit (ours: 4 GiB by default) by
   * resetting the stream.
   */
  downloadBytes: number | bigint
  /**
   * Called as the transfer moves, with the phase and the bytes of that phase
   * so far (after each write on upload, each received chunk on download).
   */
  onProgress?(phase: PerfPhase, bytes: number): void
}

/** The outcome of one measurement, timed by the client with `performance.now()`. */
export interface PerfResult {
  /** Bytes uploaded. */
  uploadBytes: number
  /** Bytes downloaded (always the number requested: anything else is an error). */
  downloadBytes: number
  /** Milliseconds from the stream being open to our write side being closed. */
  uploadMs: number
  /** Milliseconds from our write side being closed to the server closing its side. */
  downloadMs: number
  /** Milliseconds from the stream being open to the server closing (the spec's measure). */
  totalMs: number
  /** uploadBytes per second of uploadMs (0 when nothing was uploaded). */
  uploadBytesPerSecond: number
  /** downloadBytes per second of downloadMs (0 when nothing was downloaded). */
  downloadBytesPerSecond: number
}

/** What the server did on one stream. */
export interface PerfServeResult {
  /** Bytes the client uploaded. */
  uploadBytes: number
  /** Bytes sent back. */
  downloadBytes: number
}

/** The perf service. */
export interface Perf {
  /** The protocol id, `/perf/1.0.0`. */
  readonly protocol: string
  /**
   * Runs one measurement against a peer (dialing it if needed). Rejects with
   * TimeoutError when nothing moves for `timeout` ms, with the signal's reason
   * when `options.signal` fires, with ProtocolError when the server sends a
   * different number of bytes than requested, with InvalidParametersError
   * for bad sizes, and with StreamResetError when the server refuses (for
   * example a request over its `maxDownloadBytes`).
   */
  measure(peer: PeerId | Multiaddr | Multiaddr[], options: MeasureOptions): Promise<PerfResult>
}

/** Options of the perf service. */
export interface PerfInit {
  /**
   * The most bytes the server sends back on one stream; a larger request is
   * refused (stream reset, DownloadTooLargeError logged). Default 4 GiB;
   * `Infinity` serves anything, up to the timer-based "max uint64" download
   * of the spec.
   */
  maxDownloadBytes?: number
  /** Milliseconds either side waits for any progress. Default 10 000. */
  timeout?: number
  /** Inbound perf streams allowed per connection. Default 4. */
  maxInboundStreams?: number
  /** Outbound perf streams allowed per connection. Default 4. */
  maxOutboundStreams?: number
  /** Serve and measure over limited (relayed) connections. Default false: perf moves a lot of data. */
  runOnLimitedConnection?: boolean
  /** Bytes per write, one buffer reused for every write. Default 64 KiB. */
  writeBlockSize?: number
}

/** What the perf service needs from the node. */
export interface PerfComponents {
  registrar: Pick<Registrar, 'handle' | 'unhandle'>
  connectionManager: Pick<ConnectionManager, 'openConnection'>
  logger: ComponentLogger
}

/** Creates the perf service for a node's `services`. */
export function perf (init: PerfInit = {}): (components: PerfComponents) => Perf {
  return (components) => new PerfService(components, init)
}
