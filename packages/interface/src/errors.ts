/**
 * Typed errors shared by every ts-libp2p package.
 *
 * Every class sets `name` both as a static and on the instance. Match errors
 * with `err.name === StreamResetError.name` rather than `instanceof`: the name
 * survives two copies of a package in node_modules, and it is the same name the
 * official js-libp2p modules use, so callers of either implementation can
 * match the same way.
 */

function defineError (name: string, defaultMessage: string): new (message?: string) => Error {
  // A named class expression per error keeps stack traces readable.
  const Named = {
    [name]: class extends Error {
      static override name = name
      constructor (message: string = defaultMessage) {
        super(message)
        this.name = name
      }
    }
  }[name]
  return Named
}

/** An operation stopped because its AbortSignal fired. */
export class AbortError extends Error {
  static override name = 'AbortError'
  constructor (message = 'The operation was aborted') { super(message); this.name = 'AbortError' }
}

/** The remote peer proved an identity other than the one that was dialled. */
export class UnexpectedPeerError extends Error {
  static override name = 'UnexpectedPeerError'
  constructor (message = 'Unexpected peer') { super(message); this.name = 'UnexpectedPeerError' }
}

/** A security handshake failed: bad signature, bad payload, wrong key. */
export class InvalidCryptoExchangeError extends Error {
  static override name = 'InvalidCryptoExchangeError'
  constructor (message = 'Invalid crypto exchange') { super(message); this.name = 'InvalidCryptoExchangeError' }
}

/** A function or method was called with arguments it cannot use. */
export class InvalidParametersError extends Error {
  static override name = 'InvalidParametersError'
  constructor (message = 'Invalid parameters') { super(message); this.name = 'InvalidParametersError' }
}

/** Bytes that should hold a public key do not. */
export class InvalidPublicKeyError extends Error {
  static override name = 'InvalidPublicKeyError'
  constructor (message = 'Invalid public key') { super(message); this.name = 'InvalidPublicKeyError' }
}

/** Bytes that should hold a private key do not. */
export class InvalidPrivateKeyError extends Error {
  static override name = 'InvalidPrivateKeyError'
  constructor (message = 'Invalid private key') { super(message); this.name = 'InvalidPrivateKeyError' }
}

/** The operation is not possible on this object (e.g. signing with a public key). */
export class UnsupportedOperationError extends Error {
  static override name = 'UnsupportedOperationError'
  constructor (message = 'Unsupported operation') { super(message); this.name = 'UnsupportedOperationError' }
}

/** The connection is closing, so it cannot be used for new work. */
export class ConnectionClosingError extends Error {
  static override name = 'ConnectionClosingError'
  constructor (message = 'The connection is closing') { super(message); this.name = 'ConnectionClosingError' }
}

/** The connection is closed. */
export class ConnectionClosedError extends Error {
  static override name = 'ConnectionClosedError'
  constructor (message = 'The connection is closed') { super(message); this.name = 'ConnectionClosedError' }
}

/** A connection could not be opened. */
export class ConnectionFailedError extends Error {
  static override name = 'ConnectionFailedError'
  constructor (message = 'Connection failed') { super(message); this.name = 'ConnectionFailedError' }
}

/** The stream muxer is closed, so no stream can be opened on it. */
export class MuxerClosedError extends Error {
  static override name = 'MuxerClosedError'
  constructor (message = 'The muxer is closed') { super(message); this.name = 'MuxerClosedError' }
}

/** The remote end reset the stream. */
export class StreamResetError extends Error {
  static override name = 'StreamResetError'
  constructor (message = 'The stream has been reset') { super(message); this.name = 'StreamResetError' }
}

/** The local end aborted the stream. */
export class StreamAbortedError extends Error {
  static override name = 'StreamAbortedError'
  constructor (message = 'The stream has been aborted') { super(message); this.name = 'StreamAbortedError' }
}

/** The stream is in a state that does not allow the operation (e.g. writing after close). */
export class StreamStateError extends Error {
  static override name = 'StreamStateError'
  constructor (message = 'The stream is in an invalid state') { super(message); this.name = 'StreamStateError' }
}

/** A stream's read or write buffer went over its limit. */
export class StreamBufferError extends Error {
  static override name = 'StreamBufferError'
  constructor (message = 'The stream buffer was full') { super(message); this.name = 'StreamBufferError' }
}

/** A looked-up value (peer, record, key) does not exist. */
export class NotFoundError extends Error {
  static override name = 'NotFoundError'
  constructor (message = 'Not found') { super(message); this.name = 'NotFoundError' }
}

/** A string or bytes that should hold a peer id do not. */
export class InvalidPeerIdError extends Error {
  static override name = 'InvalidPeerIdError'
  constructor (message = 'Invalid peer id') { super(message); this.name = 'InvalidPeerIdError' }
}

/** A multiaddr cannot be used where it was given. */
export class InvalidMultiaddrError extends Error {
  static override name = 'InvalidMultiaddrError'
  constructor (message = 'Invalid multiaddr') { super(message); this.name = 'InvalidMultiaddrError' }
}

/** A CID cannot be parsed or used. */
export class InvalidCIDError extends Error {
  static override name = 'InvalidCIDError'
  constructor (message = 'Invalid CID') { super(message); this.name = 'InvalidCIDError' }
}

/** A multihash cannot be parsed or has an unexpected code. */
export class InvalidMultihashError extends Error {
  static override name = 'InvalidMultihashError'
  constructor (message = 'Invalid multihash') { super(message); this.name = 'InvalidMultihashError' }
}

/** Protocol negotiation found no protocol both sides speak. */
export class UnsupportedProtocolError extends Error {
  static override name = 'UnsupportedProtocolError'
  constructor (message = 'Unsupported protocol error') { super(message); this.name = 'UnsupportedProtocolError' }
}

/** A message from the network could not be decoded or is not valid. */
export class InvalidMessageError extends Error {
  static override name = 'InvalidMessageError'
  constructor (message = 'Invalid message') { super(message); this.name = 'InvalidMessageError' }
}

/** The remote broke the rules of a protocol. */
export class ProtocolError extends Error {
  static override name = 'ProtocolError'
  constructor (message = 'Protocol error') { super(message); this.name = 'ProtocolError' }
}

/** An operation did not finish in the time allowed. */
export class TimeoutError extends Error {
  static override name = 'TimeoutError'
  constructor (message = 'Timed out') { super(message); this.name = 'TimeoutError' }
}

/** A component was used before it was started. */
export class NotStartedError extends Error {
  static override name = 'NotStartedError'
  constructor (message = 'Not started') { super(message); this.name = 'NotStartedError' }
}

/** A component was started twice. */
export class AlreadyStartedError extends Error {
  static override name = 'AlreadyStartedError'
  constructor (message = 'Already started') { super(message); this.name = 'AlreadyStartedError' }
}

/** A dial failed. */
export class DialError extends Error {
  static override name = 'DialError'
  constructor (message = 'Dial error') { super(message); this.name = 'DialError' }
}

/** Listening on an address failed. */
export class ListenError extends Error {
  static override name = 'ListenError'
  constructor (message = 'Listen error') { super(message); this.name = 'ListenError' }
}

/** The operation is not allowed on a limited (e.g. relayed) connection. */
export class LimitedConnectionError extends Error {
  static override name = 'LimitedConnectionError'
  constructor (message = 'Limited connection') { super(message); this.name = 'LimitedConnectionError' }
}

/** The remote opened more inbound streams for a protocol than its handler allows. */
export class TooManyInboundProtocolStreamsError extends Error {
  static override name = 'TooManyInboundProtocolStreamsError'
  constructor (message = 'Too many inbound protocol streams') { super(message); this.name = 'TooManyInboundProtocolStreamsError' }
}

/** More outbound streams for a protocol were opened than allowed. */
export class TooManyOutboundProtocolStreamsError extends Error {
  static override name = 'TooManyOutboundProtocolStreamsError'
  constructor (message = 'Too many outbound protocol streams') { super(message); this.name = 'TooManyOutboundProtocolStreamsError' }
}

/** A key type this build does not support. */
export class UnsupportedKeyTypeError extends Error {
  static override name = 'UnsupportedKeyTypeError'
  constructor (message = 'Unsupported key type') { super(message); this.name = 'UnsupportedKeyTypeError' }
}

/** A feature that is declared but not implemented in this environment. */
export class NotImplementedError extends Error {
  static override name = 'NotImplementedError'
  constructor (message = 'Not implemented') { super(message); this.name = 'NotImplementedError' }
}

/** A resource limit (connections, streams, memory, message size) refused the operation. */
export class LimitExceededError extends Error {
  static override name = 'LimitExceededError'
  constructor (message = 'Limit exceeded') { super(message); this.name = 'LimitExceededError' }
}

/** A dial found nothing listening: the remote host refused the connection (ECONNREFUSED). */
export class ConnectionRefusedError extends Error {
  static override name = 'ConnectionRefusedError'
  /** The operating system's error code. */
  public readonly code: string
  constructor (message = 'Connection refused', code = 'ECONNREFUSED') { super(message); this.name = 'ConnectionRefusedError'; this.code = code }
}

/** Listening failed because the address is taken (EADDRINUSE). */
export class AddressInUseError extends Error {
  static override name = 'AddressInUseError'
  /** The operating system's error code. */
  public readonly code: string
  constructor (message = 'Address already in use', code = 'EADDRINUSE') { super(message); this.name = 'AddressInUseError'; this.code = code }
}

/** A transport was given a multiaddr it cannot dial or listen on. */
export class UnsupportedAddressError extends Error {
  static override name = 'UnsupportedAddressError'
  constructor (message = 'Unsupported address') { super(message); this.name = 'UnsupportedAddressError' }
}

/**
 * Every error class this package exports, by name. Handy for a type guard test
 * and for mapping errors received over process boundaries back to classes.
 */
export const errorClasses = {
  AbortError,
  UnexpectedPeerError,
  InvalidCryptoExchangeError,
  InvalidParametersError,
  InvalidPublicKeyError,
  InvalidPrivateKeyError,
  UnsupportedOperationError,
  ConnectionClosingError,
  ConnectionClosedError,
  ConnectionFailedError,
  MuxerClosedError,
  StreamResetError,
  StreamAbortedError,
  StreamStateError,
  StreamBufferError,
  NotFoundError,
  InvalidPeerIdError,
  InvalidMultiaddrError,
  InvalidCIDError,
  InvalidMultihashError,
  UnsupportedProtocolError,
  InvalidMessageError,
  ProtocolError,
  TimeoutError,
  NotStartedError,
  AlreadyStartedError,
  DialError,
  ListenError,
  LimitedConnectionError,
  TooManyInboundProtocolStreamsError,
  TooManyOutboundProtocolStreamsError,
  UnsupportedKeyTypeError,
  NotImplementedError,
  LimitExceededError,
  ConnectionRefusedError,
  AddressInUseError,
  UnsupportedAddressError
} as const

/** The name of an error class of this package. */
export type ErrorName = keyof typeof errorClasses

/**
 * True when `err` is an Error whose `name` is `name`. Works across copies of
 * this package and with errors thrown by official js-libp2p modules.
 */
export function isErrorNamed<N extends ErrorName> (err: unknown, name: N): err is InstanceType<(typeof errorClasses)[N]> {
  return err instanceof Error && err.name === name
}

/** Defines a package-specific error class whose `name` is stable. */
export { defineError }
