import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { noise } from '@ts-libp2p/noise'
import { yamux } from '@ts-libp2p/yamux'
import type { Libp2pInit, Libp2pNode } from '@ts-libp2p/libp2p'

let next = 0
const nodes: Libp2pNode<any>[] = []

/** A fresh memory address, unique to this process. */
export function memoryAddress (): string {
  return `/memory/bootstrap-spec-${process.pid}-${next++}`
}

/** A started node with noise and yamux, on a fresh memory address unless given one; stopped by {@link stopNodes}. */
export async function node<T extends Record<string, unknown>> (init: Libp2pInit<T> = {}): Promise<Libp2pNode<T>> {
  const n = await createLibp2p<T>({
    addresses: { listen: [memoryAddress()] },
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

/** Polls `check` every 10 ms until it holds, or fails after `ms`. */
export async function eventually (check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
