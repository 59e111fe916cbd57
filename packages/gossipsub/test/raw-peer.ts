import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { plaintext } from '@ts-libp2p/plaintext'
import { decodeRpc, encodeRpcFrame } from '@ts-libp2p/pubsub'
import { disabledLogger } from '@ts-libp2p/utils'
import { yamux } from '@ts-libp2p/yamux'
import { readFrames } from '../src/peer-streams.js'
import { GOSSIPSUB_V13 } from '../src/index.js'
import { until } from './fixtures.js'
import type { GossipNode } from './fixtures.js'
import type { PrivateKey, Stream } from '@ts-libp2p/interface'
import type { Libp2pNode } from '@ts-libp2p/libp2p'
import type { RPC } from '@ts-libp2p/pubsub'

let next = 0
const raws: RawPeer[] = []

/**
 * A peer that speaks one pubsub protocol by hand: it records every RPC the
 * router under test sends it, and sends crafted RPCs (or raw bytes) back.
 */
export class RawPeer {
  readonly node: Libp2pNode<any>
  readonly protocol: string
  readonly received: RPC[] = []
  stream?: Stream

  constructor (node: Libp2pNode<any>, protocol: string) {
    this.node = node
    this.protocol = protocol
  }

  get peerId (): Libp2pNode<any>['peerId'] {
    return this.node.peerId
  }

  /** Dials the router and opens our stream to it. */
  async connect (target: GossipNode): Promise<void> {
    await this.node.dial(target.getMultiaddrs()[0])
    this.stream = await this.node.dialProtocol(target.peerId, this.protocol)
    // wait for the router's own stream to us (its hello)
    await until(() => this.received.length > 0, 5000, 'the router\'s first RPC')
  }

  send (rpc: Partial<RPC>): void {
    if (this.stream == null) throw new Error('not connected')
    this.stream.send(encodeRpcFrame({ subscriptions: [], messages: [], ...rpc }))
  }

  sendBytes (bytes: Uint8Array): void {
    this.stream?.send(bytes)
  }

  /** Every control entry of a kind received so far. */
  control<K extends 'graft' | 'prune' | 'ihave' | 'iwant' | 'idontwant'> (kind: K): NonNullable<NonNullable<RPC['control']>[K]> {
    return this.received.flatMap(r => (r.control?.[kind] ?? []) as any[]) as any
  }

  messages (): RPC['messages'] {
    return this.received.flatMap(r => r.messages)
  }
}

export async function rawPeer (protocol = GOSSIPSUB_V13, privateKey?: PrivateKey): Promise<RawPeer> {
  const node = await createLibp2p({
    ...(privateKey != null ? { privateKey } : {}),
    addresses: { listen: [`/memory/gossipsub-raw-${process.pid}-${next++}`] },
    transports: [memory()],
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  const raw = new RawPeer(node as any, protocol)
  await node.handle(protocol, (stream) => {
    void readFrames(stream, 1 << 22, (frame) => { raw.received.push(decodeRpc(frame)) }, disabledLogger())
  })
  raws.push(raw)
  return raw
}

export async function stopRaw (): Promise<void> {
  await Promise.all(raws.splice(0).map(async (r) => { await r.node.stop() }))
}
