/**
 * The multistream-select 1.0.0 wire format: a message is a uvarint length,
 * then the UTF-8 text, then `\n`; the length counts the newline.
 *
 * Hand-written rather than built on a generic length-prefix helper because
 * every rule of this framing is checked here with its own typed error
 * (minimal varint, size limit per message kind, trailing newline, UTF-8), the
 * limit is known before the body arrives, and the decoder hands back the
 * bytes that follow the negotiation without copying them.
 */

import { InvalidMessageError, InvalidParametersError } from '@ts-libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import { LIST_PROTOCOLS, MAX_LS_PROTOCOLS, MAX_LS_RESPONSE_LENGTH, MAX_MESSAGE_LENGTH, MAX_VARINT_BYTES, NEWLINE, NOT_AVAILABLE, PROTOCOL_ID } from './constants.js'

const textEncoder = new TextEncoder()
// fatal: refuse bytes that are not UTF-8; ignoreBOM: keep a BOM as part of the
// text so that bytes compare exactly.
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The number of bytes the uvarint encoding of `value` takes. */
export function varintLength (value: number): number {
  let length = 1
  while (value >= 0x80) {
    value = Math.floor(value / 0x80)
    length++
  }
  return length
}

/** Writes `value` as a uvarint at `offset`; returns the offset after it. */
function writeVarint (value: number, buf: Uint8Array, offset: number): number {
  while (value >= 0x80) {
    buf[offset++] = (value & 0x7f) | 0x80
    value = Math.floor(value / 0x80)
  }
  buf[offset++] = value
  return offset
}

/**
 * Frames message bodies (without newline) into one buffer, each as
 * `<uvarint length><body>\n`.
 */
export function encodeFrames (bodies: Uint8Array[]): Uint8Array {
  let size = 0
  for (const body of bodies) {
    size += varintLength(body.byteLength + 1) + body.byteLength + 1
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const body of bodies) {
    offset = writeVarint(body.byteLength + 1, out, offset)
    out.set(body, offset)
    offset += body.byteLength
    out[offset++] = NEWLINE
  }
  return out
}

/**
 * Encodes messages into one buffer, so that they travel in one packet as the
 * multistream-select README recommends ("the initiator SHOULD send the
 * multistream protocol AND the desired protocol in the same packet").
 */
export function encodeMessages (...messages: string[]): Uint8Array {
  return encodeFrames(messages.map(m => textEncoder.encode(m)))
}

/**
 * Encodes the answer to `ls`: one message whose body is every protocol as its
 * own message (`<uvarint><protocol>\n`), followed by the message's own `\n`
 * (multistream-select README.md, "ls example in detail": "Each protocol is an
 * embedded multistream message ... the response will end with `\n\n`").
 *
 * Protocols that would push the response over `maxLength` are left out (the
 * list is advisory; a dialer can still propose them).
 */
export function encodeLsResponse (protocols: string[], maxLength: number = MAX_LS_RESPONSE_LENGTH): { bytes: Uint8Array, listed: number } {
  const inner: Uint8Array[] = []
  let size = 1 // the closing newline
  for (const protocol of protocols.slice(0, MAX_LS_PROTOCOLS)) {
    const frame = encodeMessages(protocol)
    if (size + frame.byteLength > maxLength) {
      break
    }
    inner.push(frame)
    size += frame.byteLength
  }
  const body = new Uint8Array(size - 1)
  let offset = 0
  for (const frame of inner) {
    body.set(frame, offset)
    offset += frame.byteLength
  }
  return { bytes: encodeFrames([body]), listed: inner.length }
}

/**
 * Decodes UTF-8 text strictly.
 *
 * @throws InvalidMessageError when the bytes are not valid UTF-8
 */
export function decodeText (bytes: Uint8Array): string {
  try {
    return textDecoder.decode(bytes)
  } catch {
    throw new InvalidMessageError('multistream-select message is not valid UTF-8')
  }
}

/** Renders a received message for an error text: quoted, shortened, control characters escaped. */
export function quoted (text: string): string {
  const shown = text.length > 64 ? `${text.slice(0, 64)}...` : text
  return JSON.stringify(shown)
}

/**
 * Reads a uvarint from `bytes` at `offset`, at most MAX_VARINT_BYTES long and
 * minimally encoded (unsigned-varint spec: "integers are minimally encoded").
 *
 * @returns the value and the offset after it, or undefined when `bytes` ends
 * before the varint does
 * @throws InvalidMessageError for a too long or non-minimal varint
 */
function readVarint (bytes: Uint8ArrayList | Uint8Array, offset: number): { value: number, end: number } | undefined {
  let value = 0
  for (let i = 0; ; i++) {
    if (offset + i >= bytes.byteLength) {
      return undefined
    }
    if (i === MAX_VARINT_BYTES) {
      throw new InvalidMessageError(`multistream-select length prefix is longer than ${MAX_VARINT_BYTES} bytes`)
    }
    const byte = bytes instanceof Uint8Array ? bytes[offset + i] : bytes.get(offset + i)
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) {
      if (byte === 0 && i > 0) {
        throw new InvalidMessageError('multistream-select length prefix is not minimally encoded')
      }
      return { value, end: offset + i + 1 }
    }
  }
}

/**
 * Parses the body of an `ls` response (without its closing newline, which
 * MessageDecoder already removed) into protocol ids.
 *
 * @throws InvalidMessageError when the body is not a sequence of
 * length-prefixed, newline-terminated, UTF-8 protocol ids, or lists more than
 * MAX_LS_PROTOCOLS
 */
export function decodeLsResponse (body: Uint8Array): string[] {
  const protocols: string[] = []
  let offset = 0
  while (offset < body.byteLength) {
    if (protocols.length === MAX_LS_PROTOCOLS) {
      throw new InvalidMessageError(`ls response lists more than ${MAX_LS_PROTOCOLS} protocols`)
    }
    const prefix = readVarint(body, offset)
    if (prefix == null) {
      throw new InvalidMessageError('ls response ends inside a length prefix')
    }
    const { value: length, end } = prefix
    if (length === 0) {
      throw new InvalidMessageError('ls response holds an empty entry')
    }
    if (length > MAX_MESSAGE_LENGTH) {
      throw new InvalidMessageError(`ls response entry of ${length} bytes exceeds the limit of ${MAX_MESSAGE_LENGTH}`)
    }
    if (end + length > body.byteLength) {
      throw new InvalidMessageError('ls response ends inside an entry')
    }
    if (body[end + length - 1] !== NEWLINE) {
      throw new InvalidMessageError('ls response entry is missing its trailing newline')
    }
    const entry = body.subarray(end, end + length - 1)
    if (entry.includes(NEWLINE)) {
      throw new InvalidMessageError('ls response entry holds a newline')
    }
    protocols.push(decodeText(entry))
    offset = end + length
  }
  return protocols
}

/**
 * Incremental decoder of multistream-select messages.
 *
 * Push received chunks in with `push()`, take whole messages out with
 * `next()`. Chunks are kept by reference: the bytes left after the last
 * message (`takeRemainder()`), typically application data that arrived with
 * the final negotiation message, are handed back without a copy. The decoder
 * never holds more than the chunks pushed since the last complete message, and
 * refuses a message as soon as its length prefix announces too much.
 */
export class MessageDecoder {
  private readonly buffer = new Uint8ArrayList()

  /** Appends received bytes. */
  push (chunk: Uint8Array | Uint8ArrayList): void {
    this.buffer.append(chunk)
  }

  /** Bytes received and not yet decoded. */
  get bufferedLength (): number {
    return this.buffer.byteLength
  }

  /**
   * Takes the next complete message out of the buffer.
   *
   * @param maxLength - the largest length prefix accepted (newline included)
   * @returns the message body without its newline, or undefined when more
   * bytes are needed
   * @throws InvalidMessageError for a bad length prefix, an empty or oversized
   * message, or a missing trailing newline
   */
  next (maxLength: number = MAX_MESSAGE_LENGTH): Uint8Array | undefined {
    const prefix = readVarint(this.buffer, 0)
    if (prefix == null) {
      return undefined
    }
    const { value: length, end } = prefix
    if (length > maxLength) {
      throw new InvalidMessageError(`multistream-select message of ${length} bytes exceeds the limit of ${maxLength}`)
    }
    if (length === 0) {
      throw new InvalidMessageError('multistream-select message is empty (missing trailing newline)')
    }
    if (this.buffer.byteLength < end + length) {
      return undefined
    }
    if (this.buffer.get(end + length - 1) !== NEWLINE) {
      throw new InvalidMessageError('multistream-select message is missing its trailing newline')
    }
    const body = this.buffer.subarray(end, end + length - 1)
    this.buffer.consume(end + length)
    return body
  }

  /** Removes and returns every byte not yet decoded, without copying. */
  takeRemainder (): Uint8ArrayList {
    const rest = this.buffer.sublist()
    this.buffer.consume(this.buffer.byteLength)
    return rest
  }
}

/**
 * Checks a protocol id given by the local application before it is proposed
 * or offered.
 *
 * @throws InvalidParametersError for an empty id, one holding a newline, one
 * that would not fit in MAX_MESSAGE_LENGTH, or one of the reserved messages
 * (`/multistream/1.0.0`, `na`, `ls`)
 */
export function assertProtocol (protocol: unknown): asserts protocol is string {
  if (typeof protocol !== 'string' || protocol.length === 0) {
    throw new InvalidParametersError('A protocol id must be a non-empty string')
  }
  if (protocol.includes('\n')) {
    throw new InvalidParametersError(`Protocol id ${quoted(protocol)} holds a newline`)
  }
  if (protocol === PROTOCOL_ID || protocol === NOT_AVAILABLE || protocol === LIST_PROTOCOLS) {
    throw new InvalidParametersError(`${quoted(protocol)} is reserved by multistream-select and cannot be negotiated`)
  }
  const length = textEncoder.encode(protocol).byteLength + 1
  if (length > MAX_MESSAGE_LENGTH) {
    throw new InvalidParametersError(`Protocol id of ${length - 1} bytes is longer than the limit of ${MAX_MESSAGE_LENGTH - 1}`)
  }
}

/** Normalises a protocol list argument, checking each entry. */
export function toProtocolList (protocols: string | string[], max: number, allowEmpty = false): string[] {
  const list = Array.isArray(protocols) ? [...protocols] : [protocols]
  if (list.length === 0 && !allowEmpty) {
    throw new InvalidParametersError('At least one protocol must be given')
  }
  if (list.length > max) {
    throw new InvalidParametersError(`At most ${max} protocols can be given, got ${list.length}`)
  }
  list.forEach(assertProtocol)
  return list
}
