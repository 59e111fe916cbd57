/**
 * Errors raised by the helpers of this package.
 *
 * The names are the ones the js-libp2p ecosystem uses for the same failures
 * (`it-length-prefixed`, `@libp2p/utils`), so a caller matching on `err.name`
 * handles ours and theirs alike. Errors every package shares (StreamStateError,
 * StreamBufferError, AbortError...) live in `@ts-libp2p/interface`.
 */

/** The stream ended before the bytes a reader asked for arrived. */
export class UnexpectedEOFError extends Error {
  static override name = 'UnexpectedEOFError'
  constructor (message = 'Unexpected end of stream') {
    super(message)
    this.name = 'UnexpectedEOFError'
  }
}

/** A length prefix announced a frame larger than the reader accepts. */
export class InvalidDataLengthError extends Error {
  static override name = 'InvalidDataLengthError'
  constructor (message = 'Message length too long') {
    super(message)
    this.name = 'InvalidDataLengthError'
  }
}

/** A length prefix (varint) ran over the bytes allowed for it. */
export class InvalidDataLengthLengthError extends Error {
  static override name = 'InvalidDataLengthLengthError'
  constructor (message = 'Message length length too long') {
    super(message)
    this.name = 'InvalidDataLengthLengthError'
  }
}

/** A length prefix is not a valid unsigned varint. */
export class InvalidMessageLengthError extends Error {
  static override name = 'InvalidMessageLengthError'
  constructor (message = 'Invalid message length') {
    super(message)
    this.name = 'InvalidMessageLengthError'
  }
}

/** A byte or length-prefixed reader was used after `unwrap()`. */
export class UnwrappedError extends Error {
  static override name = 'UnwrappedError'
  constructor (message = 'The stream was unwrapped') {
    super(message)
    this.name = 'UnwrappedError'
  }
}

/** A delimiter was not found within the allowed number of bytes. */
export class DelimiterNotFoundError extends Error {
  static override name = 'DelimiterNotFoundError'
  constructor (message = 'Delimiter not found') {
    super(message)
    this.name = 'DelimiterNotFoundError'
  }
}
