import type { peerDiscoverySymbol } from '@libp2p/interface'
import type { PeerInfo } from './peer-info.js'
import type { TypedEventTarget } from 'main-event'

/** A service that discovers peers exposes an event target under {@link peerDiscoverySymbol}. */
export interface PeerDiscoveryProvider {
  [peerDiscoverySymbol]: PeerDiscovery
}

/** Events of a discovery mechanism. */
export interface PeerDiscoveryEvents {
  /** A peer was found. */
  peer: CustomEvent<PeerInfo>
}

/** Something that finds peers (bootstrap list, mdns, a DHT random walk). */
export interface PeerDiscovery extends TypedEventTarget<PeerDiscoveryEvents> {}
