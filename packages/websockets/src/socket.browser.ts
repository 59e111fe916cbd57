import type { SocketDriver, OpenWebSocketOptions } from './socket-types.js'

/**
 * Browsers: the native WebSocket. It cannot pause reading, terminate, or
 * report when a write left: the writer is woken by polling
 * `bufferedAmount`, and TLS options are the browser's own.
 */
export function openWebSocket (url: string, _options: OpenWebSocketOptions): SocketDriver {
  const ws = new globalThis.WebSocket(url)
  ws.binaryType = 'arraybuffer'
  return {
    raw: ws,
    writeCallbacks: false,
    send (data) { ws.send(data as Uint8Array<ArrayBuffer>) },
    bufferedAmount: () => ws.bufferedAmount,
    close (code, reason) { ws.close(code, reason) },
    terminate () { ws.close() },
    pause () {},
    resume () {},
    addEventListener: (type: string, listener: any) => { ws.addEventListener(type, listener) },
    removeEventListener: (type: string, listener: any) => { ws.removeEventListener(type, listener) },
    get readyState () { return ws.readyState }
  }
}

export function wrapWebSocket (): SocketDriver {
  throw new Error('Accepting WebSockets is not possible in browsers')
}
