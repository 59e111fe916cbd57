import type { MessageStream, MessageStreamTimeline } from './message-stream.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A raw connection's timeline adds when it finished upgrading. */
export interface MultiaddrConnectionTimeline extends MessageStreamTimeline {
  /** When the upgrader finished (encrypted and muxed). */
  upgraded?: number
}

/** The byte stream a transport produces for one raw connection, before the upgrade. */
export interface MultiaddrConnection extends MessageStream<MultiaddrConnectionTimeline> {
  /** The remote's address as the transport sees it. */
  remoteAddr: Multiaddr
  timeline: MultiaddrConnectionTimeline
}
