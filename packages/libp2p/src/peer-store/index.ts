/**
 * The node's peer store (see {@link PersistentPeerStore}).
 */
import { PersistentPeerStore } from './store.js'
import type { PersistentPeerStoreComponents, PersistentPeerStoreInit } from './store.js'
import type { PeerStore } from '@ts-libp2p/interface'

/** A peer store over `components.datastore` (an in-memory one when absent). */
export function persistentPeerStore (components: PersistentPeerStoreComponents, init?: PersistentPeerStoreInit): PersistentPeerStore {
  return new PersistentPeerStore(components, init)
}

persistentPeerStore satisfies (components: PersistentPeerStoreComponents, init?: PersistentPeerStoreInit) => PeerStore

export { PersistentPeerStore, peerKey, peerIdFromKey } from './store.js'
export type { PersistentPeerStoreComponents, PersistentPeerStoreInit } from './store.js'
export { InvalidStoredPeerError } from './errors.js'
export * from './constants.js'
