import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { noise } from '@ts-libp2p/noise'
import { yamux } from '@ts-libp2p/yamux'
import type { Libp2pInit, Libp2pNode } from '@ts-libp2p/libp2p'

let next = 0
const nodes: Libp2pNode<any>[] = []

/** A started node on a fresh memory address with noise and yamux; stopped by {@link stopNodes}. */
export async function node<T extends Record<string, unknown>> (init: Libp2pInit<T> = {}): Promise<Libp2pNode<T>> {
  const n = await createLibp2p<T>({
    addresses: { listen: [`/memory/perf-spec-${process.pid}-${next++}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    ...init
  })
  nodes.push(n)
  return n
}

export async function stopNodes (): Promise<void> {
  await Promise.all(nodes.splice(0).map(async (n) => { await n.stop() }))
}
