import { UnsupportedOperationError } from '@ts-libp2p/interface'

/** Browsers cannot accept WebSocket connections; `createListener()` throws this. */
export class WebSocketListener {
  constructor () {
    throw new UnsupportedOperationError('A browser cannot listen for WebSocket connections')
  }
}
