/**
 * Per-peer feature checks by negotiated protocol: each gossipsub version
 * adds features on top of the previous one, and floodsub peers have none.
 */
import { FLOODSUB, GOSSIPSUB_V10, GOSSIPSUB_V11, GOSSIPSUB_V12, GOSSIPSUB_V13 } from './constants.js'

const RANK: Record<string, number> = { [FLOODSUB]: 0, [GOSSIPSUB_V10]: 10, [GOSSIPSUB_V11]: 11, [GOSSIPSUB_V12]: 12, [GOSSIPSUB_V13]: 13 }

function rank (protocol: string): number {
  return RANK[protocol] ?? -1
}

/** Mesh (GRAFT/PRUNE) and gossip (IHAVE/IWANT): any meshsub version. */
export function supportsMesh (protocol: string): boolean {
  return rank(protocol) >= 10
}

/** PRUNE backoff and peer exchange: v1.1 and later. */
export function supportsPX (protocol: string): boolean {
  return rank(protocol) >= 11
}

/** IDONTWANT: v1.2 and later. */
export function supportsIDontWant (protocol: string): boolean {
  return rank(protocol) >= 12
}

/** The extensions control message: v1.3. */
export function supportsExtensions (protocol: string): boolean {
  return rank(protocol) >= 13
}
