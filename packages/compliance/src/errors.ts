/**
 * Errors raised by the cell runner when a step produced a wrong result (as
 * opposed to throwing on its own).
 */

/** A cell step completed but its result was not the expected one (wrong hash, protocol, encrypter...). */
export class CellCheckError extends Error {
  static override name = 'CellCheckError'

  constructor (message: string) {
    super(message)
    this.name = 'CellCheckError'
  }
}

/** A child listener process exited or printed something other than its readiness line. */
export class ChildListenerError extends Error {
  static override name = 'ChildListenerError'

  constructor (message: string) {
    super(message)
    this.name = 'ChildListenerError'
  }
}
