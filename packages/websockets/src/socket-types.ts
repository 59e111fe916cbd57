/** Options for opening a WebSocket (Node honours all; browsers only the URL). */
export interface OpenWebSocketOptions {
  maxPayload: number
  family: 0 | 4 | 6
  servername?: string
  handshakeTimeout?: number
  /** Extra `ws` client options (TLS: `ca`, `rejectUnauthorized`, `cert`, `key`; `headers`...). */
  websocket?: Record<string, any>
}

/**
 * The few things the connection needs from a WebSocket, so one connection
 * class serves `ws` in Node and the native WebSocket in browsers.
 */
export interface SocketDriver {
  /** The underlying socket (a `ws` WebSocket or a native one). */
  raw: any
  /** True when `send()` calls `onWritten` once the bytes reached the OS (Node). */
  writeCallbacks: boolean
  send(data: Uint8Array, onWritten?: (err?: Error) => void): void
  bufferedAmount(): number
  close(code?: number, reason?: string): void
  /** Drop the connection without a close handshake (Node); browsers can only close. */
  terminate(): void
  pause(): void
  resume(): void
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: any) => void): void
  removeEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: any) => void): void
  readonly readyState: number
}
