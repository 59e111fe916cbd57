import type { MultiaddrConnection } from './multiaddr-connection.js'
import type { PeerId } from './peer-id.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Hooks that let an application refuse connections at each stage of their
 * life. Each returns true to deny. All are optional.
 */
export interface ConnectionGater {
  /** Before dialling a peer. */
  denyDialPeer?(peerId: PeerId): Promise<boolean> | boolean
  /** Before dialling an address. */
  denyDialMultiaddr?(multiaddr: Multiaddr): Promise<boolean> | boolean
  /** When a raw inbound connection arrives. */
  denyInboundConnection?(maConn: MultiaddrConnection): Promise<boolean> | boolean
  /** Before upgrading an outbound raw connection. */
  denyOutboundConnection?(peerId: PeerId, maConn: MultiaddrConnection): Promise<boolean> | boolean
  /** After an inbound connection is secured (remote id known). */
  denyInboundEncryptedConnection?(peerId: PeerId, maConn: MultiaddrConnection): Promise<boolean> | boolean
  /** After an outbound connection is secured. */
  denyOutboundEncryptedConnection?(peerId: PeerId, maConn: MultiaddrConnection): Promise<boolean> | boolean
  /** After an inbound connection is muxed. */
  denyInboundUpgradedConnection?(peerId: PeerId, maConn: MultiaddrConnection): Promise<boolean> | boolean
  /** After an outbound connection is muxed. */
  denyOutboundUpgradedConnection?(peerId: PeerId, maConn: MultiaddrConnection): Promise<boolean> | boolean
  /** Before accepting a relay reservation. */
  denyInboundRelayReservation?(source: PeerId): Promise<boolean> | boolean
  /** Before relaying a connection from source to destination. */
  denyOutboundRelayedConnection?(source: PeerId, destination: PeerId): Promise<boolean> | boolean
  /** Before accepting a relayed connection. */
  denyInboundRelayedConnection?(relay: PeerId, remotePeer: PeerId): Promise<boolean> | boolean
  /** Return false to keep an address out of the peer store. */
  filterMultiaddrForPeer?(peer: PeerId, multiaddr: Multiaddr): Promise<boolean> | boolean
}
