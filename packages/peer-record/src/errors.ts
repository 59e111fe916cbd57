/** The envelope's signature does not verify under the expected domain (or at all). */
export class InvalidSignatureError extends Error {
  static override name = 'InvalidSignatureError'
  constructor (message = 'Envelope signature is not valid for the given domain') { super(message); this.name = 'InvalidSignatureError' }
}

/** Bytes that were meant to be a signed envelope could not be parsed as one. */
export class InvalidEnvelopeError extends Error {
  static override name = 'InvalidEnvelopeError'
  constructor (message = 'Invalid signed envelope') { super(message); this.name = 'InvalidEnvelopeError' }
}

/** Bytes that were meant to be a peer record could not be parsed as one. */
export class InvalidPeerRecordError extends Error {
  static override name = 'InvalidPeerRecordError'
  constructor (message = 'Invalid peer record') { super(message); this.name = 'InvalidPeerRecordError' }
}

/** The envelope carries another payload type than the record asked for. */
export class WrongPayloadTypeError extends Error {
  static override name = 'WrongPayloadTypeError'
  constructor (message = 'The envelope carries another payload type') { super(message); this.name = 'WrongPayloadTypeError' }
}
