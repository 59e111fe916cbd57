import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { plaintext } from '@ts-libp2p/plaintext'
import { yamux } from '@ts-libp2p/yamux'
import { kadDHT } from '../src/index.js'
import type { KadDHT, KadDHTInit } from '../src/index.js'
import type { Libp2pInit, Libp2pNode } from '@ts-libp2p/libp2p'

let next = 0
const nodes: Array<Libp2pNode<any>> = []

export type DHTNode = Libp2pNode<{ identify: unknown, dht: KadDHT }>

/** A started node on a fresh memory address (plaintext + yamux) with identify and our DHT; stopped by {@link stopNodes}. */
export async function dhtNode (init: KadDHTInit = {}, nodeInit: Libp2pInit<any> = {}): Promise<DHTNode> {
  const n = await createLibp2p<any>({
    addresses: { listen: [`/memory/kad-spec-${process.pid}-${next++}`] },
    transports: [memory()],
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    ...nodeInit,
    services: {
      identify: identify(),
      dht: kadDHT({ allowPrivateAddresses: true, clientMode: false, refreshInterval: 0, ...init }),
      ...(nodeInit.services ?? {})
    }
  })
  nodes.push(n)
  return n as DHTNode
}

/** A started node with any services (no DHT unless given). */
export async function plainNode<T extends Record<string, unknown>> (init: Libp2pInit<T> = {}): Promise<Libp2pNode<T>> {
  const n = await createLibp2p<T>({
    addresses: { listen: [`/memory/kad-spec-${process.pid}-${next++}`] },
    transports: [memory()],
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    ...init
  })
  nodes.push(n)
  return n
}

export async function stopNodes (): Promise<void> {
  await Promise.all(nodes.splice(0).map(async (n) => { await n.stop() }))
}

/** Stops one node (and forgets it). */
export async function stopNode (n: Libp2pNode<any>): Promise<void> {
  const i = nodes.indexOf(n)
  if (i >= 0) nodes.splice(i, 1)
  await n.stop()
}

export async function expectRejection (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err: any) {
    return err
  }
  throw new Error('expected a rejection')
}

/** Polls `check` until it returns true or `ms` pass; false on timeout. */
export async function eventually (check: () => Promise<boolean> | boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return false
}

/** Connects a to b and waits until each has the other in its routing table. */
export async function connect (a: DHTNode, b: DHTNode): Promise<void> {
  await a.dial(b.getMultiaddrs()[0])
  const ok = await eventually(() => a.services.dht.routingTable.has(b.peerId) && b.services.dht.routingTable.has(a.peerId))
  if (!ok) throw new Error(`${a.peerId} and ${b.peerId} did not add each other`)
}

/** Drains an async iterable. */
export async function all<T> (it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
