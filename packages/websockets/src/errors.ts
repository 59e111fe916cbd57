import { AbortError, AddressInUseError, ConnectionRefusedError, StreamResetError, TimeoutError, UnsupportedAddressError } from '@ts-libp2p/interface'

// shared with every transport: defined in the interface package, re-exported here
export { AddressInUseError, ConnectionRefusedError, UnsupportedAddressError }

/**
 * Errors of the WebSockets transport. Failures every transport shares use
 * the interface package's classes (StreamResetError, TimeoutError,
 * AbortError, ListenError); these name what is specific to WebSockets.
 */

/** The peer sent a text frame: libp2p carries bytes only, so the connection is closed with 1003. */
export class TextFrameError extends Error {
  static override name = 'TextFrameError'
  constructor (message = 'Received a text frame; libp2p over WebSockets uses binary frames only') {
    super(message)
    this.name = 'TextFrameError'
  }
}

/** A message was larger than `maxPayload` (close code 1009). */
export class MessageTooLargeError extends Error {
  static override name = 'MessageTooLargeError'
  constructor (message = 'WebSocket message too large') {
    super(message)
    this.name = 'MessageTooLargeError'
  }
}

/** The peer closed the WebSocket with a code other than a normal close. */
export class WebSocketClosedError extends Error {
  static override name = 'WebSocketClosedError'
  /** The RFC 6455 close code. */
  public readonly code: number
  public readonly reason: string

  constructor (code: number, reason = '') {
    super(`The WebSocket closed with code ${code}${reason !== '' ? ` (${reason})` : ''}`)
    this.name = 'WebSocketClosedError'
    this.code = code
    this.reason = reason
  }
}



/** The WebSocket handshake or its socket failed (bad HTTP response, TLS error, unreachable host...). */
export class WebSocketError extends Error {
  static override name = 'WebSocketError'
  public readonly code?: string
  constructor (message = 'WebSocket error', code?: string) {
    super(message)
    this.name = 'WebSocketError'
    this.code = code
  }
}


/** Maps a socket or ws error to a typed error; `context` says what was being done. */
export function toWebSocketError (err: any, context: string): Error {
  const code: string | undefined = typeof err?.code === 'string' ? err.code : undefined
  const message = `${context} failed: ${String(err?.message ?? err)}`
  switch (code) {
    case 'ECONNREFUSED': return new ConnectionRefusedError(message, code)
    case 'EADDRINUSE': return new AddressInUseError(message, code)
    case 'ECONNRESET':
    case 'EPIPE': return new StreamResetError(message)
    case 'ETIMEDOUT': return new TimeoutError(message)
    case 'ABORT_ERR': return new AbortError(message)
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH': return new MessageTooLargeError(message)
    default:
      if (err instanceof Error && ['AbortError', 'TimeoutError', 'StreamResetError'].includes(err.name)) {
        return err
      }
      return new WebSocketError(message, code)
  }
}
