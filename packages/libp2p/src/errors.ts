/** The remote peer in a multiaddr's `/p2p/` component is not a valid peer id. */
export class InvalidRemotePeerError extends Error {
  static override name = 'InvalidRemotePeerError'
  constructor (message = 'The /p2p/ component of the address is not a valid peer id') { super(message); this.name = 'InvalidRemotePeerError' }
}

/** A connection gater hook refused the connection. */
export class ConnectionDeniedError extends Error {
  static override name = 'ConnectionDeniedError'
  constructor (message = 'The connection gater denied the connection') { super(message); this.name = 'ConnectionDeniedError' }
}

/** A protocol handler is already registered and `force` was not given. */
export class DuplicateProtocolHandlerError extends Error {
  static override name = 'DuplicateProtocolHandlerError'
  constructor (message = 'A handler is already registered for this protocol') { super(message); this.name = 'DuplicateProtocolHandlerError' }
}

/** No encrypter or muxer was configured where one is needed. */
export class NoneConfiguredError extends Error {
  static override name = 'NoneConfiguredError'
  constructor (message = 'Nothing configured') { super(message); this.name = 'NoneConfiguredError' }
}

/** A dial targeted this node's own peer id. */
export class DialSelfError extends Error {
  static override name = 'DialSelfError'
  constructor (message = 'Tried to dial self') { super(message); this.name = 'DialSelfError' }
}

/** No address is known (or dialable) for the peer. */
export class NoValidAddressesError extends Error {
  static override name = 'NoValidAddressesError'
  constructor (message = 'No valid addresses to dial') { super(message); this.name = 'NoValidAddressesError' }
}

/** The peer failed recently and is in dial backoff. */
export class DialBackoffError extends Error {
  static override name = 'DialBackoffError'
  constructor (message = 'The peer is in dial backoff') { super(message); this.name = 'DialBackoffError' }
}
