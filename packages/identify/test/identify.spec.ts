import { generateKeyPair, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { PEER_RECORD_CODEC, PeerRecord, RecordEnvelope } from '@ts-libp2p/peer-record'
import { lpStream } from '@ts-libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { AGENT_VERSION_KEY, IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, PROTOCOL_VERSION, PROTOCOL_VERSION_KEY, identify } from '../src/index.js'
import { encodeIdentify } from '../src/message.js'
import { eventually, expectRejection, node, stopNodes } from './fixtures.js'
import type { IdentifyInit } from '../src/index.js'
import type { IdentifyMessage } from '../src/message.js'
import type { Connection, IdentifyResult, PrivateKey, Record as SignableRecord, Stream } from '@ts-libp2p/interface'
import type { Libp2pNode } from '@ts-libp2p/libp2p'

type IdentifyNode = Libp2pNode<{ identify: ReturnType<ReturnType<typeof identify>> }>

async function identifyNode (init: IdentifyInit = {}): Promise<IdentifyNode> {
  return await node({ services: { identify: identify(init) } })
}

/** A node without identify whose /ipfs/id/1.0.0 handler answers with `frames` (raw bytes, each length-prefixed) or stalls. */
async function fakeNode (answer: (stream: Stream, self: Libp2pNode) => Promise<void>): Promise<Libp2pNode> {
  const n = await node()
  await n.handle(IDENTIFY_PROTOCOL, async (stream) => { await answer(stream, n) })
  return n
}

async function sendMessage (stream: Stream, message: IdentifyMessage): Promise<void> {
  await lpStream(stream).write(encodeIdentify(message))
  await stream.close()
}

/** A well-formed message of `self`, with `overrides`. */
async function messageOf (self: Libp2pNode, overrides: Partial<IdentifyMessage> = {}): Promise<IdentifyMessage> {
  const privateKey = self.components.privateKey
  const addrs = self.components.addressManager.getAddresses()
  const envelope = await RecordEnvelope.seal(new PeerRecord({ peerId: self.peerId, multiaddrs: addrs }), privateKey)
  return {
    protocolVersion: 'fake/1.0.0',
    agentVersion: 'fake-agent/1.0.0',
    publicKey: publicKeyToProtobuf(privateKey.publicKey),
    listenAddrs: addrs.map(a => a.bytes),
    protocols: ['/fake/1.0.0'],
    signedPeerRecord: envelope.marshal(),
    ...overrides
  }
}

async function connect (a: Libp2pNode, b: Libp2pNode): Promise<Connection> {
  return await a.dial(b.getMultiaddrs()[0])
}

describe('identify', () => {
  afterEach(stopNodes)

  it('identifies on connection open: protocols, certified addresses, versions and key reach the peer store', async () => {
    const a = await identifyNode()
    const b = await identifyNode({ agentVersion: 'b-agent/1.2.3' })
    await b.handle('/echo/1.0.0', async (s) => { await s.close() })
    const identified = new Promise<IdentifyResult>(resolve => {
      a.addEventListener('peer:identify', (evt) => { resolve(evt.detail) }, { once: true })
    })
    await connect(a, b)
    const result = await identified
    expect(result.peerId.equals(b.peerId)).to.equal(true)
    expect(result.protocols).to.include.members([IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, '/echo/1.0.0'])
    expect(result.agentVersion).to.equal('b-agent/1.2.3')
    expect(result.protocolVersion).to.equal(PROTOCOL_VERSION)
    expect(result.signedPeerRecord?.addresses.map(String)).to.deep.equal(b.components.addressManager.getAddresses().map(String))
    expect(result.observedAddr).to.not.equal(undefined)

    const peer = await a.peerStore.get(b.peerId)
    expect(peer.protocols).to.include.members([IDENTIFY_PROTOCOL, '/echo/1.0.0'])
    expect(peer.id.publicKey?.equals(b.components.privateKey.publicKey)).to.equal(true)
    const listen = b.components.addressManager.getAddresses().map(String)
    expect(peer.addresses.filter(a => a.isCertified).map(a => a.multiaddr.toString())).to.include.members(listen)
    expect(new TextDecoder().decode(peer.metadata.get(AGENT_VERSION_KEY))).to.equal('b-agent/1.2.3')
    expect(new TextDecoder().decode(peer.metadata.get(PROTOCOL_VERSION_KEY))).to.equal(PROTOCOL_VERSION)
    expect(peer.peerRecordEnvelope).to.be.an.instanceOf(Uint8Array)

    // and the other way round
    expect(await eventually(async () => (await b.peerStore.get(a.peerId).catch(() => undefined))?.protocols.includes(IDENTIFY_PROTOCOL) === true)).to.equal(true)
  })

  it('identify() on demand returns the result, and concurrent calls share one exchange', async () => {
    const a = await identifyNode({ runOnConnectionOpen: false })
    const b = await identifyNode({ runOnConnectionOpen: false })
    const connection = await connect(a, b)
    const [one, two] = await Promise.all([a.services.identify.identify(connection), a.services.identify.identify(connection)])
    expect(one).to.equal(two)
    expect(one.listenAddrs.map(String)).to.deep.equal(b.components.addressManager.getAddresses().map(String))
  })

  it('pushes a new protocol to the connected peer within a second of node.handle()', async function () {
    this.timeout(6_000)
    const a = await identifyNode()
    const b = await identifyNode()
    await connect(a, b)
    expect(await eventually(async () => (await a.peerStore.get(b.peerId).catch(() => undefined))?.protocols.includes(IDENTIFY_PUSH_PROTOCOL) === true)).to.equal(true)
    // let the start-up push window pass, as a long-running node would have
    await new Promise(resolve => setTimeout(resolve, 1_000))
    const started = Date.now()
    await b.handle('/new/1.0.0', async (s) => { await s.close() })
    expect(await eventually(async () => (await a.peerStore.get(b.peerId)).protocols.includes('/new/1.0.0'), 1_000)).to.equal(true)
    expect(Date.now() - started).to.be.lessThan(1_000)
    await b.unhandle('/new/1.0.0')
    // the second change falls in the same window: it arrives at the window's end
    expect(await eventually(async () => !(await a.peerStore.get(b.peerId)).protocols.includes('/new/1.0.0'), 2_000)).to.equal(true)
  })

  it('confirms an observed address reported by enough peers, advertises it and pushes it', async function () {
    this.timeout(5_000)
    const a = await identifyNode({ observedAddrThreshold: 1, runOnConnectionOpen: false })
    const b = await identifyNode()
    const connection = await connect(a, b)
    const result = await a.services.identify.identify(connection)
    const observed = result.observedAddr?.toString()
    expect(observed).to.be.a('string')
    expect(a.components.addressManager.getAddresses().map(String)).to.include(observed)
    // b learns it from our push (a signed record carrying it)
    expect(await eventually(async () => (await b.peerStore.get(a.peerId).catch(() => undefined))?.addresses.some(x => x.multiaddr.toString() === observed && x.isCertified) === true, 3_000)).to.equal(true)
  })

  it('stores a valid inbound push (partial update keeps what it does not mention)', async () => {
    const a = await identifyNode({ runOnConnectionOpen: false })
    const b = await node()
    const connection = await connect(b, a)
    const stream = await connection.newStream(IDENTIFY_PUSH_PROTOCOL)
    await sendMessage(stream, { listenAddrs: [], protocols: ['/pushed/1.0.0'], agentVersion: 'pushed-agent' })
    expect(await eventually(async () => (await a.peerStore.get(b.peerId).catch(() => undefined))?.protocols.includes('/pushed/1.0.0') === true)).to.equal(true)
    const stream2 = await connection.newStream(IDENTIFY_PUSH_PROTOCOL)
    await sendMessage(stream2, { listenAddrs: [], protocols: [], protocolVersion: 'v2' })
    expect(await eventually(async () => (await a.peerStore.get(b.peerId)).metadata.has(PROTOCOL_VERSION_KEY))).to.equal(true)
    const peer = await a.peerStore.get(b.peerId)
    expect(peer.protocols).to.deep.equal(['/pushed/1.0.0'])
    expect(new TextDecoder().decode(peer.metadata.get(AGENT_VERSION_KEY))).to.equal('pushed-agent')
  })

  describe('verification', () => {
    async function identifyFake (answer: (stream: Stream, self: Libp2pNode) => Promise<void>, init: IdentifyInit = {}): Promise<{ a: IdentifyNode, b: Libp2pNode, result: Promise<IdentifyResult> }> {
      const a = await identifyNode({ runOnConnectionOpen: false, ...init })
      const b = await fakeNode(answer)
      const connection = await connect(a, b)
      return { a, b, result: a.services.identify.identify(connection) }
    }

    it('rejects a public key that is not the remote peer id\'s, and stores nothing', async () => {
      const other = await generateKeyPair('Ed25519')
      const { a, b, result } = await identifyFake(async (stream, self) => {
        await sendMessage(stream, await messageOf(self, { publicKey: publicKeyToProtobuf(other.publicKey) }))
      })
      const err = await expectRejection(result)
      expect(err.name).to.equal('PublicKeyMismatchError')
      const peer = await a.peerStore.get(b.peerId).catch(() => undefined)
      expect(peer?.protocols ?? []).to.not.include('/fake/1.0.0')
    })

    it('rejects a public key that does not parse with InvalidMessageError', async () => {
      const { result } = await identifyFake(async (stream, self) => {
        await sendMessage(stream, await messageOf(self, { publicKey: Uint8Array.from([1, 2, 3]) }))
      })
      expect((await expectRejection(result)).name).to.equal('InvalidMessageError')
    })

    async function expectRecordIgnored (envelope: (self: Libp2pNode) => Promise<Uint8Array>): Promise<void> {
      const { a, b, result } = await identifyFake(async (stream, self) => {
        await sendMessage(stream, await messageOf(self, { signedPeerRecord: await envelope(self) }))
      })
      const identified = await result
      expect(identified.signedPeerRecord).to.equal(undefined)
      const peer = await a.peerStore.get(b.peerId)
      expect(peer.peerRecordEnvelope).to.equal(undefined)
      // the listen addresses are kept, uncertified
      const listen = b.components.addressManager.getAddresses().map(String)
      expect(peer.addresses.filter(x => listen.includes(x.multiaddr.toString())).map(x => x.isCertified)).to.deep.equal(listen.map(() => false))
      expect(peer.protocols).to.include('/fake/1.0.0')
    }

    it('ignores a signed peer record with a bad signature', async () => {
      await expectRecordIgnored(async (self) => {
        const good = await RecordEnvelope.seal(new PeerRecord({ peerId: self.peerId, multiaddrs: self.components.addressManager.getAddresses() }), self.components.privateKey)
        const signature = good.signature.slice()
        signature[0] ^= 0xff
        return new RecordEnvelope({ publicKey: good.publicKey, payloadType: good.payloadType, payload: good.payload, signature }).marshal()
      })
    })

    it('ignores a peer record signed under another domain', async () => {
      await expectRecordIgnored(async (self) => {
        const record = new PeerRecord({ peerId: self.peerId, multiaddrs: self.components.addressManager.getAddresses() })
        const wrongDomain: SignableRecord = { domain: 'not-libp2p-peer-record', codec: PEER_RECORD_CODEC, marshal: () => record.marshal(), equals: () => false }
        return (await RecordEnvelope.seal(wrongDomain, self.components.privateKey)).marshal()
      })
    })

    it('ignores the valid peer record of another peer', async () => {
      const other: PrivateKey = await generateKeyPair('Ed25519')
      await expectRecordIgnored(async () => {
        const record = new PeerRecord({ peerId: peerIdFromPrivateKey(other), multiaddrs: [multiaddr('/memory/elsewhere')] })
        return (await RecordEnvelope.seal(record, other)).marshal()
      })
    })

    it('rejects an identify message over 8 KiB with MessageTooLargeError', async () => {
      const { result } = await identifyFake(async (stream, self) => {
        await lpStream(stream).write(encodeIdentify(await messageOf(self, { agentVersion: 'x'.repeat(9_000) })))
        await stream.close()
      })
      expect((await expectRejection(result)).name).to.equal('MessageTooLargeError')
    })

    it('times out on a peer that never answers', async () => {
      const started = Date.now()
      const { result } = await identifyFake(async () => { /* stall */ }, { timeout: 200 })
      expect((await expectRejection(result)).name).to.equal('TimeoutError')
      expect(Date.now() - started).to.be.lessThan(2_000)
    })

    it('rejects with the reason of an aborted signal', async () => {
      const a = await identifyNode({ runOnConnectionOpen: false })
      const b = await fakeNode(async () => {})
      const connection = await connect(a, b)
      const err = await expectRejection(a.services.identify.identify(connection, { signal: AbortSignal.abort() }))
      expect(err.name).to.equal('AbortError')
    })
  })

  describe('listener', () => {
    it('answers with our message: observed address, listen addresses, protocols, key, record', async () => {
      const a = await identifyNode()
      const b = await node()
      const connection = await connect(b, a)
      const stream = await connection.newStream(IDENTIFY_PROTOCOL, { negotiateFully: true })
      await stream.close()
      const { readIdentify } = await import('../src/message.js')
      const message = await readIdentify(stream)
      expect(message.protocols).to.include.members([IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL])
      expect(message.publicKey).to.deep.equal(publicKeyToProtobuf(a.components.privateKey.publicKey))
      expect(message.listenAddrs.map(b => multiaddr(b).toString())).to.deep.equal(a.components.addressManager.getAddresses().map(String))
      const [seenByA] = a.getConnections(b.peerId)
      expect(multiaddr(message.observedAddr!).toString()).to.equal(seenByA.remoteAddr.toString())
      expect(message.protocolVersion).to.equal(PROTOCOL_VERSION)
      expect(message.agentVersion).to.equal(a.components.nodeInfo.userAgent)
      const { openPeerRecord } = await import('@ts-libp2p/peer-record')
      const { record } = await openPeerRecord(message.signedPeerRecord!)
      expect(record.peerId.equals(a.peerId)).to.equal(true)
    })

    it('aborts an inbound push stream that stays silent past the timeout', async () => {
      const a = await identifyNode({ runOnConnectionOpen: false, timeout: 150 })
      const b = await node()
      const connection = await connect(b, a)
      const stream = await connection.newStream(IDENTIFY_PUSH_PROTOCOL, { negotiateFully: true })
      const started = Date.now()
      const status = await new Promise(resolve => {
        stream.addEventListener('close', () => { resolve(stream.status) })
      })
      expect(status).to.equal('reset')
      expect(Date.now() - started).to.be.within(100, 2_000)
    })

    it('drops an inbound push that is too large', async () => {
      const a = await identifyNode({ runOnConnectionOpen: false })
      const b = await node()
      const connection = await connect(b, a)
      const stream = await connection.newStream(IDENTIFY_PUSH_PROTOCOL)
      await sendMessage(stream, { listenAddrs: [], protocols: Array.from({ length: 1_000 }, (_, i) => `/p/${i}`) })
      await new Promise(resolve => setTimeout(resolve, 100))
      // the service goes on: a valid push after it is stored, the oversize one never was
      const next = await connection.newStream(IDENTIFY_PUSH_PROTOCOL)
      await sendMessage(next, { listenAddrs: [], protocols: ['/ok/1.0.0'] })
      expect(await eventually(async () => (await a.peerStore.get(b.peerId).catch(() => undefined))?.protocols.includes('/ok/1.0.0') === true)).to.equal(true)
      expect((await a.peerStore.get(b.peerId)).protocols).to.not.include('/p/0')
    })
  })

  it('stops: no handlers, no events, no pushes', async () => {
    const a = await identifyNode()
    await (a.services.identify as any).stop()
    expect(a.getProtocols()).to.not.include(IDENTIFY_PROTOCOL)
    expect(a.getProtocols()).to.not.include(IDENTIFY_PUSH_PROTOCOL)
  })
})
