import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { plaintext } from '@ts-libp2p/plaintext'
import { yamux } from '@ts-libp2p/yamux'
import { floodsub } from '../src/index.js'
import type { FloodSub, FloodSubInit } from '../src/index.js'
import type { Libp2pNode } from '@ts-libp2p/libp2p'
import type { Message, PeerId } from '@ts-libp2p/interface'

let next = 0
const nodes: Array<Libp2pNode<any>> = []

export type PubSubNode = Libp2pNode<{ identify: unknown, pubsub: FloodSub }>

/** A started node with identify and floodsub on a fresh memory address (plaintext + yamux: fast). */
export async function pubsubNode (init: FloodSubInit = {}, services: Record<string, any> = {}): Promise<PubSubNode> {
  const n = await createLibp2p<any>({
    addresses: { listen: [`/memory/floodsub-spec-${process.pid}-${next++}`] },
    transports: [memory()],
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: floodsub(init), ...services }
  })
  nodes.push(n)
  return n
}

/** A started node with identify and the given services only. */
export async function plainNode<T extends Record<string, unknown>> (services: Record<string, any>): Promise<Libp2pNode<T>> {
  const n = await createLibp2p<any>({
    addresses: { listen: [`/memory/floodsub-spec-${process.pid}-${next++}`] },
    transports: [memory()],
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ...services }
  })
  nodes.push(n)
  return n
}

export async function stopNodes (): Promise<void> {
  await Promise.all(nodes.splice(0).map(async (n) => { await n.stop() }))
}

/** Polls `predicate` every 10 ms; rejects after `ms`. */
export async function waitFor (predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`Timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

/** Waits until `node` sees each of `peers` subscribed to `topic`. */
export async function waitForSubscribers (node: { services: { pubsub: { getSubscribers(topic: string): PeerId[] } } }, topic: string, peers: PeerId[]): Promise<void> {
  await waitFor(() => {
    const subs = node.services.pubsub.getSubscribers(topic)
    return peers.every(p => subs.some(s => s.equals(p)))
  }, 5000, `subscribers of ${topic}`)
}

/** Collects the `message` events of a node. */
export function collect (node: { services: { pubsub: { addEventListener(type: 'message', fn: (evt: CustomEvent<Message>) => void): void } } }): Message[] {
  const received: Message[] = []
  node.services.pubsub.addEventListener('message', (evt) => { received.push(evt.detail) })
  return received
}
