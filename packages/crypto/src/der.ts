/**
 * A small, strict ASN.1 DER reader and writer for the few structures libp2p
 * keys use: PKIX SubjectPublicKeyInfo (RFC 5280), PKCS#1 RSA keys (RFC 8017
 * appendix A.1), SEC 1 EC private keys (RFC 5915) and PKCS#8 (RFC 5208).
 *
 * Hand-written because the structures are tiny and fixed, because the same
 * code must run with and without node:crypto, and because a peer's bytes must
 * be checked strictly (definite, minimal lengths; minimal integers; nothing
 * trailing) before any of them reach a crypto library. Every failure is thrown
 * as the error class the caller passes in, so a bad key surfaces as our typed
 * `InvalidPublicKeyError` / `InvalidPrivateKeyError`.
 */

export type ErrorClass = new (message?: string) => Error

export const TAG_INTEGER = 0x02
export const TAG_BIT_STRING = 0x03
export const TAG_OCTET_STRING = 0x04
export const TAG_NULL = 0x05
export const TAG_OID = 0x06
export const TAG_SEQUENCE = 0x30
/** `[0] EXPLICIT`, constructed context-specific tag 0. */
export const TAG_CONTEXT_0 = 0xa0
/** `[1] EXPLICIT`, constructed context-specific tag 1. */
export const TAG_CONTEXT_1 = 0xa1

/** One decoded TLV: its tag and a view of its contents. */
export interface DerElement {
  tag: number
  contents: Uint8Array
}

/** Reads consecutive DER elements from a buffer. */
export class DerReader {
  private readonly bytes: Uint8Array
  private offset = 0
  private readonly error: ErrorClass
  private readonly what: string

  /**
   * @param bytes - the encoding to read
   * @param error - the error class thrown for malformed input
   * @param what - names the structure in error messages
   */
  constructor (bytes: Uint8Array, error: ErrorClass, what: string) {
    this.bytes = bytes
    this.error = error
    this.what = what
  }

  /** True when every byte has been read. */
  get done (): boolean {
    return this.offset === this.bytes.byteLength
  }

  /** Throws unless every byte has been read. */
  end (): void {
    if (!this.done) {
      this.fail(`${this.bytes.byteLength - this.offset} trailing bytes`)
    }
  }

  /** The tag of the next element, or undefined at the end. */
  peekTag (): number | undefined {
    return this.done ? undefined : this.bytes[this.offset]
  }

  /** Reads the next element, which must have tag `tag`. */
  read (tag: number): DerElement {
    const element = this.readAny()
    if (element.tag !== tag) {
      this.fail(`expected tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`)
    }
    return element
  }

  /** Reads the next element whatever its tag. */
  readAny (): DerElement {
    const bytes = this.bytes
    if (this.offset + 2 > bytes.byteLength) {
      this.fail('truncated element header')
    }
    const tag = bytes[this.offset]
    if ((tag & 0x1f) === 0x1f) {
      this.fail('multi-byte tags are not used by key structures')
    }
    let length = bytes[this.offset + 1]
    let headerLength = 2
    if (length === 0x80) {
      this.fail('indefinite lengths are not DER')
    } else if (length > 0x80) {
      const lengthBytes = length & 0x7f
      if (lengthBytes > 3) {
        this.fail('element length does not fit a key structure')
      }
      if (this.offset + 2 + lengthBytes > bytes.byteLength) {
        this.fail('truncated element length')
      }
      length = 0
      for (let i = 0; i < lengthBytes; i++) {
        length = (length * 256) + bytes[this.offset + 2 + i]
      }
      // DER: the shortest length encoding is the only valid one
      if (length < 0x80 || bytes[this.offset + 2] === 0) {
        this.fail('length is not minimally encoded')
      }
      headerLength += lengthBytes
    }
    const start = this.offset + headerLength
    const end = start + length
    if (end > bytes.byteLength) {
      this.fail(`element claims ${length} bytes, ${bytes.byteLength - start} remain`)
    }
    this.offset = end
    return { tag, contents: bytes.subarray(start, end) }
  }

  /** Reads a SEQUENCE and returns a reader over its contents. */
  sequence (): DerReader {
    return this.child(this.read(TAG_SEQUENCE).contents)
  }

  /** Reads an explicitly tagged element and returns a reader over its contents. */
  explicit (tag: number): DerReader {
    return this.child(this.read(tag).contents)
  }

  /** Reads a non-negative INTEGER. */
  unsignedInteger (): bigint {
    const { contents } = this.read(TAG_INTEGER)
    if (contents.byteLength === 0) {
      this.fail('empty INTEGER')
    }
    if ((contents[0] & 0x80) !== 0) {
      this.fail('negative INTEGER where a positive one is required')
    }
    if (contents.byteLength > 1 && contents[0] === 0 && (contents[1] & 0x80) === 0) {
      this.fail('INTEGER is not minimally encoded')
    }
    return bytesToBigInt(contents)
  }

  /** Reads an INTEGER that must equal `expected` (a version field). */
  version (expected: number): void {
    const version = this.unsignedInteger()
    if (version !== BigInt(expected)) {
      this.fail(`unsupported version ${version}`)
    }
  }

  /** Reads an OBJECT IDENTIFIER and returns its encoded contents. */
  oid (): Uint8Array {
    const { contents } = this.read(TAG_OID)
    if (contents.byteLength === 0) {
      this.fail('empty OBJECT IDENTIFIER')
    }
    return contents
  }

  /** Reads a NULL. */
  null (): void {
    if (this.read(TAG_NULL).contents.byteLength !== 0) {
      this.fail('NULL with contents')
    }
  }

  /** Reads a BIT STRING that holds whole bytes and returns them. */
  bitString (): Uint8Array {
    const { contents } = this.read(TAG_BIT_STRING)
    if (contents.byteLength === 0 || contents[0] !== 0) {
      this.fail('BIT STRING with unused bits')
    }
    return contents.subarray(1)
  }

  /** Reads an OCTET STRING. */
  octetString (): Uint8Array {
    return this.read(TAG_OCTET_STRING).contents
  }

  /** Throws the caller's error class with `message`. */
  fail (message: string): never {
    throw new this.error(`Invalid ${this.what}: ${message}`)
  }

  private child (contents: Uint8Array): DerReader {
    return new DerReader(contents, this.error, this.what)
  }
}

/** Big-endian unsigned bytes to a bigint. */
export function bytesToBigInt (bytes: Uint8Array): bigint {
  let value = 0n
  for (const byte of bytes) {
    value = (value << 8n) | BigInt(byte)
  }
  return value
}

/** A non-negative bigint to its shortest big-endian bytes (at least one byte), or exactly `length` bytes. */
export function bigIntToBytes (value: bigint, length?: number): Uint8Array {
  if (value < 0n) {
    throw new RangeError('negative value')
  }
  let hex = value.toString(16)
  if (hex.length % 2 === 1) {
    hex = '0' + hex
  }
  const size = length ?? hex.length / 2
  if (hex.length / 2 > size) {
    throw new RangeError(`value does not fit in ${size} bytes`)
  }
  const out = new Uint8Array(size)
  const offset = size - hex.length / 2
  for (let i = 0; i < hex.length / 2; i++) {
    out[offset + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  }
  return out
}

/** Number of significant bits of a non-negative bigint. */
export function bitLength (value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length
}

function encodeLength (length: number): Uint8Array {
  if (length < 0x80) {
    return Uint8Array.of(length)
  }
  const bytes = bigIntToBytes(BigInt(length))
  return Uint8Array.of(0x80 | bytes.byteLength, ...bytes)
}

/** Encodes one TLV. */
export function encodeElement (tag: number, ...contents: Uint8Array[]): Uint8Array {
  let size = 0
  for (const part of contents) {
    size += part.byteLength
  }
  const header = encodeLength(size)
  const out = new Uint8Array(1 + header.byteLength + size)
  out[0] = tag
  out.set(header, 1)
  let offset = 1 + header.byteLength
  for (const part of contents) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

/** Encodes a SEQUENCE of already-encoded elements. */
export function encodeSequence (...elements: Uint8Array[]): Uint8Array {
  return encodeElement(TAG_SEQUENCE, ...elements)
}

/** Encodes a non-negative INTEGER minimally. */
export function encodeUnsignedInteger (value: bigint): Uint8Array {
  const bytes = bigIntToBytes(value)
  // a leading 1 bit would read as negative: prefix a zero byte
  return (bytes[0] & 0x80) !== 0
    ? encodeElement(TAG_INTEGER, Uint8Array.of(0), bytes)
    : encodeElement(TAG_INTEGER, bytes)
}

/** Encodes a BIT STRING of whole bytes. */
export function encodeBitString (bytes: Uint8Array): Uint8Array {
  return encodeElement(TAG_BIT_STRING, Uint8Array.of(0), bytes)
}

/** Encodes an OCTET STRING. */
export function encodeOctetString (bytes: Uint8Array): Uint8Array {
  return encodeElement(TAG_OCTET_STRING, bytes)
}

/** Encodes an OBJECT IDENTIFIER from its encoded contents. */
export function encodeOid (contents: Uint8Array): Uint8Array {
  return encodeElement(TAG_OID, contents)
}

/** The encoding of NULL. */
export const DER_NULL = Uint8Array.of(TAG_NULL, 0)
