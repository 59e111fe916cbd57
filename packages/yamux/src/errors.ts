import { GoAwayCode } from './constants.js'

/**
 * The base of every yamux protocol violation. It carries the go-away code
 * (spec lines 149-151) the muxer sends before it aborts the connection.
 * Match on `.name`, which survives two copies of this package.
 */
export class YamuxProtocolError extends Error {
  static override name = 'YamuxProtocolError'
  /** The go-away code sent to the remote for this error. */
  public readonly goAwayCode: number

  constructor (message: string, goAwayCode: number = GoAwayCode.ProtocolError) {
    super(message)
    this.name = 'YamuxProtocolError'
    this.goAwayCode = goAwayCode
  }
}

/** A header with a version other than 0 (spec lines 47-50). */
export class InvalidVersionError extends YamuxProtocolError {
  static override name = 'InvalidVersionError'
  constructor (message = 'Invalid yamux version') { super(message); this.name = 'InvalidVersionError' }
}

/** A header with a type other than Data, Window Update, Ping or Go Away (spec lines 57-65). */
export class InvalidFrameTypeError extends YamuxProtocolError {
  static override name = 'InvalidFrameTypeError'
  constructor (message = 'Invalid yamux frame type') { super(message); this.name = 'InvalidFrameTypeError' }
}

/** A window update that would take the send window past 2^32-1. */
export class WindowOverflowError extends YamuxProtocolError {
  static override name = 'WindowOverflowError'
  constructor (message = 'Window update overflows the send window') { super(message); this.name = 'WindowOverflowError' }
}

/** A data frame larger than what is left of the receive window we granted. */
export class ReceiveWindowExceededError extends YamuxProtocolError {
  static override name = 'ReceiveWindowExceededError'
  constructor (message = 'Data frame exceeds the receive window') { super(message); this.name = 'ReceiveWindowExceededError' }
}

/** A frame without SYN for a stream id that was never opened. */
export class UnknownStreamError extends YamuxProtocolError {
  static override name = 'UnknownStreamError'
  constructor (message = 'Frame for a stream that was never opened') { super(message); this.name = 'UnknownStreamError' }
}

/** A SYN for a stream id that is already open. */
export class StreamIdReuseError extends YamuxProtocolError {
  static override name = 'StreamIdReuseError'
  constructor (message = 'SYN for a stream id already in use') { super(message); this.name = 'StreamIdReuseError' }
}

/** A SYN with id 0 or with our parity (clients odd, servers even: spec lines 89-91), or a ping/go-away on a stream. */
export class InvalidStreamIdError extends YamuxProtocolError {
  static override name = 'InvalidStreamIdError'
  constructor (message = 'Invalid stream id') { super(message); this.name = 'InvalidStreamIdError' }
}

/** The remote ended the session with a go-away carrying an error code. */
export class GoAwayError extends Error {
  static override name = 'GoAwayError'
  /** The code the remote sent. */
  public readonly code: number
  constructor (code: number, message = `The remote sent go-away with code ${code}`) {
    super(message)
    this.name = 'GoAwayError'
    this.code = code
  }
}

/** The remote did not answer a keep-alive ping within an interval. */
export class KeepAliveTimeoutError extends Error {
  static override name = 'KeepAliveTimeoutError'
  constructor (message = 'Keep-alive ping was not answered') { super(message); this.name = 'KeepAliveTimeoutError' }
}

/** The remote is not reading: control frames piled up past MAX_CONTROL_BACKLOG. */
export class ControlBacklogError extends Error {
  static override name = 'ControlBacklogError'
  constructor (message = 'Too many control frames queued for a peer that is not reading') { super(message); this.name = 'ControlBacklogError' }
}

/** Type guard for every yamux protocol violation. */
export function isYamuxProtocolError (err: unknown): err is YamuxProtocolError {
  return err instanceof YamuxProtocolError || (err instanceof Error && typeof (err as any).goAwayCode === 'number')
}
