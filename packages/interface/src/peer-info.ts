import type { PeerId } from './peer-id.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A peer and the addresses it may be reached on. */
export interface PeerInfo {
  id: PeerId
  multiaddrs: Multiaddr[]
}
