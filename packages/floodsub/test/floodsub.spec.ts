import { generateKeyPair } from '@ts-libp2p/crypto'
import { StrictNoSign, TopicValidatorResult } from '@ts-libp2p/interface'
import { SeqnoGenerator, buildMessage, encodeRpcFrame } from '@ts-libp2p/pubsub'
import { expect } from 'chai'
import { PROTOCOL } from '../src/index.js'
import { collect, plainNode, pubsubNode, stopNodes, waitFor, waitForSubscribers } from './fixtures.js'
import type { PubSubNode } from './fixtures.js'
import type { Message, Stream } from '@ts-libp2p/interface'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

async function connect (a: PubSubNode, b: PubSubNode): Promise<void> {
  await a.dial(b.getMultiaddrs()[0])
}

describe('floodsub', function () {
  this.timeout(20_000)
  afterEach(stopNodes)

  it('two nodes: subscription announcement, publish, delivery with the signed origin', async () => {
    const a = await pubsubNode()
    const b = await pubsubNode()
    b.services.pubsub.subscribe('fruit')
    const changes: any[] = []
    a.services.pubsub.addEventListener('subscription-change', (evt) => { changes.push(evt.detail) })
    await connect(a, b)
    await waitForSubscribers(a, 'fruit', [b.peerId])
    expect(changes[0].peerId.equals(b.peerId)).to.equal(true)
    expect(changes[0].subscriptions).to.deep.equal([{ topic: 'fruit', subscribe: true }])
    expect(a.services.pubsub.getPeers().map(String)).to.deep.equal([b.peerId.toString()])

    const received = collect(b)
    const result = await a.services.pubsub.publish('fruit', enc('banana'))
    expect(result.recipients.map(String)).to.deep.equal([b.peerId.toString()])
    await waitFor(() => received.length === 1)
    const message = received[0]
    expect(message.type).to.equal('signed')
    if (message.type !== 'signed') throw new Error('unreachable')
    expect(message.from.equals(a.peerId)).to.equal(true)
    expect(dec(message.data)).to.equal('banana')
    expect(message.topic).to.equal('fruit')

    // unsubscribe is announced and stops delivery
    b.services.pubsub.unsubscribe('fruit')
    await waitFor(() => a.services.pubsub.getSubscribers('fruit').length === 0)
    expect(changes.at(-1).subscriptions).to.deep.equal([{ topic: 'fruit', subscribe: false }])
    expect((await a.services.pubsub.publish('fruit', enc('apple'))).recipients).to.deep.equal([])
    expect(b.services.pubsub.getTopics()).to.deep.equal([])
  })

  it('a chain of 10 nodes relays every message end to end exactly once', async () => {
    const nodes: PubSubNode[] = []
    for (let i = 0; i < 10; i++) nodes.push(await pubsubNode())
    const received = nodes.map(n => { n.services.pubsub.subscribe('chain'); return collect(n) })
    for (let i = 0; i < 9; i++) await connect(nodes[i], nodes[i + 1])
    for (let i = 0; i < 9; i++) {
      await waitForSubscribers(nodes[i], 'chain', [nodes[i + 1].peerId])
      await waitForSubscribers(nodes[i + 1], 'chain', [nodes[i].peerId])
    }
    for (let i = 0; i < 5; i++) await nodes[i % 2 === 0 ? 0 : 9].services.pubsub.publish('chain', enc(`m${i}`))
    await waitFor(() => received.every((r, i) => r.length === (i === 0 ? 2 : i === 9 ? 3 : 5)), 5000, 'chain delivery')
    await new Promise(resolve => setTimeout(resolve, 100))
    // no duplicates arrived later
    expect(received.map(r => r.length)).to.deep.equal([2, 5, 5, 5, 5, 5, 5, 5, 5, 3])
    expect(received[5].map(m => dec(m.data)).sort()).to.deep.equal(['m0', 'm1', 'm2', 'm3', 'm4'])
  })

  it('a star of 10 nodes: leaves publish, the hub relays to every other leaf', async () => {
    const hub = await pubsubNode()
    const leaves: PubSubNode[] = []
    for (let i = 0; i < 9; i++) leaves.push(await pubsubNode())
    const received = leaves.map(n => { n.services.pubsub.subscribe('star'); return collect(n) })
    // floodsub sends only to peers subscribed to the topic, so the hub subscribes too
    hub.services.pubsub.subscribe('star')
    const atHub = collect(hub)
    for (const leaf of leaves) await connect(leaf, hub)
    await waitForSubscribers(hub, 'star', leaves.map(l => l.peerId))
    for (const leaf of leaves) await waitForSubscribers(leaf, 'star', [hub.peerId])
    const result = await leaves[0].services.pubsub.publish('star', enc('hello'))
    expect(result.recipients.map(String)).to.deep.equal([hub.peerId.toString()])
    await waitFor(() => received.slice(1).every(r => r.length === 1) && atHub.length === 1, 5000, 'star delivery')
    expect(received[0]).to.have.length(0) // the author never gets its own message back
  })

  it('emitSelf delivers our own message and counts us as a recipient', async () => {
    const a = await pubsubNode({ emitSelf: true })
    a.services.pubsub.subscribe('self')
    const received = collect(a)
    const result = await a.services.pubsub.publish('self', enc('me'))
    expect(result.recipients.map(String)).to.deep.equal([a.peerId.toString()])
    expect(received).to.have.length(1)
  })

  it('topic validators: reject and ignore stop delivery and forwarding, accept lets through', async () => {
    const a = await pubsubNode()
    const hub = await pubsubNode()
    const c = await pubsubNode()
    c.services.pubsub.subscribe('v')
    hub.services.pubsub.subscribe('v')
    const atHub = collect(hub)
    const atC = collect(c)
    const seen: string[] = []
    hub.services.pubsub.topicValidators.set('v', (peer, message) => {
      expect(peer.equals(a.peerId)).to.equal(true)
      const text = dec(message.data)
      seen.push(text)
      if (text === 'bad') return TopicValidatorResult.Reject
      if (text === 'meh') return TopicValidatorResult.Ignore
      return TopicValidatorResult.Accept
    })
    await connect(a, hub)
    await connect(hub, c)
    await waitForSubscribers(a, 'v', [hub.peerId])
    await waitForSubscribers(hub, 'v', [c.peerId])
    for (const text of ['bad', 'meh', 'good']) await a.services.pubsub.publish('v', enc(text))
    await waitFor(() => atC.length === 1)
    await waitFor(() => seen.length === 3)
    expect(atHub.map(m => dec(m.data))).to.deep.equal(['good'])
    expect(atC.map(m => dec(m.data))).to.deep.equal(['good'])
  })

  it('our own topic validator refuses what we publish', async () => {
    const a = await pubsubNode()
    a.services.pubsub.topicValidators.set('v', () => TopicValidatorResult.Reject)
    const err = await a.services.pubsub.publish('v', enc('x')).catch(e => e)
    expect(err).to.have.property('name', 'InvalidMessageError')
  })

  it('StrictNoSign nodes exchange unsigned messages', async () => {
    const a = await pubsubNode({ globalSignaturePolicy: StrictNoSign })
    const b = await pubsubNode({ globalSignaturePolicy: StrictNoSign })
    b.services.pubsub.subscribe('anon')
    const received = collect(b)
    await connect(a, b)
    await waitForSubscribers(a, 'anon', [b.peerId])
    await a.services.pubsub.publish('anon', enc('x'))
    await waitFor(() => received.length === 1)
    expect(received[0]).to.deep.equal({ type: 'unsigned', topic: 'anon', data: enc('x') })
  })

  describe('hostile input from a raw stream', () => {
    async function rawPeer (target: PubSubNode): Promise<{ stream: Stream }> {
      const raw = await plainNode({})
      const stream = await raw.dialProtocol(target.getMultiaddrs()[0], PROTOCOL)
      return { stream }
    }

    async function frameWith (messages: any[]): Promise<Uint8Array> {
      return encodeRpcFrame({ subscriptions: [{ subscribe: true, topic: 't' }], messages })
    }

    it('drops a message with a bad signature, delivers a good one after it', async () => {
      const target = await pubsubNode()
      target.services.pubsub.subscribe('t')
      const received: Message[] = collect(target)
      const { stream } = await rawPeer(target)
      const key = await generateKeyPair('Ed25519')
      const good = await buildMessage({ policy: 'StrictSign', topic: 't', data: enc('good'), privateKey: key })
      const forged = { ...good, raw: undefined, data: enc('forged') }
      const unsigned = await buildMessage({ policy: StrictNoSign, topic: 't', data: enc('unsigned') })
      stream.send(await frameWith([forged, unsigned]))
      stream.send(await frameWith([good]))
      await waitFor(() => received.length === 1)
      await new Promise(resolve => setTimeout(resolve, 50))
      expect(received.map(m => dec(m.data))).to.deep.equal(['good'])
      expect(stream.status).to.equal('open')
    })

    it('resets the stream on a malformed RPC and keeps working', async () => {
      const target = await pubsubNode()
      target.services.pubsub.subscribe('t')
      const received = collect(target)
      const { stream } = await rawPeer(target)
      stream.send(Uint8Array.of(3, 0x12, 5, 0)) // a message field running past its frame
      await waitFor(() => stream.status === 'reset', 5000, 'stream reset')
      // a new stream from the same peer is served
      const { stream: again } = await rawPeer(target)
      const key = await generateKeyPair('Ed25519')
      again.send(await frameWith([await buildMessage({ policy: 'StrictSign', topic: 't', data: enc('after'), privateKey: key })]))
      await waitFor(() => received.length === 1)
    })

    it('resets the stream when a frame announces more than the maximum RPC size', async () => {
      const target = await pubsubNode({ maxRpcSize: 4096 })
      const { stream } = await rawPeer(target)
      // length prefix 5000 > 4096: refused from the prefix, before the body
      stream.send(Uint8Array.of(0x88, 0x27))
      await waitFor(() => stream.status === 'reset', 5000, 'stream reset')
      expect(target.services.pubsub.getTopics()).to.deep.equal([])
    })

    it('bounds the validations in flight: past the limit messages are dropped', async () => {
      const target = await pubsubNode({ maxPendingValidations: 2 })
      target.services.pubsub.subscribe('t')
      let release: () => void = () => {}
      const gate = new Promise<void>(resolve => { release = resolve })
      target.services.pubsub.topicValidators.set('t', async () => { await gate; return TopicValidatorResult.Accept })
      const received = collect(target)
      const { stream } = await rawPeer(target)
      const key = await generateKeyPair('Ed25519')
      const seqno = new SeqnoGenerator()
      const messages = []
      for (let i = 0; i < 6; i++) messages.push(await buildMessage({ policy: 'StrictSign', topic: 't', data: enc(`m${i}`), privateKey: key, seqno }))
      stream.send(await frameWith(messages))
      await waitFor(() => (target.services.pubsub as any).droppedForLoad === 4)
      release()
      await waitFor(() => received.length === 2)
      await new Promise(resolve => setTimeout(resolve, 50))
      expect(received.map(m => dec(m.data))).to.deep.equal(['m0', 'm1'])
    })

    it('survives random frames: each is decoded or resets the stream, and the node keeps serving', async () => {
      const target = await pubsubNode()
      target.services.pubsub.subscribe('t')
      const received = collect(target)
      let seed = 42
      const random = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff }
      for (let i = 0; i < 20; i++) {
        const { stream } = await rawPeer(target)
        const body = Uint8Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256))
        const prefix = body.length < 128 ? [body.length] : [(body.length & 0x7f) | 0x80, body.length >> 7]
        stream.send(Uint8Array.from([...prefix, ...body]))
      }
      const { stream } = await rawPeer(target)
      const key = await generateKeyPair('Ed25519')
      stream.send(await frameWith([await buildMessage({ policy: 'StrictSign', topic: 't', data: enc('still here'), privateKey: key })]))
      await waitFor(() => received.some(m => dec(m.data) === 'still here'))
    })

    it('refuses to publish a message over the size limit', async () => {
      const a = await pubsubNode({ maxRpcSize: 4096 })
      const err = await a.services.pubsub.publish('t', new Uint8Array(5000)).catch(e => e)
      expect(err).to.have.property('name', 'InvalidParametersError')
    })
  })
})
