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
