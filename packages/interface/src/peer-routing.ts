import type { peerRoutingSymbol } from '@libp2p/interface'
import type { RoutingOptions } from './index.js'
import type { PeerId } from './peer-id.js'
import type { PeerInfo } from './peer-info.js'

/** A service that contributes peer routing exposes it under {@link peerRoutingSymbol}. */
export interface PeerRoutingProvider {
  [peerRoutingSymbol]: Partial<PeerRouting>
}

/** Finding peers' addresses, and the peers closest to a key. */
export interface PeerRouting {
  findPeer(peerId: PeerId, options?: RoutingOptions): Promise<PeerInfo>
  getClosestPeers(key: Uint8Array, options?: RoutingOptions): AsyncIterable<PeerInfo>
}
