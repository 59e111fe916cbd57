/**
 * mplex protocol violations. Each aborts the connection (mplex has no
 * go-away). Match on `.name`, which survives two copies of this package.
 */
export class MplexProtocolError extends Error {
  static override name = 'MplexProtocolError'
  constructor (message = 'mplex protocol error') { super(message); this.name = 'MplexProtocolError' }
}

/** A varint longer than 9 bytes or past Number.MAX_SAFE_INTEGER (spec line 101). */
export class InvalidVarintError extends MplexProtocolError {
  static override name = 'InvalidVarintError'
  constructor (message = 'Invalid varint') { super(message); this.name = 'InvalidVarintError' }
}

/** A header whose flag is 7, which the spec does not define (spec lines 105-113). */
export class InvalidFlagError extends MplexProtocolError {
  static override name = 'InvalidFlagError'
  constructor (message = 'Invalid mplex flag') { super(message); this.name = 'InvalidFlagError' }
}

/** A message longer than the maximum message size (1 MiB, spec line 136). */
export class MessageTooLargeError extends MplexProtocolError {
  static override name = 'MessageTooLargeError'
  constructor (message = 'mplex message too large') { super(message); this.name = 'MessageTooLargeError' }
}

/** NewStream for an id the remote already has open. */
export class StreamIdReuseError extends MplexProtocolError {
  static override name = 'StreamIdReuseError'
  constructor (message = 'NewStream for an id already open') { super(message); this.name = 'StreamIdReuseError' }
}

/** Our peer kept sending to a stream whose read buffer was full (when configured to disconnect). */
export class StreamBufferExceededError extends Error {
  static override name = 'StreamBufferExceededError'
  constructor (message = 'A stream read buffer exceeded its limit') { super(message); this.name = 'StreamBufferExceededError' }
}

/** Resets for refused streams piled up while the peer does not read. */
export class ControlBacklogError extends Error {
  static override name = 'ControlBacklogError'
  constructor (message = 'Too many resets queued for a peer that is not reading') { super(message); this.name = 'ControlBacklogError' }
}

/** Type guard for every mplex protocol violation. */
export function isMplexProtocolError (err: unknown): err is MplexProtocolError {
  return err instanceof MplexProtocolError || (err instanceof Error && ['MplexProtocolError', 'InvalidVarintError', 'InvalidFlagError', 'MessageTooLargeError', 'StreamIdReuseError'].includes(err.name))
}
