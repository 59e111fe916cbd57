import { generateKeyPair } from '@ts-libp2p/crypto'
import { TopicValidatorResult, isPubSub } from '@ts-libp2p/interface'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { defaultLogger } from '@ts-libp2p/utils'
import { streamPair, waitFor } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { encodeRpcFrame } from '../src/pb/rpc.js'
import { PubSubBase } from '../src/pubsub-base.js'
import type { PubSubBaseInit, PubSubComponents, PubSubPeer } from '../src/pubsub-base.js'
import type { RPC } from '../src/pb/rpc.js'
import type { Connection, PeerId, PublishResult, Stream, StreamHandler, Topology } from '@ts-libp2p/interface'

/** A minimal router: records RPCs, publishes to every subscriber, delivers valid messages. */
class TestRouter extends PubSubBase {
  rpcs: Array<{ peer: PubSubPeer, rpc: RPC }> = []
  hellos: Array<string | undefined> = []
  removed: PeerId[] = []

  async publish (topic: string, data: Uint8Array = new Uint8Array(0)): Promise<PublishResult> {
    const { rpc, outcome } = await this.buildPublishedMessage(topic, data)
    if (outcome.result !== TopicValidatorResult.Accept) throw new Error('rejected')
    return { recipients: this.sendFrame(this.subscribersOf(topic), encodeRpcFrame({ subscriptions: [], messages: [rpc] })) }
  }

  protected handleRpc (peer: PubSubPeer, rpc: RPC): void {
    this.rpcs.push({ peer, rpc })
    for (const message of rpc.messages) {
      void this.validateReceived(peer, message).then(outcome => {
        if (outcome.result === TopicValidatorResult.Accept) this.deliver(outcome)
      })
    }
  }

  protected override helloRpc (peer: PubSubPeer): RPC | undefined {
    this.hellos.push(peer.protocol)
    return super.helloRpc(peer)
  }

  protected override onPeerRemoved (peer: PubSubPeer): void {
    this.removed.push(peer.peerId)
  }

  peerObject (peerId: PeerId): PubSubPeer | undefined {
    return this.peers.get(peerId.toString())
  }
}

interface StubRegistrar {
  handlers: Map<string, StreamHandler>
  topologies: Map<string, Topology>
  registrar: PubSubComponents['registrar']
}

function stubRegistrar (): StubRegistrar {
  const handlers = new Map<string, StreamHandler>()
  const topologies = new Map<string, Topology>()
  let next = 0
  return {
    handlers,
    topologies,
    registrar: {
      handle: async (protocol, handler) => { handlers.set(protocol, handler) },
      unhandle: async (protocol) => { handlers.delete(protocol) },
      register: async (protocol, topology) => { const id = `${protocol}#${next++}`; topologies.set(id, topology); return id },
      unregister: (id) => { topologies.delete(id) }
    }
  }
}

interface TestNode { router: TestRouter, peerId: PeerId, stub: StubRegistrar }

async function testNode (protocols = ['/test/2.0.0', '/test/1.0.0'], init: PubSubBaseInit = {}): Promise<TestNode> {
  const privateKey = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(privateKey)
  const stub = stubRegistrar()
  const router = new TestRouter({ peerId, privateKey, registrar: stub.registrar, logger: defaultLogger() }, protocols, init, 'test-router')
  await router.start()
  return { router, peerId, stub }
}

/**
 * A connection between `from` and `to`, as each side sees it (like a real
 * connection, each side has one object for both directions): newStream
 * picks the first protocol the other side handles and hands the other end
 * of a stream pair to its handler with its own view of the connection.
 */
function connection (from: TestNode, to: TestNode): Connection & { reverse: Connection } {
  const view = (self: TestNode, remote: TestNode): any => ({ remotePeer: remote.peerId, status: 'open', streams: [] as Stream[] })
  const ours = view(from, to)
  const theirs = view(to, from)
  const link = (local: any, remoteNode: TestNode, remoteView: any): void => {
    local.newStream = async (protocols: string[]) => {
      const protocol = protocols.find(p => remoteNode.stub.handlers.has(p))
      if (protocol == null) throw Object.assign(new Error('unsupported'), { name: 'UnsupportedProtocolError' })
      const [out, inn] = streamPair({ protocol })
      local.streams.push(out)
      void remoteNode.stub.handlers.get(protocol)!(inn, remoteView)
      return out
    }
  }
  link(ours, to, theirs)
  link(theirs, from, ours)
  ours.reverse = theirs
  return ours
}

function connect (a: TestNode, b: TestNode): void {
  const conn = connection(a, b)
  for (const topology of a.stub.topologies.values()) void topology.onConnect?.(b.peerId, conn)
  for (const topology of b.stub.topologies.values()) void topology.onConnect?.(a.peerId, conn.reverse)
}

describe('pubsub-base', () => {
  const nodes: TestNode[] = []
  afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => { await n.router.stop() })) })

  async function node (protocols?: string[], init?: PubSubBaseInit): Promise<TestNode> {
    const n = await testNode(protocols, init)
    nodes.push(n)
    return n
  }

  it('registers a handler and a topology per protocol while started, and carries the pubsub brands', async () => {
    const a = await node()
    expect([...a.stub.handlers.keys()]).to.deep.equal(['/test/2.0.0', '/test/1.0.0'])
    expect(a.stub.topologies.size).to.equal(2)
    expect(isPubSub(a.router)).to.equal(true)
    expect(a.router.protocols).to.deep.equal(['/test/2.0.0', '/test/1.0.0'])
    await a.router.stop()
    expect(a.stub.handlers.size).to.equal(0)
    expect(a.stub.topologies.size).to.equal(0)
    expect(() => { a.router.subscribe('t') }).to.throw().with.property('name', 'PubSubNotStartedError')
  })

  it('announces existing subscriptions first on a new stream, with the negotiated protocol known', async () => {
    const a = await node(['/test/2.0.0', '/test/1.0.0'])
    const b = await node(['/test/1.0.0'])
    a.router.subscribe('x')
    b.router.subscribe('y')
    const changes: any[] = []
    b.router.addEventListener('subscription-change', (evt) => { changes.push(evt.detail) })
    connect(a, b)
    await waitFor(() => b.router.getSubscribers('x').length === 1 && a.router.getSubscribers('y').length === 1)
    // both fell back to the protocol b speaks
    expect(a.router.peerObject(b.peerId)?.protocol).to.equal('/test/1.0.0')
    expect(a.router.hellos).to.deep.equal(['/test/1.0.0'])
    expect(changes).to.have.length(1)
    expect(changes[0].peerId.equals(a.peerId)).to.equal(true)
    expect(changes[0].subscriptions).to.deep.equal([{ topic: 'x', subscribe: true }])
    expect(a.router.getPeers().map(String)).to.deep.equal([b.peerId.toString()])
  })

  it('broadcasts subscribe and unsubscribe, tracks each peer, forgets a peer on disconnect', async () => {
    const a = await node()
    const b = await node()
    const c = await node()
    connect(a, b)
    connect(a, c)
    await waitFor(() => a.router.getPeers().length === 2 && b.router.getPeers().length === 1 && c.router.getPeers().length === 1)
    b.router.subscribe('t')
    c.router.subscribe('t')
    c.router.subscribe('u')
    await waitFor(() => a.router.getSubscribers('t').length === 2 && a.router.getSubscribers('u').length === 1)
    c.router.unsubscribe('t')
    await waitFor(() => a.router.getSubscribers('t').length === 1)
    expect(a.router.getSubscribers('t')[0].equals(b.peerId)).to.equal(true)
    expect(c.router.getTopics()).to.deep.equal(['u'])
    // disconnect
    for (const topology of a.stub.topologies.values()) void topology.onDisconnect?.(c.peerId)
    expect(a.router.getSubscribers('u')).to.deep.equal([])
    expect(a.router.removed.map(String)).to.deep.equal([c.peerId.toString()])
    expect(a.router.getPeers().map(String)).to.deep.equal([b.peerId.toString()])
  })

  it('publishes, validates and delivers through the shared pipeline', async () => {
    const a = await node()
    const b = await node()
    b.router.subscribe('t')
    connect(a, b)
    await waitFor(() => a.router.getSubscribers('t').length === 1)
    const received: any[] = []
    b.router.addEventListener('message', (evt) => { received.push(evt.detail) })
    const result = await a.router.publish('t', Uint8Array.of(1))
    expect(result.recipients.map(String)).to.deep.equal([b.peerId.toString()])
    await waitFor(() => received.length === 1)
    expect(received[0].type).to.equal('signed')
    expect(received[0].from.equals(a.peerId)).to.equal(true)
  })

  it('resets the inbound stream of a peer that sends a malformed or over-limit RPC', async () => {
    const a = await node(undefined, { decodeRpcLimits: { maxSubscriptions: 2 } })
    const b = await node()
    const frames: Array<[string, Uint8Array]> = [
      ['malformed', Uint8Array.of(2, 0x08, 1)],
      ['over the subscription limit', encodeRpcFrame({ subscriptions: [{ topic: 'a' }, { topic: 'b' }, { topic: 'c' }], messages: [] })]
    ]
    for (const [what, frame] of frames) {
      const stream = await connection(b, a).newStream(['/test/2.0.0'])
      stream.send(frame)
      await waitFor(() => stream.status === 'reset', 2000)
      expect(stream.status, what).to.equal('reset')
    }
    expect(a.router.getSubscribers('a')).to.deep.equal([])
  })

  it('rejects bad topics', async () => {
    const a = await node()
    expect(() => { a.router.subscribe('') }).to.throw().with.property('name', 'InvalidTopicError')
    expect(() => { a.router.subscribe('x'.repeat(2000)) }).to.throw().with.property('name', 'InvalidTopicError')
    const err = await a.router.publish('', Uint8Array.of(1)).catch(e => e)
    expect(err).to.have.property('name', 'InvalidTopicError')
  })

  it('reopens the outbound stream on another connection when its own closed', async () => {
    const a = await node()
    const b = await node()
    const first = connection(a, b) as any
    for (const topology of a.stub.topologies.values()) void topology.onConnect?.(b.peerId, first)
    await waitFor(() => a.router.peerObject(b.peerId)?.outbound != null)
    const second = connection(a, b) as any
    for (const topology of a.stub.topologies.values()) void topology.onConnect?.(b.peerId, second)
    // the first connection goes away with its stream; the peer is still connected through the second
    first.status = 'closed'
    a.router.peerObject(b.peerId)!.outbound!.abort(new Error('connection closed'))
    await waitFor(() => a.router.peerObject(b.peerId)?.connection === second && a.router.peerObject(b.peerId)?.outbound != null)
  })

  it('reopens a failed outbound stream once per connection', async () => {
    const a = await node()
    const b = await node()
    connect(a, b)
    await waitFor(() => a.router.peerObject(b.peerId)?.outbound != null)
    const first = a.router.peerObject(b.peerId)!.outbound!
    first.abort(new Error('boom'))
    await waitFor(() => a.router.peerObject(b.peerId)?.outbound != null && a.router.peerObject(b.peerId)?.outbound !== first)
    const second = a.router.peerObject(b.peerId)!.outbound!
    second.abort(new Error('boom again'))
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(a.router.peerObject(b.peerId)?.outbound).to.equal(undefined)
  })
})
