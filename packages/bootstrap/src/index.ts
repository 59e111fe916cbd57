/**
 * @packageDocumentation
 *
 * Peer discovery from a fixed list of bootstrap peers. Shortly after the node
 * starts, each peer of the list is added to the peer store with its
 * addresses and a `bootstrap` tag, announced as a discovered peer (the node
 * emits `peer:discovery`) and dialed. A bootstrap peer that disconnects, or
 * cannot be dialed, is dialed again after a backoff that doubles per failed
 * attempt, so a node finds its way back to a bootstrap peer that restarted.
 *
 * Behaves like js-libp2p's `@libp2p/bootstrap` (same options and defaults),
 * plus the reconnecting. There is no libp2p spec for it.
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { bootstrap } from '@ts-libp2p/bootstrap'
 *
 * const node = await createLibp2p({
 *   ...,
 *   peerDiscovery: [bootstrap({ list: ['/ip4/198.51.100.1/tcp/4001/p2p/12D3KooW...'] })]
 * })
 * node.addEventListener('peer:discovery', (evt) => { console.log('found', evt.detail.id) })
 * ```
 */

import { Bootstrap, parseList } from './bootstrap.js'
import type { ComponentLogger, Libp2pEvents, PeerDiscovery, PeerStore, Startable, TypedEventTarget } from '@ts-libp2p/interface'
import type { ConnectionManager } from '@ts-libp2p/interface-internal'

export { TAG_NAME, TAG_VALUE, TAG_TTL, DISCOVERY_DELAY, RECONNECT_DELAY, MAX_RECONNECT_DELAY, DIAL_TIMEOUT, MAX_LIST_LENGTH } from './constants.js'
export { InvalidBootstrapListError } from './errors.js'

/** Options of the bootstrap discovery. */
export interface BootstrapInit {
  /**
   * The bootstrap peers: multiaddrs that end in `/p2p/<peer id>`. Several
   * entries may name the same peer (its addresses are merged). Required,
   * not empty.
   */
  list: string[]
  /** Milliseconds after the node started before the list is discovered and dialed. Default 1000. */
  timeout?: number
  /** The peer store tag put on bootstrap peers. Default 'bootstrap'. */
  tagName?: string
  /** The tag's value. Default 50. */
  tagValue?: number
  /** Milliseconds until the tag expires; renewed on every (re)dial. Default 120 000. */
  tagTTL?: number
  /** Milliseconds before the first redial after a disconnect or failed dial. Default 1000. */
  reconnectDelay?: number
  /** The most milliseconds between redials (the delay doubles up to it). Default 60 000. */
  maxReconnectDelay?: number
  /** Milliseconds one dial may take. Default 10 000. */
  dialTimeout?: number
}

/** What the bootstrap discovery needs from the node. */
export interface BootstrapComponents {
  peerStore: Pick<PeerStore, 'merge'>
  connectionManager: Pick<ConnectionManager, 'openConnection'>
  /** The node's events: `peer:connect` and `peer:disconnect` drive the redialing. */
  events: Pick<TypedEventTarget<Libp2pEvents>, 'addEventListener' | 'removeEventListener'>
  logger: ComponentLogger
}

/** The bootstrap discovery: a PeerDiscovery (emits `peer`) that is also Startable. */
export type BootstrapDiscovery = PeerDiscovery & Startable

/**
 * Creates the bootstrap discovery for a node's `peerDiscovery` list. Throws
 * InvalidBootstrapListError for an empty list or an entry that is not a
 * multiaddr with a `/p2p/` peer id.
 */
export function bootstrap (init: BootstrapInit): (components: BootstrapComponents) => BootstrapDiscovery {
  parseList(init?.list)
  return (components) => new Bootstrap(components, init)
}
