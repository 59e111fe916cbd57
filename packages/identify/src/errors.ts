/** An identify frame was over the size limit, or a stream carried too many frames. */
export class MessageTooLargeError extends Error {
  static override name = 'MessageTooLargeError'

  constructor (message = 'The identify message is too large') {
    super(message)
    this.name = 'MessageTooLargeError'
  }
}

/** The public key in an identify message is not the key of the connection's remote peer. */
export class PublicKeyMismatchError extends Error {
  static override name = 'PublicKeyMismatchError'

  constructor (message = 'The identify public key does not match the remote peer id') {
    super(message)
    this.name = 'PublicKeyMismatchError'
  }
}
