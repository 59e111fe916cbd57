import { InvalidParametersError, StreamBufferError, StreamStateError } from '@ts-libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_MAX_BUFFER_SIZE } from './constants.js'
import { pDefer } from './defer.js'
import { DelimiterNotFoundError, UnexpectedEOFError, UnwrappedError } from './errors.js'
import { raceSignal, throwIfAborted } from './race-signal.js'
import type { AbortOptions, MessageStream } from '@ts-libp2p/interface'

/** Options for {@link byteStream}. */
export interface ByteStreamOptions {
  /**
   * Bytes the reader may hold ahead of what was asked for before it aborts
   * the stream with a StreamBufferError. Default 4 MiB.
   */
  maxBufferSize?: number
}

/** Options for one read. */
export interface ReadOptions extends AbortOptions {
  /** Read exactly this many bytes (UnexpectedEOFError if the stream ends first). */
  bytes?: number
}

/** Options for reading up to a delimiter. */
export interface ReadUntilOptions extends AbortOptions {
  /** The most bytes before the delimiter; past it the read fails with DelimiterNotFoundError. */
  maxLength: number
}

/**
 * Reads a message stream as bytes: exact counts, up to a delimiter, or
 * whatever has arrived. What it reads ahead of a request stays in its own
 * buffer for the next read, and goes back into the stream on `unwrap()`.
 */
export interface ByteStream<S extends MessageStream = MessageStream> {
  /**
   * Without `bytes`: whatever has arrived (waiting for at least one byte),
   * or null once the stream has ended. With `bytes`: exactly that many.
   */
  read(options: ReadOptions & { bytes: number }): Promise<Uint8ArrayList>
  read(options?: ReadOptions): Promise<Uint8ArrayList | null>
  /** The bytes before `delimiter`; the delimiter is consumed and not returned. */
  readUntil(delimiter: Uint8Array | number, options: ReadUntilOptions): Promise<Uint8ArrayList>
  /** Sends bytes, waiting for `drain` when the stream says so. */
  write(data: Uint8Array | Uint8ArrayList, options?: AbortOptions): Promise<void>
  /** Bytes read ahead and not yet returned. */
  readonly bufferedLength: number
  /**
   * Waits until at least `bytes` are buffered; false if the stream ended
   * first. With {@link peek} it lets a parser look before it consumes.
   */
  fill(bytes: number, options?: AbortOptions): Promise<boolean>
  /** The buffered bytes, not consumed (do not modify). */
  peek(): Uint8ArrayList
  /** Drops `bytes` buffered bytes (after a peek). */
  consume(bytes: number): void
  /**
   * Stops using the stream and returns it, with the bytes read ahead put
   * back in front of its read buffer. Later calls on this reader throw
   * UnwrappedError.
   */
  unwrap(): S
}

function isEnded (stream: MessageStream): boolean {
  if (stream.readBufferLength > 0) {
    return false
  }
  if (stream.readableEnded) {
    return true
  }
  const s: any = stream
  return stream.status === 'closed' || s.readStatus === 'closed' || s.remoteWriteStatus === 'closed'
}

function failure (stream: MessageStream): Error | undefined {
  if (stream.status === 'aborted' || stream.status === 'reset') {
    return (stream as any).error ?? new StreamStateError(`The stream was ${stream.status}`)
  }
  return undefined
}

class ByteStreamReader<S extends MessageStream> implements ByteStream<S> {
  readonly #stream: S
  readonly #maxBufferSize: number
  readonly #buffer: Uint8ArrayList
  #unwrapped: boolean
  #waiting: boolean

  constructor (stream: S, options: ByteStreamOptions = {}) {
    if (typeof stream?.addEventListener !== 'function' || typeof stream?.send !== 'function' || typeof stream?.unshift !== 'function') {
      throw new InvalidParametersError('byteStream needs a MessageStream (a stream or a connection)')
    }
    this.#stream = stream
    this.#maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE
    this.#buffer = new Uint8ArrayList()
    this.#unwrapped = false
    this.#waiting = false
  }

  get bufferedLength (): number {
    return this.#buffer.byteLength
  }

  peek (): Uint8ArrayList {
    return this.#buffer
  }

  consume (bytes: number): void {
    this.#buffer.consume(bytes)
  }

  #check (): void {
    if (this.#unwrapped) {
      throw new UnwrappedError('The byte stream was unwrapped')
    }
  }

  /**
   * Waits for the next change: bytes (appended to the buffer), the end of
   * the stream, an error, or the signal. Listeners exist only during the
   * wait, so between reads bytes stay in the stream, where its read buffer
   * bound and source pause apply.
   */
  async #waitForMore (wanted: number, options?: AbortOptions): Promise<void> {
    if (this.#waiting) {
      throw new StreamStateError('A read is already in progress on this byte stream')
    }
    const stream = this.#stream
    const deferred = pDefer<void>()
    const onMessage = (evt: any): void => {
      this.#buffer.append(evt.data)
      if (this.#buffer.byteLength > this.#maxBufferSize + wanted) {
        const err = new StreamBufferError(`Byte stream read ahead ${this.#buffer.byteLength} bytes, over its limit of ${this.#maxBufferSize}`)
        this.#buffer.consume(this.#buffer.byteLength)
        deferred.reject(err)
        stream.abort(err)
        return
      }
      if (this.#buffer.byteLength >= wanted) {
        // leave the rest in the stream's own buffer
        stream.removeEventListener('message', onMessage)
      }
      deferred.resolve()
    }
    const onEnd = (): void => { deferred.resolve() }
    const onClose = (evt: any): void => {
      if (evt?.error != null) {
        deferred.reject(evt.error)
      } else {
        deferred.resolve()
      }
    }
    this.#waiting = true
    stream.addEventListener('message', onMessage)
    stream.addEventListener('end', onEnd)
    stream.addEventListener('remoteCloseWrite', onEnd)
    stream.addEventListener('close', onClose)
    try {
      await raceSignal(deferred.promise, options?.signal)
    } finally {
      this.#waiting = false
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('end', onEnd)
      stream.removeEventListener('remoteCloseWrite', onEnd)
      stream.removeEventListener('close', onClose)
    }
  }

  async fill (bytes: number, options?: AbortOptions): Promise<boolean> {
    this.#check()
    throwIfAborted(options?.signal)
    while (this.#buffer.byteLength < bytes) {
      const err = failure(this.#stream)
      if (err != null) {
        throw err
      }
      if (isEnded(this.#stream)) {
        return false
      }
      await this.#waitForMore(bytes, options)
      this.#check()
    }
    return true
  }

  async read (options?: ReadOptions): Promise<any> {
    const bytes = options?.bytes
    if (bytes != null && (!Number.isSafeInteger(bytes) || bytes < 0)) {
      throw new InvalidParametersError(`Cannot read ${bytes} bytes`)
    }
    if (bytes == null) {
      if (!await this.fill(1, options)) {
        return null
      }
      const all = this.#buffer.sublist()
      this.#buffer.consume(all.byteLength)
      return all
    }
    if (!await this.fill(bytes, options)) {
      throw new UnexpectedEOFError(`The stream ended after ${this.#buffer.byteLength} of ${bytes} bytes`)
    }
    const out = this.#buffer.sublist(0, bytes)
    this.#buffer.consume(bytes)
    return out
  }

  async readUntil (delimiter: Uint8Array | number, options: ReadUntilOptions): Promise<Uint8ArrayList> {
    const delim = typeof delimiter === 'number' ? Uint8Array.of(delimiter) : delimiter
    if (delim.byteLength === 0) {
      throw new InvalidParametersError('The delimiter is empty')
    }
    const limit = options.maxLength + delim.byteLength
    let searchFrom = 0
    while (true) {
      const index = this.#buffer.indexOf(delim, searchFrom)
      if (index !== -1 && index <= options.maxLength) {
        const out = this.#buffer.sublist(0, index)
        this.#buffer.consume(index + delim.byteLength)
        return out
      }
      if (index > options.maxLength || this.#buffer.byteLength >= limit) {
        throw new DelimiterNotFoundError(`No delimiter within ${options.maxLength} bytes`)
      }
      searchFrom = Math.max(0, this.#buffer.byteLength - delim.byteLength + 1)
      if (!await this.fill(this.#buffer.byteLength + 1, options)) {
        throw new UnexpectedEOFError(`The stream ended after ${this.#buffer.byteLength} bytes without a delimiter`)
      }
    }
  }

  async write (data: Uint8Array | Uint8ArrayList, options?: AbortOptions): Promise<void> {
    this.#check()
    throwIfAborted(options?.signal)
    if (!this.#stream.send(data)) {
      await this.#stream.onDrain(options)
    }
  }

  unwrap (): S {
    if (!this.#unwrapped) {
      this.#unwrapped = true
      if (this.#buffer.byteLength > 0) {
        this.#stream.log.trace('byte stream unwrapped with %d bytes read ahead', this.#buffer.byteLength)
        const rest = this.#buffer.sublist()
        this.#buffer.consume(rest.byteLength)
        try {
          this.#stream.unshift(rest)
        } catch (err) {
          // the read side already closed: nobody can read them anyway
          this.#stream.log.trace('could not put back %d bytes - %e', rest.byteLength, err)
        }
      }
    }
    return this.#stream
  }
}

/**
 * Wraps a message stream for reading by byte count or delimiter. One reader
 * per stream at a time, and do not iterate the stream while it is wrapped.
 *
 * @example
 *
 * ```ts
 * const bytes = byteStream(stream)
 * const header = await bytes.read({ bytes: 4, signal })
 * const line = await bytes.readUntil(0x0a, { maxLength: 1024, signal })
 * const raw = bytes.unwrap() // read-ahead bytes are back in `raw`
 * ```
 */
export function byteStream<S extends MessageStream> (stream: S, options?: ByteStreamOptions): ByteStream<S> {
  return new ByteStreamReader(stream, options)
}
