import type { AbortOptions, PeerInfo } from '@ts-libp2p/interface'

/** Finds random peers (e.g. by DHT lookups of random keys). */
export interface RandomWalk {
  walk(options?: AbortOptions): AsyncGenerator<PeerInfo>
}
