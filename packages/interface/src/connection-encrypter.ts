import type { AbortOptions } from './index.js'
import type { MessageStream } from './message-stream.js'
import type { PeerId } from './peer-id.js'
import type { MemoryScope, StreamMuxerFactory } from './stream-muxer.js'

/** Options for one security handshake. */
export interface SecureConnectionOptions extends AbortOptions {
  /** The peer we expect; a different identity fails with UnexpectedPeerError. */
  remotePeer?: PeerId
  /** Do not offer muxers inside the handshake (noise extensions / TLS ALPN). */
  skipStreamMuxerNegotiation?: boolean
  /**
   * The memory scope of the authenticated remote peer (a node's resource
   * manager passes it): the secured connection charges the bytes it holds
   * (partial frames, unread plaintext, writes queued behind a full raw
   * connection) to it, and aborts with the scope's error when it refuses.
   * Optional: encrypters that do not know it ignore it, and without it
   * nothing is charged.
   */
  peerMemoryScope?(remotePeer: PeerId): MemoryScope | undefined
}

/** Secures a raw connection and proves both peers' identities. */
export interface ConnectionEncrypter<Extension = unknown> {
  /** The multistream id, e.g. `/noise`. */
  protocol: string
  /** Runs the handshake as the dialler. */
  secureOutbound(connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection<Extension>>
  /** Runs the handshake as the listener. */
  secureInbound(connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection<Extension>>
}

/** The outcome of a handshake. */
export interface SecuredConnection<Extension = unknown> {
  /** The encrypted stream. */
  connection: MessageStream
  /** Protocol-specific data the remote sent in the handshake. */
  remoteExtensions?: Extension
  /** The remote's proven identity. */
  remotePeer: PeerId
  /** A muxer agreed inside the handshake, if any. */
  streamMuxer?: StreamMuxerFactory
}
