/**
 * Errors of the Kademlia DHT. Callers match on `.name` (static and instance),
 * which survives two copies of this package in node_modules.
 */

/** A DHT message could not be decoded, or breaks a rule of the spec's "RPC messages" section. */
export class InvalidDHTMessageError extends Error {
  static override name = 'InvalidDHTMessageError'
  constructor (message = 'Invalid DHT message') {
    super(message)
    this.name = 'InvalidDHTMessageError'
  }
}

/** A record failed its namespace's validator (bad signature, expired, wrong key...). */
export class InvalidRecordError extends Error {
  static override name = 'InvalidRecordError'
  constructor (message = 'Invalid DHT record') {
    super(message)
    this.name = 'InvalidRecordError'
  }
}

/** No validator is registered for a key's namespace, so its records cannot be accepted. */
export class MissingValidatorError extends Error {
  static override name = 'MissingValidatorError'
  constructor (message = 'No validator for the key namespace') {
    super(message)
    this.name = 'MissingValidatorError'
  }
}

/** Fewer peers than the quorum answered or accepted a put, get or provide. */
export class QuorumNotMetError extends Error {
  static override name = 'QuorumNotMetError'
  constructor (message = 'The quorum was not met') {
    super(message)
    this.name = 'QuorumNotMetError'
  }
}
