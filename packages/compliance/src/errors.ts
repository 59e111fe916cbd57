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

/** A child process (listener or dialler) exited, timed out, or printed something other than its one JSON line. */
export class ChildProcessError extends Error {
  static override name = 'ChildProcessError'

  constructor (message: string) {
    super(message)
    this.name = 'ChildProcessError'
  }
}
