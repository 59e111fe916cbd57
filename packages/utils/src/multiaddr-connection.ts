import { AbstractMessageStream } from './message-stream.js'
import type { MessageStreamInit } from './message-stream.js'
import type { MultiaddrConnection, MultiaddrConnectionTimeline } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Options for a raw connection. */
export interface MultiaddrConnectionInit extends MessageStreamInit {
  /** The remote's address as the transport sees it. */
  remoteAddr: Multiaddr
}

/**
 * The base of a transport's raw connection (tcp, websockets, memory).
 *
 * libp2p does not half-close raw connections: the upgrader and the muxer on
 * top treat the end of the remote's bytes as the end of the connection. So
 * when the remote closes its write side this class closes ours as soon as
 * what is queued has gone out, and the connection finishes; `close()` flushes,
 * closes our side and waits for the remote to do the same. A socket that
 * closes both directions at once reports it with `onTransportClosed()`.
 */
export abstract class AbstractMultiaddrConnection extends AbstractMessageStream<MultiaddrConnectionTimeline> implements MultiaddrConnection {
  public remoteAddr: Multiaddr

  constructor (init: MultiaddrConnectionInit) {
    super(init)
    this.remoteAddr = init.remoteAddr
  }

  override onRemoteCloseWrite (): void {
    super.onRemoteCloseWrite()
    if (this.writeStatus === 'writable' && (this.status === 'open' || this.status === 'closing')) {
      this.status = 'closing'
      this.closeWrite().catch(err => {
        this.abort(err)
      })
    }
  }
}
