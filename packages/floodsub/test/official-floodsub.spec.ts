/**
 * Cross-checks with the official js-libp2p floodsub (@libp2p/floodsub 11),
 * run as a service inside our node (its components are structurally
 * compatible), publishing and receiving in both directions. Needs the Promise.withResolvers polyfill on Node 20, hence the
 * official-*.spec.ts name.
 */
import { floodsub as officialFloodsub } from '@libp2p/floodsub'
import { expect } from 'chai'
import { collect, pubsubNode, stopNodes, waitFor, waitForSubscribers } from './fixtures.js'
import type { FloodSub } from '../src/index.js'
import type { PubSubNode } from './fixtures.js'
import type { FloodSub as OfficialFloodSub } from '@libp2p/floodsub'

// type-level: our service is usable where the official one is expected, and back
export const toOfficial = (ours: FloodSub): OfficialFloodSub => ours
export const fromOfficial = (theirs: OfficialFloodSub): FloodSub => theirs

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

async function officialNode (init: Record<string, unknown> = {}): Promise<PubSubNode> {
  // the official router replaces ours under the same service name
  return pubsubNode({}, { pubsub: officialFloodsub(init as any) as any })
}

describe('floodsub against the official @libp2p/floodsub', function () {
  this.timeout(20_000)
  afterEach(stopNodes)

  it('StrictSign: ours publishes, the official one receives, and back', async () => {
    const ours = await pubsubNode()
    const official = await officialNode()
    ours.services.pubsub.subscribe('fruit')
    official.services.pubsub.subscribe('fruit')
    const atOurs = collect(ours)
    const atOfficial = collect(official)
    await ours.dial(official.getMultiaddrs()[0])
    await waitForSubscribers(ours, 'fruit', [official.peerId])
    await waitForSubscribers(official, 'fruit', [ours.peerId])

    const sent = await ours.services.pubsub.publish('fruit', enc('from ours'))
    expect(sent.recipients.map(String)).to.deep.equal([official.peerId.toString()])
    await waitFor(() => atOfficial.length === 1, 5000, 'official delivery')
    expect(dec(atOfficial[0].data)).to.equal('from ours')
    if (atOfficial[0].type !== 'signed') throw new Error('expected a signed message')
    expect(atOfficial[0].from.equals(ours.peerId)).to.equal(true)

    const back = await official.services.pubsub.publish('fruit', enc('from official'))
    expect(back.recipients.map(String)).to.deep.equal([ours.peerId.toString()])
    await waitFor(() => atOurs.length === 1, 5000, 'our delivery')
    expect(dec(atOurs[0].data)).to.equal('from official')
    if (atOurs[0].type !== 'signed') throw new Error('expected a signed message')
    expect(atOurs[0].from.equals(official.peerId)).to.equal(true)
  })

  // The official floodsub 11 publishes StrictNoSign messages correctly but drops every
  // message without `from` on receipt ("RPC message was missing from"), its own included,
  // so only the official -> ours direction can work with StrictNoSign.
  it('StrictNoSign: the official one publishes unsigned messages, ours receives them', async () => {
    const ours = await pubsubNode({ globalSignaturePolicy: 'StrictNoSign' })
    const official = await officialNode({ globalSignaturePolicy: 'StrictNoSign' })
    ours.services.pubsub.subscribe('anon')
    const atOurs = collect(ours)
    await official.dial(ours.getMultiaddrs()[0])
    await waitForSubscribers(official, 'anon', [ours.peerId])
    await official.services.pubsub.publish('anon', enc('no author'))
    await waitFor(() => atOurs.length === 1, 5000, 'our delivery')
    expect(atOurs[0]).to.deep.equal({ type: 'unsigned', topic: 'anon', data: enc('no author') })
  })

  it('a mixed chain ours - official - ours relays both ways', async () => {
    const a = await pubsubNode()
    const hub = await officialNode()
    const c = await pubsubNode()
    for (const n of [a, hub, c]) n.services.pubsub.subscribe('mixed')
    const atA = collect(a)
    const atC = collect(c)
    await a.dial(hub.getMultiaddrs()[0])
    await c.dial(hub.getMultiaddrs()[0])
    await waitForSubscribers(hub, 'mixed', [a.peerId, c.peerId])
    await waitForSubscribers(a, 'mixed', [hub.peerId])
    await waitForSubscribers(c, 'mixed', [hub.peerId])
    await a.services.pubsub.publish('mixed', enc('a->c'))
    await c.services.pubsub.publish('mixed', enc('c->a'))
    await waitFor(() => atA.length === 1 && atC.length === 1, 5000, 'relayed delivery')
    expect(dec(atC[0].data)).to.equal('a->c')
    expect(dec(atA[0].data)).to.equal('c->a')
  })

  it('unsubscribing is seen by the official router', async () => {
    const ours = await pubsubNode()
    const official = await officialNode()
    ours.services.pubsub.subscribe('t')
    await ours.dial(official.getMultiaddrs()[0])
    await waitForSubscribers(official, 't', [ours.peerId])
    ours.services.pubsub.unsubscribe('t')
    await waitFor(() => official.services.pubsub.getSubscribers('t').length === 0, 5000, 'unsubscription')
  })
})
