/** The pubsub base's errors. Callers match on `.name`. */

/** An RPC frame is not a valid pubsub protobuf (bad wire type, truncated field, missing required topic...). */
export class InvalidRpcError extends Error {
  static override name = 'InvalidRpcError'

  constructor (message = 'Invalid pubsub RPC') {
    super(message)
    this.name = 'InvalidRpcError'
  }
}

/** An RPC frame (to read or to write) is larger than the configured maximum. */
export class RpcTooLargeError extends Error {
  static override name = 'RpcTooLargeError'

  constructor (message = 'Pubsub RPC is too large') {
    super(message)
    this.name = 'RpcTooLargeError'
  }
}

/** An RPC carries more entries of some kind (subscriptions, messages, message ids...) than the decode limits allow. */
export class RpcLimitExceededError extends Error {
  static override name = 'RpcLimitExceededError'

  constructor (message = 'Pubsub RPC exceeds a decode limit') {
    super(message)
    this.name = 'RpcLimitExceededError'
  }
}

/** A peer's outbound queue is full: the peer does not read fast enough. */
export class SendQueueFullError extends Error {
  static override name = 'SendQueueFullError'

  constructor (message = 'Pubsub send queue is full') {
    super(message)
    this.name = 'SendQueueFullError'
  }
}

/** A message could not be signed or built (e.g. StrictSign without a private key). */
export class MessageSigningError extends Error {
  static override name = 'MessageSigningError'

  constructor (message = 'Could not sign the pubsub message') {
    super(message)
    this.name = 'MessageSigningError'
  }
}

/** `publish()` was called before `start()` or after `stop()`. */
export class PubSubNotStartedError extends Error {
  static override name = 'PubSubNotStartedError'

  constructor (message = 'The pubsub router is not started') {
    super(message)
    this.name = 'PubSubNotStartedError'
  }
}

/** A topic name is empty or longer than the limit. */
export class InvalidTopicError extends Error {
  static override name = 'InvalidTopicError'

  constructor (message = 'Invalid pubsub topic') {
    super(message)
    this.name = 'InvalidTopicError'
  }
}
