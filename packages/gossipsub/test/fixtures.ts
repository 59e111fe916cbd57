import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { plaintext } from '@ts-libp2p/plaintext'
import { yamux } from '@ts-libp2p/yamux'
import { gossipsub } from '../src/index.js'
import type { Gossipsub, GossipsubOptions } from '../src/index.js'
import type { Libp2pNode } from '@ts-libp2p/libp2p'

let next = 0
const nodes: Array<Libp2pNode<any>> = []

export type GossipNode = Libp2pNode<{ pubsub: Gossipsub, identify: unknown }>

/** Test defaults: a fast heartbeat and no IP colocation penalty (every peer is on one host). */
export function testOptions (init: GossipsubOptions = {}): GossipsubOptions {
  return { heartbeatInterval: 100, ...init, scoreParams: { IPColocationFactorWeight: 0, ...init.scoreParams } }
}

/** A started node on a fresh memory address with plaintext, yamux, identify and gossipsub. */
export async function gossipNode (init: GossipsubOptions = {}): Promise<GossipNode> {
  return await gossipNodeWith({}, init)
}

/** {@link gossipNode} with extra node options (e.g. a metrics component). */
export async function gossipNodeWith (node: Record<string, unknown>, init: GossipsubOptions = {}): Promise<GossipNode> {
  const n = await createLibp2p({
    ...node,
    addresses: { listen: [`/memory/gossipsub-spec-${process.pid}-${next++}`] },
    transports: [memory()],
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    connectionManager: { inboundConnectionThreshold: 10_000, maxConnections: 1000 },
    services: { identify: identify(), pubsub: gossipsub(testOptions(init)) }
  }) as unknown as GossipNode
  nodes.push(n)
  return n
}

export async function stopNodes (): Promise<void> {
  await Promise.all(nodes.splice(0).map(async (n) => { await n.stop() }))
}

export async function connect (a: GossipNode, b: GossipNode): Promise<void> {
  await a.dial(b.getMultiaddrs()[0])
}

/** Polls `check` until it is true or `ms` pass. */
export async function until (check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

export function text (s: string): Uint8Array {
  return new TextEncoder().encode(s)
}
