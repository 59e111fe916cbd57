import { AbortError, AddressInUseError, ConnectionRefusedError, StreamResetError, TimeoutError, UnsupportedAddressError } from '@ts-libp2p/interface'

// shared with every transport: defined in the interface package, re-exported here
export { AddressInUseError, ConnectionRefusedError, UnsupportedAddressError }

/**
 * Errors of the TCP transport. Failures shared with every transport use the
 * interface package's classes (ConnectionFailedError, StreamResetError,
 * TimeoutError, AbortError, ListenError); these name what is specific to
 * sockets so a caller can tell "nobody listens there" from "it timed out".
 */



/** The socket failed for a reason other than a refusal, reset or timeout (EHOSTUNREACH, ENOTFOUND...). */
export class SocketError extends Error {
  static override name = 'SocketError'
  /** The operating system's error code, if it gave one. */
  public readonly code?: string

  constructor (message = 'Socket error', code?: string) {
    super(message)
    this.name = 'SocketError'
    this.code = code
  }
}


/**
 * Turns a node:net error into this package's typed errors (or the interface
 * package's, for resets, timeouts and aborts), keeping the message and code.
 * `context` says what was being done ("dial /ip4/.../tcp/4001").
 */
export function toSocketError (err: any, context: string): Error {
  const code: string | undefined = typeof err?.code === 'string' ? err.code : undefined
  const message = `${context} failed: ${String(err?.message ?? err)}`
  switch (code) {
    case 'ECONNREFUSED':
      return new ConnectionRefusedError(message, code)
    case 'EADDRINUSE':
      return new AddressInUseError(message, code)
    case 'ECONNRESET':
    case 'EPIPE':
      return new StreamResetError(message)
    case 'ETIMEDOUT':
      return new TimeoutError(message)
    case 'ABORT_ERR':
      return new AbortError(message)
    default:
      if (err instanceof Error && ['AbortError', 'TimeoutError', 'StreamResetError'].includes(err.name)) {
        return err
      }
      return new SocketError(message, code)
  }
}
