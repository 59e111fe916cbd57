import { StrictNoSign, TopicValidatorResult } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { FLOODSUB, GOSSIPSUB_V11, GOSSIPSUB_V12, GOSSIPSUB_V13 } from '../src/index.js'
import { connect, gossipNode, gossipNodeWith, stopNodes, text, until } from './fixtures.js'
import { rawPeer, stopRaw } from './raw-peer.js'
import type { Message } from '@ts-libp2p/interface'

const delay = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('gossipsub service', () => {
  afterEach(stopNodes)

  it('two nodes: subscribe, mesh forms on /meshsub/1.3.0, a message arrives', async () => {
    const a = await gossipNode()
    const b = await gossipNode()
    await connect(a, b)
    a.services.pubsub.subscribe('t')
    b.services.pubsub.subscribe('t')
    await until(() => a.services.pubsub.getMeshPeers('t').length === 1 && b.services.pubsub.getMeshPeers('t').length === 1, 5000, 'mesh')
    expect(a.services.pubsub.getPeerExtensions(b.peerId)?.protocol).to.equal(GOSSIPSUB_V13)
    const got: Message[] = []
    b.services.pubsub.addEventListener('message', (evt) => { got.push(evt.detail) })
    const result = await a.services.pubsub.publish('t', text('hello'))
    expect(result.recipients.map(String)).to.deep.equal([b.peerId.toString()])
    await until(() => got.length === 1, 2000, 'message')
    expect(new TextDecoder().decode(got[0].data)).to.equal('hello')
    expect(got[0].type).to.equal('signed')
  })
})

describe('gossipsub service behaviour', function () {
  this.timeout(10_000)
  afterEach(async () => { await stopNodes(); await stopRaw() })

  it('a graylisted peer\'s RPCs are ignored (subscriptions, messages, control)', async () => {
    const raw = await rawPeer(GOSSIPSUB_V11)
    const rawKey = raw.peerId.toString()
    const a = await gossipNode({ globalSignaturePolicy: StrictNoSign, scoreParams: { appSpecificScore: (p) => p === rawKey ? -10 : 0 } })
    a.services.pubsub.subscribe('t')
    const got: Message[] = []
    a.services.pubsub.addEventListener('message', (evt) => { got.push(evt.detail) })
    await raw.connect(a)
    expect(a.services.pubsub.getScore(raw.peerId)).to.equal(-100) // below the graylist threshold of -80
    raw.send({ subscriptions: [{ topic: 't', subscribe: true }], messages: [{ topic: 't', data: text('spam') }], control: { graft: [{ topicID: 't' }], ihave: [{ topicID: 't', messageIDs: [new Uint8Array([1])] }] } })
    await delay(300)
    expect(a.services.pubsub.getSubscribers('t')).to.have.length(0)
    expect(a.services.pubsub.getMeshPeers('t')).to.have.length(0)
    expect(got).to.have.length(0)
    expect(raw.control('iwant')).to.have.length(0)
  })

  it('a malformed RPC resets the stream; the router keeps working', async () => {
    const a = await gossipNode({ globalSignaturePolicy: StrictNoSign })
    a.services.pubsub.subscribe('t')
    const raw = await rawPeer(GOSSIPSUB_V11)
    await raw.connect(a)
    const stream = raw.stream as NonNullable<typeof raw.stream>
    const closed = new Promise<string>(resolve => { stream.addEventListener('close', () => { resolve(stream.status) }, { once: true }) })
    // a frame of 3 bytes: field 1 (subscriptions), wire type 2, length 200 (past the end)
    raw.sendBytes(new Uint8Array([3, 0x0a, 0xc8, 0x01]))
    expect(await closed).to.be.oneOf(['reset', 'aborted', 'closed'])
    const b = await gossipNode({ globalSignaturePolicy: StrictNoSign })
    b.services.pubsub.subscribe('t')
    await connect(a, b)
    await until(() => a.services.pubsub.getMeshPeers('t').length === 1, 3000, 'mesh after the bad peer')
    const got: Message[] = []
    b.services.pubsub.addEventListener('message', (evt) => { got.push(evt.detail) })
    await a.services.pubsub.publish('t', text('still fine'))
    await until(() => got.length === 1, 3000, 'message')
  })

  it('a floodsub peer receives messages of its topics and no control messages', async () => {
    const a = await gossipNode({ globalSignaturePolicy: StrictNoSign, floodPublish: false })
    a.services.pubsub.subscribe('t')
    const raw = await rawPeer(FLOODSUB)
    await raw.connect(a)
    raw.send({ subscriptions: [{ topic: 't', subscribe: true }] })
    await until(() => a.services.pubsub.getSubscribers('t').length === 1, 3000, 'subscription')
    await a.services.pubsub.publish('t', text('to floodsub'))
    await until(() => raw.messages().length === 1, 3000, 'message')
    await a.services.pubsub.heartbeat()
    await delay(100)
    expect(raw.received.filter(r => r.control != null)).to.have.length(0)
    expect(a.services.pubsub.getMeshPeers('t')).to.have.length(0)
    // and a message from it is delivered and flooded on
    const got: Message[] = []
    a.services.pubsub.addEventListener('message', (evt) => { got.push(evt.detail) })
    raw.send({ messages: [{ topic: 't', data: text('from floodsub') }] })
    await until(() => got.length === 1, 3000, 'message from floodsub')
  })

  it('topic validators: reject and ignore are not delivered; accept is', async () => {
    const a = await gossipNode()
    const b = await gossipNode()
    await connect(a, b)
    a.services.pubsub.subscribe('t')
    b.services.pubsub.subscribe('t')
    b.services.pubsub.topicValidators.set('t', (_p, msg) => {
      const s = new TextDecoder().decode(msg.data)
      return s === 'reject' ? TopicValidatorResult.Reject : s === 'ignore' ? TopicValidatorResult.Ignore : TopicValidatorResult.Accept
    })
    await until(() => a.services.pubsub.getSubscribers('t').length === 1, 3000, 'subscription')
    const got: string[] = []
    b.services.pubsub.addEventListener('message', (evt) => { got.push(new TextDecoder().decode(evt.detail.data)) })
    for (const s of ['reject', 'ignore', 'accept']) await a.services.pubsub.publish('t', text(s))
    await until(() => got.length === 1, 3000, 'accepted message')
    await delay(100)
    expect(got).to.deep.equal(['accept'])
  })

  it('publish: PublishError without subscribers (unless allowed), on a duplicate, and emitSelf delivers locally', async () => {
    const a = await gossipNode({ globalSignaturePolicy: StrictNoSign, emitSelf: true })
    a.services.pubsub.subscribe('t')
    const err = await a.services.pubsub.publish('t', text('x')).then(() => undefined, (e: Error) => e)
    expect(err?.name).to.equal('PublishError')
    const b = await gossipNode({ globalSignaturePolicy: StrictNoSign })
    b.services.pubsub.subscribe('t')
    await connect(a, b)
    await until(() => a.services.pubsub.getSubscribers('t').length === 1, 3000, 'subscription')
    const self: Message[] = []
    a.services.pubsub.addEventListener('message', (evt) => { self.push(evt.detail) })
    await a.services.pubsub.publish('t', text('once'))
    expect(self).to.have.length(1)
    const dup = await a.services.pubsub.publish('t', text('once')).then(() => undefined, (e: Error) => e)
    expect(dup?.name).to.equal('PublishError')
    const lonely = await gossipNode({ allowPublishToZeroTopicPeers: true })
    expect((await lonely.services.pubsub.publish('nobody', text('x'))).recipients).to.have.length(0)
  })

  it('publishBatch sends every message to every subscriber, first messages rotated across peers', async () => {
    const a = await gossipNode({ globalSignaturePolicy: StrictNoSign })
    const raws = [await rawPeer(GOSSIPSUB_V12), await rawPeer(GOSSIPSUB_V12), await rawPeer(GOSSIPSUB_V12)]
    for (const raw of raws) {
      await raw.connect(a)
      raw.send({ subscriptions: [{ topic: 't', subscribe: true }] })
    }
    await until(() => a.services.pubsub.getSubscribers('t').length === 3, 3000, 'subscriptions')
    const results = await a.services.pubsub.publishBatch([0, 1, 2].map(i => ({ topic: 't', data: text(`b${i}`) })))
    expect(results.map(r => r.recipients.length)).to.deep.equal([3, 3, 3])
    await until(() => raws.every(r => r.messages().length === 3), 3000, 'batch delivered')
    const firsts = new Set(raws.map(r => new TextDecoder().decode(r.messages()[0].data)))
    expect(firsts.size).to.equal(3)
  })

  it('unsubscribe PRUNEs the mesh with the unsubscribe backoff and tells peers', async () => {
    const a = await gossipNode()
    const b = await gossipNode()
    await connect(a, b)
    a.services.pubsub.subscribe('t')
    b.services.pubsub.subscribe('t')
    await until(() => b.services.pubsub.getMeshPeers('t').length === 1, 3000, 'mesh')
    const prunes: string[] = []
    b.services.pubsub.addEventListener('gossipsub:prune', (evt) => { prunes.push(evt.detail.direction) })
    a.services.pubsub.unsubscribe('t')
    await until(() => b.services.pubsub.getMeshPeers('t').length === 0 && b.services.pubsub.getSubscribers('t').length === 0, 3000, 'pruned')
    expect(prunes).to.include('inbound')
    expect(a.services.pubsub.getTopics()).to.deep.equal([])
  })

  it('rejects options that break the spec rules', async () => {
    for (const bad of [{ Dout: 3, Dlo: 3 }, { Dhi: 3 }, { gossipFactor: 2 }, { scoreThresholds: { gossipThreshold: 5 } }]) {
      const err = await gossipNode(bad).then(() => undefined, (e: Error) => e)
      expect(err?.name).to.be.oneOf(['InvalidGossipsubParamsError', 'InvalidScoreParamsError'])
    }
  })

  it('reopens our outbound stream when it dies while the peer stays connected', async () => {
    const a = await gossipNode({ globalSignaturePolicy: StrictNoSign })
    a.services.pubsub.subscribe('t')
    const raw = await rawPeer(GOSSIPSUB_V12)
    await raw.connect(a)
    const hellos = (): number => raw.received.filter(r => r.subscriptions.some(s => s.topic === 't')).length
    expect(hellos()).to.equal(1)
    // reset every stream the router opened to us
    for (const conn of raw.node.getConnections(a.peerId)) {
      for (const s of conn.streams) if (s.protocol === GOSSIPSUB_V12 && s.direction === 'inbound') s.abort(new Error('test reset'))
    }
    await until(() => hellos() === 2, 5000, 'a second hello on a new stream')
    raw.send({ subscriptions: [{ topic: 't', subscribe: true }] })
    await until(() => a.services.pubsub.getSubscribers('t').length === 1, 3000, 'subscription')
    await a.services.pubsub.publish('t', text('after reopen'))
    await until(() => raw.messages().length === 1, 3000, 'message on the new stream')
  })

  it('reports counters and mesh sizes through the metrics component', async () => {
    const counters = new Map<string, number>()
    const calculated = new Map<string, () => unknown>()
    const noop = (): any => ({ update () {}, increment () {}, decrement () {}, reset () {}, timer: () => () => {}, observe () {} })
    const metrics: any = {
      trackMultiaddrConnection () {},
      trackProtocolStream () {},
      traceFunction: (_n: string, fn: unknown) => fn,
      createTrace: () => undefined,
      registerCounter (name: string, opts: any) {
        if (opts?.calculate != null) return
        return { increment (v = 1) { counters.set(name, (counters.get(name) ?? 0) + v) }, reset () {} }
      },
      registerMetric (name: string, opts: any) { if (opts?.calculate != null) calculated.set(name, opts.calculate); else return noop() },
      registerMetricGroup (name: string, opts: any) { if (opts?.calculate != null) calculated.set(name, opts.calculate); else return noop() },
      registerCounterGroup: noop,
      registerHistogram: noop,
      registerHistogramGroup: noop,
      registerSummary: noop,
      registerSummaryGroup: noop
    }
    const a = await gossipNode()
    const b = await gossipNodeWith({ metrics: () => metrics })
    await connect(a, b)
    a.services.pubsub.subscribe('t')
    b.services.pubsub.subscribe('t')
    await until(() => a.services.pubsub.getMeshPeers('t').length === 1 && b.services.pubsub.getMeshPeers('t').length === 1, 3000, 'mesh')
    const got: Message[] = []
    b.services.pubsub.addEventListener('message', (evt) => { got.push(evt.detail) })
    await a.services.pubsub.publish('t', text('counted'))
    await until(() => got.length === 1, 3000, 'message')
    expect(counters.get('libp2p_gossipsub_delivered_total')).to.equal(1)
    expect(counters.get('libp2p_gossipsub_rpc_received_total')).to.be.greaterThan(0)
    expect(calculated.get('libp2p_gossipsub_mesh_peers')?.()).to.deep.equal({ t: 1 })
    expect(calculated.get('libp2p_gossipsub_peers')?.()).to.equal(1)
  })
})


describe('gossipsub fanout and lifecycle', function () {
  this.timeout(10_000)
  afterEach(stopNodes)

  it('publishing to a topic we are not in (flood publish off) goes to D fanout peers, kept for later messages', async () => {
    const a = await gossipNode({ floodPublish: false })
    const subs = await Promise.all(Array.from({ length: 9 }, async () => gossipNode()))
    for (const s of subs) {
      s.services.pubsub.subscribe('t')
      await connect(a, s)
    }
    await until(() => a.services.pubsub.getSubscribers('t').length === 9, 5000, 'subscriptions')
    const first = await a.services.pubsub.publish('t', text('one'))
    expect(first.recipients).to.have.length(6)
    const second = await a.services.pubsub.publish('t', text('two'))
    expect(second.recipients.map(String).sort()).to.deep.equal(first.recipients.map(String).sort())
    expect(a.services.pubsub.getMeshPeers('t')).to.have.length(0)
  })

  it('subscribe and publish before start throw PubSubNotStartedError; stop leaves no peers', async () => {
    const a = await gossipNode()
    const b = await gossipNode()
    await connect(a, b)
    await until(() => a.services.pubsub.getPeers().length === 1, 3000, 'peer')
    await a.stop()
    expect(a.services.pubsub.getPeers()).to.have.length(0)
    expect(() => { a.services.pubsub.subscribe('t') }).to.throw().with.property('name', 'PubSubNotStartedError')
    const err = await a.services.pubsub.publish('t', text('x')).then(() => undefined, (e: Error) => e)
    expect(err?.name).to.equal('PubSubNotStartedError')
  })
})
