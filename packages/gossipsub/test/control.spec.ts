import { generateKeyPair } from '@ts-libp2p/crypto'
import { StrictNoSign, StrictSign } from '@ts-libp2p/interface'
import { buildMessage, msgIdFromData, msgIdToKey } from '@ts-libp2p/pubsub'
import { expect } from 'chai'
import { GOSSIPSUB_V10, GOSSIPSUB_V11, GOSSIPSUB_V12, GOSSIPSUB_V13 } from '../src/index.js'
import { connect, gossipNode, stopNodes, text, until } from './fixtures.js'
import { rawPeer, stopRaw } from './raw-peer.js'
import type { GossipNode } from './fixtures.js'
import type { RawPeer } from './raw-peer.js'

const delay = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const idOf = (data: Uint8Array): Uint8Array => msgIdFromData({ type: 'unsigned', topic: 't', data })

/** A router subscribed to `t` and a raw peer on `protocol` subscribed to `t` too. */
async function pair (protocol = GOSSIPSUB_V13, init: Parameters<typeof gossipNode>[0] = {}): Promise<{ a: GossipNode, raw: RawPeer }> {
  const a = await gossipNode({ globalSignaturePolicy: StrictNoSign, ...init })
  a.services.pubsub.subscribe('t')
  const raw = await rawPeer(protocol)
  await raw.connect(a)
  raw.send({ subscriptions: [{ topic: 't', subscribe: true }] })
  await until(() => a.services.pubsub.getSubscribers('t').length === 1, 3000, 'subscription')
  return { a, raw }
}

describe('control messages', () => {
  afterEach(async () => { await stopNodes(); await stopRaw() })

  it('hello: the first RPC carries our subscriptions and, on 1.3 only, the extensions control message', async () => {
    const { raw } = await pair(GOSSIPSUB_V13)
    expect(raw.received[0].subscriptions).to.deep.equal([{ topic: 't', subscribe: true }])
    expect(raw.received[0].control?.extensions).to.deep.equal({ testExtension: true })
    const { raw: old } = await pair(GOSSIPSUB_V12)
    expect(old.received[0].control?.extensions).to.equal(undefined)
  })

  it('v1.3 test extension: both advertise -> each sends TestExtension once', async () => {
    const { a, raw } = await pair(GOSSIPSUB_V13)
    raw.send({ control: { extensions: { testExtension: true } } })
    await until(() => raw.received.some(r => r.testExtension != null), 3000, 'TestExtension')
    raw.send({ testExtension: {} })
    await until(() => a.services.pubsub.getPeerExtensions(raw.peerId)?.testExtensionReceived === true, 3000, 'received flag')
    expect(a.services.pubsub.getPeerExtensions(raw.peerId)?.extensions).to.deep.equal({ testExtension: true })
    // a second extensions message is a protocol violation: P₇
    raw.send({ control: { extensions: { testExtension: true } } })
    await until(() => a.services.pubsub.getScore(raw.peerId) < 0, 3000, 'penalty')
    expect(raw.received.filter(r => r.testExtension != null)).to.have.length(1)
  })

  it('GRAFT on a topic we are in adds the peer to the mesh; on an unknown topic it is ignored', async () => {
    // D_lo 0: our heartbeat never grafts, so the mesh changes only by the peer's GRAFT
    const { a, raw } = await pair(GOSSIPSUB_V11, { heartbeatInterval: 60_000, Dlo: 0, Dout: 0 })
    const grafts: string[] = []
    a.services.pubsub.addEventListener('gossipsub:graft', (evt) => { grafts.push(`${evt.detail.direction}:${evt.detail.topic}`) })
    raw.send({ control: { graft: [{ topicID: 'unknown' }] } })
    await delay(100)
    expect(raw.control('prune')).to.have.length(0)
    raw.send({ control: { graft: [{ topicID: 't' }] } })
    await until(() => a.services.pubsub.getMeshPeers('t').length === 1, 3000, 'mesh')
    expect(grafts).to.include('inbound:t')
  })

  it('PRUNE removes the peer and backs off; GRAFTs during the backoff are refused with PRUNE and penalised (twice within the flood threshold)', async () => {
    const { a, raw } = await pair(GOSSIPSUB_V11, { heartbeatInterval: 60_000, Dlo: 0, Dout: 0 })
    raw.send({ control: { graft: [{ topicID: 't' }] } })
    await until(() => a.services.pubsub.getMeshPeers('t').length === 1, 3000, 'mesh')
    raw.send({ control: { prune: [{ topicID: 't', backoff: 30 }] } })
    await until(() => a.services.pubsub.getMeshPeers('t').length === 0, 3000, 'pruned')
    raw.send({ control: { graft: [{ topicID: 't' }] } })
    await until(() => raw.control('prune').length === 1, 3000, 'refusing PRUNE')
    const prune = raw.control('prune')[0]
    expect(prune.topicID).to.equal('t')
    expect(prune.backoff).to.equal(60)
    expect(a.services.pubsub.getMeshPeers('t')).to.have.length(0)
    // the peer's 30 s backoff ends later than 10 s after a 60 s one would have started: one penalty, P₇ = 1² x -10
    expect(a.services.pubsub.getScore(raw.peerId)).to.equal(-10)
    // our refusal restarted a full 60 s backoff: a GRAFT now is within the flood threshold, two more penalties
    raw.send({ control: { graft: [{ topicID: 't' }] } })
    await until(() => raw.control('prune').length === 2, 3000, 'second PRUNE')
    expect(a.services.pubsub.getScore(raw.peerId)).to.equal(-90)
  })

  it('PRUNE to a 1.0 peer carries neither backoff nor PX', async () => {
    const { a, raw } = await pair(GOSSIPSUB_V10, { heartbeatInterval: 60_000, directPeers: [] })
    raw.send({ control: { graft: [{ topicID: 't' }] } })
    await until(() => a.services.pubsub.getMeshPeers('t').length === 1, 3000, 'mesh')
    a.services.pubsub.unsubscribe('t')
    await until(() => raw.control('prune').length === 1, 3000, 'PRUNE')
    expect(raw.control('prune')[0]).to.deep.equal({ topicID: 't', peers: [] })
  })

  it('IHAVE: IWANT for unseen ids of our topics; a broken promise costs a P₇ penalty', async () => {
    const { a, raw } = await pair(GOSSIPSUB_V11, { heartbeatInterval: 100, iwantFollowupTime: 200 })
    const bogus = new Uint8Array([9, 9, 9])
    raw.send({ control: { ihave: [{ topicID: 't', messageIDs: [bogus] }, { topicID: 'other', messageIDs: [new Uint8Array([1])] }] } })
    await until(() => raw.control('iwant').length === 1, 3000, 'IWANT')
    expect(raw.control('iwant')[0].messageIDs.map(msgIdToKey)).to.deep.equal([msgIdToKey(bogus)])
    await until(() => a.services.pubsub.getScore(raw.peerId) < 0, 3000, 'broken promise penalty')
  })

  it('IHAVE flood: past maxIHaveMessages per heartbeat, IHAVEs are ignored', async () => {
    const { raw } = await pair(GOSSIPSUB_V11, { heartbeatInterval: 60_000, maxIHaveMessages: 3 })
    for (let i = 0; i < 6; i++) raw.send({ control: { ihave: [{ topicID: 't', messageIDs: [new Uint8Array([i])] }] } })
    await delay(300)
    expect(raw.control('iwant')).to.have.length(3)
  })

  it('a forged copy (same from and seqno, bad signature) sent first does not censor the real message', async () => {
    const { a, raw } = await pair(GOSSIPSUB_V11, { globalSignaturePolicy: StrictSign, heartbeatInterval: 60_000 })
    const received: Uint8Array[] = []
    a.services.pubsub.addEventListener('message', (evt) => { received.push(evt.detail.data) })
    const author = await generateKeyPair('Ed25519')
    const real = await buildMessage({ policy: StrictSign, topic: 't', data: text('real'), privateKey: author })
    const signature = real.signature!.slice()
    signature[0] ^= 0xff
    const forged = { ...real, signature, raw: undefined }
    raw.send({ messages: [forged] })
    await delay(200)
    expect(received).to.have.length(0)
    raw.send({ messages: [{ ...real, raw: undefined }] })
    await until(() => received.length === 1, 3000, 'the real message')
    expect(new TextDecoder().decode(received[0])).to.equal('real')
    // and a second real copy is a duplicate
    raw.send({ messages: [{ ...real, raw: undefined }] })
    await delay(200)
    expect(received).to.have.length(1)
  })

  it('IWANT: answered from the message cache at most gossipRetransmission times (IWANT spam is bounded)', async () => {
    const { a, raw } = await pair(GOSSIPSUB_V11, { heartbeatInterval: 60_000, gossipRetransmission: 2 })
    const data = text('cached')
    await a.services.pubsub.publish('t', data)
    await until(() => raw.messages().length === 1, 3000, 'published message')
    for (let i = 0; i < 10; i++) raw.send({ control: { iwant: [{ messageIDs: [idOf(data)] }] } })
    await delay(300)
    expect(raw.messages()).to.have.length(3) // the publish and 2 IWANT answers
  })

  it('IDONTWANT: a large first message makes us send IDONTWANT to 1.2 mesh peers, and honour theirs', async () => {
    const a = await gossipNode({ globalSignaturePolicy: StrictNoSign, heartbeatInterval: 60_000, floodPublish: false })
    const c = await gossipNode({ globalSignaturePolicy: StrictNoSign, heartbeatInterval: 60_000, floodPublish: false })
    a.services.pubsub.subscribe('t')
    c.services.pubsub.subscribe('t')
    await connect(a, c)
    await until(() => a.services.pubsub.getSubscribers('t').length === 1 && c.services.pubsub.getSubscribers('t').length === 1, 3000, 'subscriptions a-c')
    // the heartbeat is slow here: run one by hand to form the mesh
    await a.services.pubsub.heartbeat()
    await until(() => a.services.pubsub.getMeshPeers('t').length === 1 && c.services.pubsub.getMeshPeers('t').length === 1, 3000, 'mesh a-c')
    const raw12 = await rawPeer(GOSSIPSUB_V12)
    const raw11 = await rawPeer(GOSSIPSUB_V11)
    for (const raw of [raw12, raw11]) {
      await raw.connect(a)
      raw.send({ subscriptions: [{ topic: 't', subscribe: true }], control: { graft: [{ topicID: 't' }] } })
    }
    await until(() => a.services.pubsub.getMeshPeers('t').length === 3, 3000, 'mesh of 3')
    const big = new Uint8Array(4096).fill(7)
    await c.services.pubsub.publish('t', big)
    await until(() => raw12.control('idontwant').length === 1, 3000, 'IDONTWANT')
    expect(msgIdToKey(raw12.control('idontwant')[0].messageIDs[0])).to.equal(msgIdToKey(idOf(big)))
    expect(raw11.control('idontwant')).to.have.length(0)
    // honouring: raw12 says it does not want the next message, so a does not forward it
    const next = new Uint8Array(4096).fill(8)
    raw12.send({ control: { idontwant: [{ messageIDs: [idOf(next)] }] } })
    await delay(100)
    await c.services.pubsub.publish('t', next)
    await until(() => raw11.messages().length === 2, 3000, 'forwarded to raw11')
    await delay(100)
    expect(raw12.messages()).to.have.length(1)
  })

  it('PX: followed only from peers at or above the accept PX threshold, via signed peer records', async () => {
    const target = await gossipNode()
    const good = await rawPeer(GOSSIPSUB_V11)
    const bad = await rawPeer(GOSSIPSUB_V11)
    const goodKey = good.peerId.toString()
    const a = await gossipNode({ heartbeatInterval: 60_000, scoreParams: { appSpecificScore: (p) => p === goodKey ? 100 : 0 } })
    a.services.pubsub.subscribe('t')
    // the target's signed record, as another peer would have it from identify
    await connect(good.node as any, target)
    await until(() => true)
    let envelope: Uint8Array | undefined
    await until(() => { void good.node.peerStore.get(target.peerId).then((p: any) => { envelope = p.peerRecordEnvelope }, () => {}); return envelope != null }, 3000, 'target record')
    await bad.connect(a)
    bad.send({ control: { prune: [{ topicID: 't', backoff: 60, peers: [{ peerID: target.peerId.toMultihash().bytes, signedPeerRecord: envelope }] }] } })
    await delay(300)
    expect(a.getConnections(target.peerId)).to.have.length(0)
    await good.connect(a)
    good.send({ control: { prune: [{ topicID: 't', backoff: 60, peers: [{ peerID: target.peerId.toMultihash().bytes, signedPeerRecord: envelope }] }] } })
    await until(() => a.getConnections(target.peerId).length > 0, 3000, 'PX connection')
  })

  it('direct peers: a GRAFT from one is refused with a PRUNE without PX, and messages are forwarded to it', async () => {
    const raw = await rawPeer(GOSSIPSUB_V11)
    const a = await gossipNode({ globalSignaturePolicy: StrictNoSign, heartbeatInterval: 60_000, directPeers: [{ id: raw.peerId }] })
    a.services.pubsub.subscribe('t')
    await raw.connect(a)
    raw.send({ subscriptions: [{ topic: 't', subscribe: true }], control: { graft: [{ topicID: 't' }] } })
    await until(() => raw.control('prune').length === 1, 3000, 'PRUNE')
    expect(raw.control('prune')[0].peers ?? []).to.have.length(0)
    expect(a.services.pubsub.getMeshPeers('t')).to.have.length(0)
    await a.services.pubsub.publish('t', text('direct'))
    await until(() => raw.messages().length === 1, 3000, 'message to the direct peer')
  })
})
