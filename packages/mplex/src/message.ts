import { Uint8ArrayList } from 'uint8arraylist'
import { ByteQueue } from '@ts-libp2p/utils'
import { MAX_HEADER_VALUE, MAX_VARINT_BYTES, MessageType } from './constants.js'
import { InvalidFlagError, InvalidVarintError, MessageTooLargeError } from './errors.js'

/** One mplex message (spec lines 115-120). */
export interface Message {
  id: number
  type: MessageType
  /** The payload: a sublist of the received arrays (no copy). */
  data: Uint8ArrayList
}

/** Writes `value` as an unsigned varint into `buf` at `offset`; returns the new offset. */
function writeVarint (value: number, buf: Uint8Array, offset: number): number {
  while (value >= 0x80) {
    buf[offset++] = (value % 0x80) | 0x80
    value = Math.floor(value / 0x80)
  }
  buf[offset++] = value
  return offset
}

const SLAB_SIZE = 16 * 1024
let slab = new Uint8Array(SLAB_SIZE)
let slabOffset = 0

/**
 * Encodes a message header (header varint + length varint) into at most 18
 * bytes carved from a shared slab. The payload is sent as is, after it.
 */
export function encodeHeader (id: number, type: MessageType, length: number): Uint8Array {
  if (slabOffset + 2 * MAX_VARINT_BYTES > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE)
    slabOffset = 0
  }
  const start = slabOffset
  let end = writeVarint(id * 8 + type, slab, start)
  end = writeVarint(length, slab, end)
  slabOffset = end
  return slab.subarray(start, end)
}

/** Reads an unsigned varint at `offset`; undefined if the bytes end inside it. */
export function readVarint (buf: ByteQueue | Uint8ArrayList, offset: number): { value: number, bytes: number } | undefined {
  let value = 0
  let multiplier = 1
  const available = buf.byteLength - offset
  for (let i = 0; i < available; i++) {
    if (i >= MAX_VARINT_BYTES) {
      throw new InvalidVarintError(`Varint longer than ${MAX_VARINT_BYTES} bytes (spec line 101)`)
    }
    const byte = buf.get(offset + i)
    value += (byte & 0x7f) * multiplier
    if (value > MAX_HEADER_VALUE) {
      throw new InvalidVarintError('Varint past Number.MAX_SAFE_INTEGER')
    }
    if (byte < 0x80) {
      return { value, bytes: i + 1 }
    }
    multiplier *= 0x80
  }
  if (available >= MAX_VARINT_BYTES) {
    throw new InvalidVarintError(`Varint longer than ${MAX_VARINT_BYTES} bytes (spec line 101)`)
  }
  return undefined
}

/**
 * Splits a byte stream into mplex messages. The length is checked against
 * `maxMessageSize` before the payload is buffered, so a peer cannot make it
 * hold more than one maximal message.
 */
export class MessageDecoder {
  readonly #buffer: ByteQueue
  readonly #maxMessageSize: number
  #header?: { id: number, type: MessageType, length: number }

  constructor (maxMessageSize: number) {
    this.#buffer = new ByteQueue()
    this.#maxMessageSize = maxMessageSize
  }

  /** Bytes received but not yet decoded. */
  get bufferedBytes (): number {
    return this.#buffer.byteLength
  }

  push (data: Uint8Array | Uint8ArrayList): void {
    this.#buffer.push(data)
  }

  /** The next complete message, or undefined until more bytes arrive. */
  next (): Message | undefined {
    if (this.#header == null) {
      const header = readVarint(this.#buffer, 0)
      if (header == null) {
        return undefined
      }
      const length = readVarint(this.#buffer, header.bytes)
      if (length == null) {
        return undefined
      }
      const type = header.value % 8
      if (type > MessageType.ResetInitiator) {
        throw new InvalidFlagError(`Invalid mplex flag ${type}`)
      }
      if (length.value > this.#maxMessageSize) {
        throw new MessageTooLargeError(`mplex message of ${length.value} bytes exceeds the maximum of ${this.#maxMessageSize}`)
      }
      this.#buffer.skip(header.bytes + length.bytes)
      this.#header = { id: Math.floor(header.value / 8), type: type as MessageType, length: length.value }
    }
    const { id, type, length } = this.#header
    if (this.#buffer.byteLength < length) {
      return undefined
    }
    this.#header = undefined
    const data = this.#buffer.take(length)
    return { id, type, data }
  }
}
