import { LimitExceededError } from '@ts-libp2p/interface'

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

/**
 * The resource manager refused a connection, a stream or a memory
 * reservation: `scope` (e.g. `system`, `transient`, `peer:<id>`,
 * `protocol:/ipfs/id/1.0.0`, `service:kad-dht`) is at its `resource` limit.
 * A LimitExceededError, so code that handles limits in general catches it too.
 */
export class ResourceLimitError extends LimitExceededError {
  static override name = 'ResourceLimitError'
  readonly scope: string
  readonly resource: string
  readonly limit: number
  readonly used: number

  constructor (scope: string, resource: string, limit: number, used: number) {
    super(`The ${scope} scope is at its ${resource} limit (${used} of ${limit} in use)`)
    this.name = 'ResourceLimitError'
    this.scope = scope
    this.resource = resource
    this.limit = limit
    this.used = used
  }
}
