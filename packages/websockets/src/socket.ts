import { WebSocket } from 'ws'
import type { SocketDriver, OpenWebSocketOptions } from './socket-types.js'

/**
 * Node.js: WebSockets from `ws`. Writes report when they reach the socket
 * (so the writer is woken without polling), and reading can be paused,
 * which stops reading the TCP socket.
 */
export function openWebSocket (url: string, options: OpenWebSocketOptions): SocketDriver {
  const clientOptions: Record<string, any> = {
    maxPayload: options.maxPayload,
    perMessageDeflate: false,
    family: options.family === 0 ? undefined : options.family,
    servername: options.servername,
    handshakeTimeout: options.handshakeTimeout,
    ...options.websocket
  }
  const ws = new WebSocket(url, clientOptions)
  return wrapWebSocket(ws)
}

/** Wraps a `ws` socket (dialled or accepted). */
export function wrapWebSocket (ws: WebSocket): SocketDriver {
  ws.binaryType = 'nodebuffer'
  return {
    raw: ws,
    writeCallbacks: true,
    send (data, onWritten) {
      ws.send(data, { binary: true, compress: false }, onWritten)
    },
    bufferedAmount: () => ws.bufferedAmount,
    close (code, reason) { ws.close(code, reason) },
    terminate () { ws.terminate() },
    pause () { ws.pause() },
    resume () { ws.resume() },
    addEventListener: (type: string, listener: any) => { ws.addEventListener(type as any, listener) },
    removeEventListener: (type: string, listener: any) => { ws.removeEventListener(type as any, listener) },
    get readyState () { return ws.readyState }
  }
}
