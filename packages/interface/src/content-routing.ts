import type { contentRoutingSymbol } from '@libp2p/interface'
import type { RoutingOptions } from './index.js'
import type { PeerInfo } from './peer-info.js'
import type { CID } from 'multiformats/cid'

/** A peer that can provide some content, and the router that said so. */
export interface Provider extends PeerInfo {
  routing: string
}

/** A service that contributes content routing exposes it under {@link contentRoutingSymbol}. */
export interface ContentRoutingProvider {
  [contentRoutingSymbol]: Partial<ContentRouting>
}

/** Finding who has content, and storing small values, e.g. in a DHT. */
export interface ContentRouting {
  /** Announces that this node can provide `cid`. */
  provide(cid: CID, options?: RoutingOptions): Promise<void>
  /** Stops re-announcing `key`. */
  cancelReprovide(key: CID, options?: RoutingOptions): Promise<void>
  /** Finds peers that provide `cid`. */
  findProviders(cid: CID, options?: RoutingOptions): AsyncIterable<Provider>
  /** Stores a value under a key. */
  put(key: Uint8Array, value: Uint8Array, options?: RoutingOptions): Promise<void>
  /** Gets the best value for a key. */
  get(key: Uint8Array, options?: RoutingOptions): Promise<Uint8Array>
}
