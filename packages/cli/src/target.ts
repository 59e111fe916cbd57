import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@ts-libp2p/peer-id'
import { UsageError } from './errors.js'
import type { PeerId } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Parses a peer given on the command line: a multiaddr (starts with `/`) or a peer id. Throws UsageError. */
export function parseTarget (text: string | undefined, what = 'peer'): Multiaddr | PeerId {
  if (text == null || text === '') throw new UsageError(`a ${what} (multiaddr or peer id) is needed`)
  try {
    return text.startsWith('/') ? multiaddr(text) : peerIdFromString(text)
  } catch (err: any) {
    throw new UsageError(`"${text}" is not a multiaddr or a peer id: ${err.message}`)
  }
}

/** Parses a multiaddr given on the command line; throws UsageError. */
export function parseMultiaddr (text: string | undefined, what = 'multiaddr'): Multiaddr {
  if (text == null || text === '') throw new UsageError(`a ${what} is needed`)
  try {
    return multiaddr(text)
  } catch (err: any) {
    throw new UsageError(`"${text}" is not a multiaddr: ${err.message}`)
  }
}
