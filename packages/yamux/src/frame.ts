import { ByteQueue } from '@ts-libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'
import { FrameType, HEADER_LENGTH, YAMUX_VERSION } from './constants.js'
import { InvalidFrameTypeError, InvalidVersionError } from './errors.js'

/** A decoded frame header (spec lines 37-43). */
export interface FrameHeader {
  type: FrameType
  flags: number
  streamId: number
  /** Payload length (Data), window delta (Window Update), opaque value (Ping) or code (Go Away). */
  length: number
}

const SLAB_SIZE = 16 * 1024
let slab = new Uint8Array(SLAB_SIZE)
let slabOffset = 0

/**
 * Encodes a header into 12 bytes carved from a shared slab, so that many
 * frames cost one allocation. The returned array is never written again.
 */
export function encodeHeader (type: FrameType, flags: number, streamId: number, length: number): Uint8Array {
  if (slabOffset + HEADER_LENGTH > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE)
    slabOffset = 0
  }
  const buf = slab.subarray(slabOffset, slabOffset + HEADER_LENGTH)
  slabOffset += HEADER_LENGTH
  writeHeader(buf, type, flags, streamId, length)
  return buf
}

/** Encodes a header into the first 12 bytes of `buf` (e.g. space reserved in a write batch). */
export function writeHeader (buf: Uint8Array, type: FrameType, flags: number, streamId: number, length: number): void {
  buf[0] = YAMUX_VERSION
  buf[1] = type
  buf[2] = (flags >>> 8) & 0xff
  buf[3] = flags & 0xff
  buf[4] = (streamId >>> 24) & 0xff
  buf[5] = (streamId >>> 16) & 0xff
  buf[6] = (streamId >>> 8) & 0xff
  buf[7] = streamId & 0xff
  buf[8] = (length >>> 24) & 0xff
  buf[9] = (length >>> 16) & 0xff
  buf[10] = (length >>> 8) & 0xff
  buf[11] = length & 0xff
}

/** Rewrites the length field of an encoded header (a queued frame that grew). */
export function writeFrameLength (buf: Uint8Array, length: number): void {
  buf[8] = (length >>> 24) & 0xff
  buf[9] = (length >>> 16) & 0xff
  buf[10] = (length >>> 8) & 0xff
  buf[11] = length & 0xff
}

/**
 * Decodes the header at the front of `buf` (which must hold at least 12
 * bytes). Throws InvalidVersionError or InvalidFrameTypeError.
 */
export function decodeHeader (buf: Uint8ArrayList | Uint8Array | ByteQueue): FrameHeader {
  let bytes: Uint8Array
  if (buf instanceof Uint8Array) {
    bytes = buf
  } else {
    bytes = new Uint8Array(HEADER_LENGTH)
    for (let i = 0; i < HEADER_LENGTH; i++) {
      bytes[i] = buf.get(i)
    }
  }
  const version = bytes[0]
  if (version !== YAMUX_VERSION) {
    throw new InvalidVersionError(`Invalid yamux version ${version}, expected ${YAMUX_VERSION}`)
  }
  const type = bytes[1]
  if (type > FrameType.GoAway) {
    throw new InvalidFrameTypeError(`Invalid yamux frame type ${type}`)
  }
  return {
    type: type as FrameType,
    flags: (bytes[2] << 8) | bytes[3],
    streamId: ((bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0,
    length: ((bytes[8] << 24) | (bytes[9] << 16) | (bytes[10] << 8) | bytes[11]) >>> 0
  }
}

/** One frame: a header and, for data frames, the payload (a list of the sender's arrays). */
export interface Frame {
  header: FrameHeader
  data?: Uint8ArrayList
}

/**
 * Splits a byte stream into frames. Bytes are appended as they arrive;
 * `next()` yields complete frames without copying payloads (they are
 * subarrays of the received arrays). The `checkHeader` callback sees each
 * header before its payload is buffered, so a length can be refused first.
 */
export class FrameDecoder {
  readonly #buffer: ByteQueue
  /** The header bytes, copied out of the queue (they may span received arrays). */
  readonly #headerBytes: Uint8Array
  #header?: FrameHeader
  readonly #checkHeader: (header: FrameHeader) => void

  /**
   * @param checkHeader - called for each header before its payload is
   * buffered; throw to refuse it (e.g. a length past the receive window)
   */
  constructor (checkHeader: (header: FrameHeader) => void = () => {}) {
    this.#buffer = new ByteQueue()
    this.#headerBytes = new Uint8Array(HEADER_LENGTH)
    this.#checkHeader = checkHeader
  }

  /** Bytes received but not yet decoded. */
  get bufferedBytes (): number {
    return this.#buffer.byteLength
  }

  push (data: Uint8Array | Uint8ArrayList): void {
    this.#buffer.push(data)
  }

  /** The next complete frame, or undefined until more bytes arrive. */
  next (): Frame | undefined {
    if (this.#header == null) {
      if (this.#buffer.byteLength < HEADER_LENGTH) {
        return undefined
      }
      this.#buffer.copyTo(this.#headerBytes, HEADER_LENGTH)
      const header = decodeHeader(this.#headerBytes)
      this.#buffer.skip(HEADER_LENGTH)
      this.#checkHeader(header)
      if (header.type !== FrameType.Data) {
        return { header }
      }
      this.#header = header
    }
    const header = this.#header
    if (this.#buffer.byteLength < header.length) {
      return undefined
    }
    this.#header = undefined
    return { header, data: this.#buffer.take(header.length) }
  }
}
