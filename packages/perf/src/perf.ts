import { InvalidParametersError, ProtocolError, TimeoutError, serviceCapabilities } from '@ts-libp2p/interface'
import { anySignal, byteStream } from '@ts-libp2p/utils'
import { HEADER_LENGTH, MAX_DOWNLOAD_BYTES, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, MAX_UINT64, PROTOCOL, TIMEOUT, WRITE_BLOCK_SIZE } from './constants.js'
import { DownloadTooLargeError } from './errors.js'
import type { MeasureOptions, Perf, PerfComponents, PerfInit, PerfPhase, PerfResult, PerfServeResult } from './index.js'
import type { Connection, Logger, PeerId, Startable, Stream } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Aborts when nothing moved for a whole period. `touch()` only sets a flag,
 * so the hot path pays no timer work per chunk; a stall is caught between
 * one and two periods after the last progress.
 */
class Watchdog {
  #moved = true
  #timer: ReturnType<typeof setTimeout> | undefined
  readonly #ms: number
  readonly #expire: () => void

  constructor (ms: number, expire: () => void) {
    this.#ms = ms
    this.#expire = expire
    this.#arm()
  }

  touch (): void {
    this.#moved = true
  }

  clear (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #arm (): void {
    this.#moved = false
    this.#timer = setTimeout(() => {
      if (this.#moved) this.#arm()
      else this.#expire()
    }, this.#ms)
    this.#timer.unref?.()
  }
}

/** One bounded operation: a watchdog, an optional outer signal and the service's shutdown, as one signal. */
interface Operation {
  signal: AbortSignal
  watchdog: Watchdog
  /** Aborts `stream` with the signal's reason when the signal fires. */
  bind(stream: Stream): void
  clear(): void
}

/**
 * The perf service: serves `/perf/1.0.0` streams and measures throughput to
 * other peers. Both sides send from one zero-filled buffer, reused for every
 * write (perf.md: "a predetermined arbitrary set of bytes. Zero is fine"),
 * and wait for `drain` whenever `send()` says the stream is full.
 */
export class PerfService implements Perf, Startable {
  readonly protocol = PROTOCOL
  readonly [Symbol.toStringTag] = '@ts-libp2p/perf'
  readonly [serviceCapabilities]: string[] = ['@libp2p/perf']

  readonly #components: PerfComponents
  readonly #log: Logger
  readonly #timeout: number
  readonly #maxDownloadBytes: number
  readonly #maxInboundStreams: number
  readonly #maxOutboundStreams: number
  readonly #runOnLimitedConnection: boolean
  readonly #block: Uint8Array
  #shutdown?: AbortController

  constructor (components: PerfComponents, init: PerfInit = {}) {
    this.#components = components
    this.#log = components.logger.forComponent('perf')
    this.#timeout = init.timeout ?? TIMEOUT
    this.#maxDownloadBytes = init.maxDownloadBytes ?? MAX_DOWNLOAD_BYTES
    this.#maxInboundStreams = init.maxInboundStreams ?? MAX_INBOUND_STREAMS
    this.#maxOutboundStreams = init.maxOutboundStreams ?? MAX_OUTBOUND_STREAMS
    this.#runOnLimitedConnection = init.runOnLimitedConnection ?? false
    const blockSize = init.writeBlockSize ?? WRITE_BLOCK_SIZE
    if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new InvalidParametersError(`writeBlockSize must be a positive integer, not ${blockSize}`)
    if (!(this.#maxDownloadBytes >= 0)) throw new InvalidParametersError(`maxDownloadBytes must be 0 or more, not ${this.#maxDownloadBytes}`)
    if (!(this.#timeout > 0)) throw new InvalidParametersError(`timeout must be positive, not ${this.#timeout}`)
    this.#block = new Uint8Array(blockSize)
    this.handleStream = this.handleStream.bind(this)
  }

  async start (): Promise<void> {
    this.#shutdown = new AbortController()
    await this.#components.registrar.handle(PROTOCOL, this.handleStream, {
      maxInboundStreams: this.#maxInboundStreams,
      maxOutboundStreams: this.#maxOutboundStreams,
      runOnLimitedConnection: this.#runOnLimitedConnection
    })
  }

  async stop (): Promise<void> {
    await this.#components.registrar.unhandle(PROTOCOL)
    this.#shutdown?.abort(new ProtocolError('The perf service stopped'))
    this.#shutdown = undefined
  }

  /** The registered handler: serves the stream, logging (not throwing) a failure. */
  async handleStream (stream: Stream, connection: Connection): Promise<void> {
    try {
      const { uploadBytes, downloadBytes } = await this.serve(stream)
      this.#log('served %p: %d bytes up, %d down', connection.remotePeer, uploadBytes, downloadBytes)
    } catch (err: any) {
      this.#log('perf stream from %p failed - %e', connection.remotePeer, err)
    }
  }

  /**
   * The server side of one stream (perf.md "Server, on handling a new `perf`
   * stream"): reads the uint64 size, drains the upload until the client
   * closes its write side, then sends that many bytes and closes. A request
   * over `maxDownloadBytes` rejects with DownloadTooLargeError, a stall with
   * TimeoutError; either way the stream is reset.
   */
  async serve (stream: Stream): Promise<PerfServeResult> {
    const op = this.#operation(`The perf client made no progress for ${this.#timeout} ms`)
    op.bind(stream)
    try {
      const bytes = byteStream(stream)
      const header = await bytes.read({ bytes: HEADER_LENGTH, signal: op.signal })
      const requested = header.getBigUint64(0, false)
      if (this.#maxDownloadBytes !== Infinity && requested > BigInt(Math.floor(this.#maxDownloadBytes))) {
        throw new DownloadTooLargeError(`The client asked for ${requested} bytes, over the limit of ${this.#maxDownloadBytes}`)
      }
      bytes.unwrap()
      op.watchdog.touch()
      let uploadBytes = 0
      for await (const chunk of stream) {
        uploadBytes += chunk.byteLength
        op.watchdog.touch()
      }
      // only after the upload ended (perf.md step 3: "MUST NOT be run concurrently with step 2")
      const downloadBytes = await this.#send(stream, Number(requested), op)
      await stream.close({ signal: op.signal })
      return { uploadBytes, downloadBytes }
    } catch (err: any) {
      const reason = failure(op.signal, err)
      stream.abort(reason)
      throw reason
    } finally {
      op.clear()
    }
  }

  async measure (peer: PeerId | Multiaddr | Multiaddr[], options: MeasureOptions): Promise<PerfResult> {
    const { uploadBytes, onProgress } = options
    if (!Number.isSafeInteger(uploadBytes) || uploadBytes < 0) {
      throw new InvalidParametersError(`uploadBytes must be a safe integer of 0 or more, not ${uploadBytes}`)
    }
    const requested = toUint64(options.downloadBytes)
    // the count we expect, as a number: past 2^53 it cannot be reached exactly anyway
    const expected = requested > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(requested)
    const op = this.#operation(`The perf server made no progress for ${this.#timeout} ms`, options.signal)
    let stream: Stream | undefined
    try {
      op.signal.throwIfAborted()
      const connection = await this.#components.connectionManager.openConnection(peer, { signal: op.signal })
      op.watchdog.touch()
      stream = await connection.newStream(PROTOCOL, {
        signal: op.signal,
        negotiateFully: true,
        maxOutboundStreams: this.#maxOutboundStreams,
        runOnLimitedConnection: this.#runOnLimitedConnection
      })
      op.bind(stream)
      op.watchdog.touch()
      const start = performance.now()
      const header = new Uint8Array(HEADER_LENGTH)
      new DataView(header.buffer).setBigUint64(0, requested, false)
      if (!stream.send(header)) await stream.onDrain({ signal: op.signal })
      await this.#send(stream, uploadBytes, op, onProgress, 'upload')
      await stream.close({ signal: op.signal })
      const uploaded = performance.now()
      let downloadBytes = 0
      for await (const chunk of stream) {
        downloadBytes += chunk.byteLength
        op.watchdog.touch()
        if (downloadBytes > expected) {
          throw new ProtocolError(`The server sent more than the ${requested} bytes requested`)
        }
        onProgress?.('download', downloadBytes)
      }
      const end = performance.now()
      if (downloadBytes !== expected) {
        throw new ProtocolError(`The server sent ${downloadBytes} bytes of the ${requested} requested`)
      }
      const uploadMs = uploaded - start
      const downloadMs = end - uploaded
      return {
        uploadBytes,
        downloadBytes,
        uploadMs,
        downloadMs,
        totalMs: end - start,
        uploadBytesPerSecond: rate(uploadBytes, uploadMs),
        downloadBytesPerSecond: rate(downloadBytes, downloadMs)
      }
    } catch (err: any) {
      const reason = failure(op.signal, err)
      stream?.abort(reason)
      throw reason
    } finally {
      op.clear()
    }
  }

  /**
   * Sends `count` bytes from the shared block, waiting for `drain` whenever
   * `send()` returns false. No allocation per write: the last, short write is
   * the only view made.
   */
  async #send (stream: Stream, count: number, op: Operation, onProgress?: MeasureOptions['onProgress'], phase?: PerfPhase): Promise<number> {
    const block = this.#block
    let sent = 0
    while (sent < count) {
      const left = count - sent
      const chunk = left >= block.byteLength ? block : block.subarray(0, left)
      sent += chunk.byteLength
      if (!stream.send(chunk)) await stream.onDrain({ signal: op.signal })
      op.watchdog.touch()
      if (onProgress != null && phase != null) onProgress(phase, sent)
    }
    return sent
  }

  #operation (stallMessage: string, outer?: AbortSignal): Operation {
    const controller = new AbortController()
    const watchdog = new Watchdog(this.#timeout, () => { controller.abort(new TimeoutError(stallMessage)) })
    const signal = anySignal([outer, controller.signal, this.#shutdown?.signal])
    let bound: Stream | undefined
    const onAbort = (): void => { bound?.abort(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
    return {
      signal,
      watchdog,
      bind: (stream) => {
        bound = stream
        if (signal.aborted) onAbort()
      },
      clear: () => {
        signal.removeEventListener('abort', onAbort)
        watchdog.clear()
        signal.clear()
      }
    }
  }
}

/** The error to report: the signal's reason when it fired (a timeout or the caller's abort), else `err`. */
function failure (signal: AbortSignal, err: any): Error {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason
  return err instanceof Error ? err : new Error(String(err))
}

function rate (bytes: number, ms: number): number {
  return bytes === 0 || ms <= 0 ? 0 : bytes / (ms / 1000)
}

function toUint64 (value: number | bigint): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new InvalidParametersError(`downloadBytes must be a safe integer of 0 or more, not ${value}`)
    return BigInt(value)
  }
  if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT64) {
    throw new InvalidParametersError(`downloadBytes must be a uint64, not ${String(value)}`)
  }
  return value
}
