import { peerIdFromString } from '@ts-libp2p/peer-id'
import { PEER_ID_CACHE_SIZE } from './constants.js'
import type { PeerId } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const cache = new Map<string, PeerId>()

/**
 * `peerIdFromString()`, remembering the last {@link PEER_ID_CACHE_SIZE} results: the same PeerId object (with
 * its string form and public key already made) for the same string. Throws as `peerIdFromString()` does.
 */
export function cachedPeerIdFromString (value: string): PeerId {
  let peerId = cache.get(value)
  if (peerId == null) {
    peerId = peerIdFromString(value)
    if (cache.size >= PEER_ID_CACHE_SIZE) {
      const oldest = cache.keys().next().value
      if (oldest != null) cache.delete(oldest)
    }
    cache.set(value, peerId)
  }
  return peerId
}

/** The value of a multiaddr's last `/p2p/` component, if it has one. */
export function lastPeerIdString (ma: Multiaddr): string | undefined {
  const components = ma.getComponents()
  for (let i = components.length - 1; i >= 0; i--) {
    if (components[i].name === 'p2p') return components[i].value
  }
  return undefined
}
