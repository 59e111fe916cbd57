/**
 * Interop with the official js gossipsub (@libp2p/gossipsub 17), run as a
 * service inside our node (its components are structurally compatible), in
 * both directions: meshes form and messages flow, signed and over
 * /meshsub/1.2.0 or later. Needs the Promise.withResolvers polyfill on Node
 * 20, hence the official-*.spec.ts name.
 */
import { gossipsub as officialGossipsub } from '@libp2p/gossipsub'
import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { plaintext } from '@ts-libp2p/plaintext'
import { yamux } from '@ts-libp2p/yamux'
import { expect } from 'chai'
import { connect, gossipNode, stopNodes, text, until } from './fixtures.js'
import type { GossipNode } from './fixtures.js'

let next = 0
const officials: any[] = []

async function officialNode (): Promise<any> {
  const node = await createLibp2p({
    addresses: { listen: [`/memory/gossipsub-official-${process.pid}-${next++}`] },
    transports: [memory()],
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    connectionManager: { inboundConnectionThreshold: 10_000 },
    services: {
      identify: identify(),
      pubsub: officialGossipsub({ heartbeatInterval: 100, scoreParams: { IPColocationFactorWeight: 0 } as any }) as any
    }
  })
  officials.push(node)
  return node
}

describe('gossipsub interop with the official @libp2p/gossipsub', function () {
  this.timeout(20_000)
  afterEach(async () => {
    await stopNodes()
    await Promise.all(officials.splice(0).map(async n => { await n.stop() }))
  })

  it('ours -> official and official -> ours: mesh forms and messages flow both ways', async () => {
    const ours = await gossipNode()
    const official = await officialNode()
    await connect(ours, official as GossipNode)
    ours.services.pubsub.subscribe('interop')
    official.services.pubsub.subscribe('interop')
    await until(() => ours.services.pubsub.getMeshPeers('interop').length === 1 && official.services.pubsub.getMeshPeers('interop').length === 1, 10_000, 'mesh')
    const protocol = ours.services.pubsub.getPeerExtensions(official.peerId)?.protocol
    expect(protocol).to.match(/^\/meshsub\/1\.[23]\.0$/)

    const atOfficial: string[] = []
    official.services.pubsub.addEventListener('message', (evt: any) => { atOfficial.push(new TextDecoder().decode(evt.detail.data)) })
    const atOurs: string[] = []
    ours.services.pubsub.addEventListener('message', (evt) => { atOurs.push(new TextDecoder().decode(evt.detail.data)) })
    for (let i = 0; i < 5; i++) await ours.services.pubsub.publish('interop', text(`ours ${i}`))
    for (let i = 0; i < 5; i++) await official.services.pubsub.publish('interop', text(`official ${i}`))
    await until(() => atOfficial.length === 5 && atOurs.length === 5, 10_000, 'messages both ways')
    expect(atOfficial).to.deep.equal([0, 1, 2, 3, 4].map(i => `ours ${i}`))
    expect(atOurs).to.deep.equal([0, 1, 2, 3, 4].map(i => `official ${i}`))
  })

  it('a mixed line ours - official - ours relays through the official node', async () => {
    const a = await gossipNode()
    const mid = await officialNode()
    const c = await gossipNode()
    await connect(a, mid as GossipNode)
    await connect(c, mid as GossipNode)
    for (const n of [a, mid, c]) n.services.pubsub.subscribe('line')
    await until(() => mid.services.pubsub.getMeshPeers('line').length === 2, 10_000, 'official mesh of 2')
    const got: string[] = []
    c.services.pubsub.addEventListener('message', (evt) => { got.push(new TextDecoder().decode(evt.detail.data)) })
    await a.services.pubsub.publish('line', text('across'))
    await until(() => got.length === 1, 10_000, 'relayed message')
    expect(got).to.deep.equal(['across'])
  })

  it('a mixed line official - ours - official relays through our node, with large messages (IDONTWANT path)', async () => {
    const a = await officialNode()
    const mid = await gossipNode()
    const c = await officialNode()
    await connect(a as GossipNode, mid)
    await connect(c as GossipNode, mid)
    for (const n of [a, mid, c]) n.services.pubsub.subscribe('line')
    await until(() => mid.services.pubsub.getMeshPeers('line').length === 2, 10_000, 'our mesh of 2')
    const got: number[] = []
    c.services.pubsub.addEventListener('message', (evt: any) => { got.push(evt.detail.data.byteLength) })
    await a.services.pubsub.publish('line', new Uint8Array(8192).fill(1))
    await until(() => got.length === 1, 10_000, 'relayed large message')
    expect(got).to.deep.equal([8192])
  })
})
