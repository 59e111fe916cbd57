import { InvalidParametersError } from '@ts-libp2p/interface'
import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'
import { byteStream } from './byte-stream.js'
import { DEFAULT_MAX_DATA_LENGTH, MAX_VARINT_LENGTH } from './constants.js'
import { InvalidDataLengthError, InvalidDataLengthLengthError, InvalidMessageLengthError, UnexpectedEOFError } from './errors.js'
import type { ByteStream, ByteStreamOptions } from './byte-stream.js'
import type { AbortOptions, MessageStream } from '@ts-libp2p/interface'

/** Options for {@link lpStream}. */
export interface LengthPrefixedStreamOptions extends ByteStreamOptions {
  /** The largest frame read or written. Default 4 MiB. */
  maxDataLength?: number
  /**
   * The most bytes the length varint may take. Default: the length of the
   * varint of `maxDataLength`, so an over-long prefix fails at once.
   */
  maxLengthLength?: number
}

/**
 * Reads and writes unsigned-varint length-prefixed frames (the framing of
 * multistream-select, identify, kad-dht, gossipsub and most libp2p
 * protocols) over a message stream.
 */
export interface LengthPrefixedStream<S extends MessageStream = MessageStream> {
  /**
   * Reads one frame. Rejects with InvalidDataLengthError if it announces
   * more than `maxDataLength` (before reading the body),
   * InvalidDataLengthLengthError for an over-long prefix, and
   * UnexpectedEOFError if the stream ends before the frame does (or before
   * it starts).
   */
  read(options?: AbortOptions): Promise<Uint8ArrayList>
  /** Writes one frame, waiting for `drain` when the stream says so. */
  write(data: Uint8Array | Uint8ArrayList, options?: AbortOptions): Promise<void>
  /** Writes several frames with one `send()`. */
  writeV(data: Array<Uint8Array | Uint8ArrayList>, options?: AbortOptions): Promise<void>
  /** The underlying byte reader. */
  bytes: ByteStream<S>
  /** Stops using the stream and returns it with read-ahead bytes put back. */
  unwrap(): S
}

/** Bytes the unsigned varint of `value` takes. */
export function varintLength (value: number): number {
  let length = 1
  while (value >= 0x80) {
    value = Math.floor(value / 0x80)
    length++
  }
  return length
}

/**
 * Decodes an unsigned varint at the start of `buf`. Returns the value and
 * the bytes it took, or undefined when `buf` ends inside it.
 */
export function decodeVarint (buf: Uint8ArrayList | Uint8Array, maxBytes = MAX_VARINT_LENGTH): { value: number, bytes: number } | undefined {
  let value = 0
  let multiplier = 1
  const available = buf.byteLength
  for (let i = 0; i < available; i++) {
    if (i >= maxBytes) {
      throw new InvalidDataLengthLengthError(`Length prefix longer than ${maxBytes} bytes`)
    }
    const byte = buf instanceof Uint8Array ? buf[i] : buf.get(i)
    value += (byte & 0x7f) * multiplier
    if (byte < 0x80) {
      if (!Number.isSafeInteger(value)) {
        throw new InvalidMessageLengthError('Length prefix is not a safe integer')
      }
      return { value, bytes: i + 1 }
    }
    multiplier *= 0x80
  }
  if (available >= maxBytes) {
    throw new InvalidDataLengthLengthError(`Length prefix longer than ${maxBytes} bytes`)
  }
  return undefined
}

class LengthPrefixedReaderWriter<S extends MessageStream> implements LengthPrefixedStream<S> {
  readonly bytes: ByteStream<S>
  readonly #maxDataLength: number
  readonly #maxLengthLength: number

  constructor (stream: S, options: LengthPrefixedStreamOptions) {
    this.#maxDataLength = options.maxDataLength ?? DEFAULT_MAX_DATA_LENGTH
    if (!Number.isSafeInteger(this.#maxDataLength) || this.#maxDataLength < 0) {
      throw new InvalidParametersError(`maxDataLength ${this.#maxDataLength} is not a byte count`)
    }
    this.#maxLengthLength = Math.min(options.maxLengthLength ?? varintLength(this.#maxDataLength), MAX_VARINT_LENGTH)
    this.bytes = byteStream(stream, options)
  }

  async read (options?: AbortOptions): Promise<Uint8ArrayList> {
    let prefix: { value: number, bytes: number } | undefined
    let wanted = 1
    while (true) {
      if (!await this.bytes.fill(wanted, options)) {
        throw new UnexpectedEOFError(this.bytes.bufferedLength === 0 ? 'The stream ended before a length-prefixed frame' : 'The stream ended inside a length prefix')
      }
      prefix = decodeVarint(this.bytes.peek(), this.#maxLengthLength)
      if (prefix != null) {
        break
      }
      wanted = this.bytes.bufferedLength + 1
    }
    if (prefix.value > this.#maxDataLength) {
      throw new InvalidDataLengthError(`Frame of ${prefix.value} bytes is over the limit of ${this.#maxDataLength}`)
    }
    this.bytes.consume(prefix.bytes)
    if (prefix.value === 0) {
      return new Uint8ArrayList()
    }
    try {
      return await this.bytes.read({ ...options, bytes: prefix.value })
    } catch (err: any) {
      if (err?.name === 'UnexpectedEOFError') {
        throw new UnexpectedEOFError(`The stream ended inside a frame of ${prefix.value} bytes`)
      }
      throw err
    }
  }

  #encode (data: Uint8Array | Uint8ArrayList): Uint8ArrayList {
    if (data.byteLength > this.#maxDataLength) {
      throw new InvalidDataLengthError(`Cannot write a frame of ${data.byteLength} bytes, over the limit of ${this.#maxDataLength}`)
    }
    return lp.encode.single(data, { maxDataLength: this.#maxDataLength })
  }

  async write (data: Uint8Array | Uint8ArrayList, options?: AbortOptions): Promise<void> {
    await this.bytes.write(this.#encode(data), options)
  }

  async writeV (data: Array<Uint8Array | Uint8ArrayList>, options?: AbortOptions): Promise<void> {
    const all = new Uint8ArrayList()
    for (const frame of data) {
      all.append(this.#encode(frame))
    }
    await this.bytes.write(all, options)
  }

  unwrap (): S {
    return this.bytes.unwrap()
  }
}

/**
 * Wraps a message stream for length-prefixed frames. Encoding uses
 * `it-length-prefixed`; decoding is done here over the byte reader so that
 * an over-size frame is refused from its prefix alone and so that
 * `unwrap()` can hand back exactly the bytes after the last frame read
 * (multistream-select needs that when it hands a stream to the protocol).
 *
 * @example
 *
 * ```ts
 * const lps = lpStream(stream, { maxDataLength: 1024 })
 * await lps.write(new TextEncoder().encode('/multistream/1.0.0\n'), { signal })
 * const reply = await lps.read({ signal })
 * ```
 */
export function lpStream<S extends MessageStream> (stream: S, options: LengthPrefixedStreamOptions = {}): LengthPrefixedStream<S> {
  return new LengthPrefixedReaderWriter(stream, options)
}
