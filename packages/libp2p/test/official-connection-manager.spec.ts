import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { testNode } from './fixtures/stack.js'
import type { TestNode } from './fixtures/stack.js'
import type { Connection, MultiaddrConnection, PeerId } from '@ts-libp2p/interface'

const nodes: TestNode[] = []
async function node (options: Parameters<typeof testNode>[0] = {}): Promise<TestNode> {
  const n = await testNode(options)
  nodes.push(n)
  return n
}

function fakeInbound (address: string): MultiaddrConnection {
  return { remoteAddr: multiaddr(address) } as unknown as MultiaddrConnection
}

describe('dialer and connection manager', () => {
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async (n) => { await n.stop() }))
  })

  it('dials a multiaddr, reuses the open connection, and opens another with force', async () => {
    const a = await node()
    const b = await node()
    const first = await a.connectionManager.openConnection(b.address)
    expect(first.remotePeer.equals(b.peerId)).to.equal(true)
    expect(await a.connectionManager.openConnection(b.address)).to.equal(first)
    const forced = await a.connectionManager.openConnection(b.address, { force: true })
    expect(forced).to.not.equal(first)
    expect(a.connectionManager.getConnections(b.peerId)).to.have.length(2)
    expect(a.connectionManager.getConnectionsMap().get(b.peerId)).to.have.length(2)
  })

  it('shares one dial between concurrent dials to the same peer', async () => {
    const a = await node()
    const b = await node()
    const [c1, c2] = await Promise.all([
      a.connectionManager.openConnection(b.address),
      a.connectionManager.openConnection(b.address)
    ])
    expect(c1).to.equal(c2)
  })

  it('rejects a dial to self', async () => {
    const a = await node()
    const err = await a.connectionManager.openConnection(a.address).catch((e: Error) => e)
    expect(err).to.have.property('name', 'DialSelfError')
  })

  it('rejects a dial to a peer id with no known address', async () => {
    const a = await node()
    const b = await node()
    const err = await a.connectionManager.openConnection(b.peerId).catch((e: Error) => e)
    expect(err).to.have.property('name', 'NoValidAddressesError')
  })

  it('dials a peer id through the addresses the peer store knows', async () => {
    const b = await node()
    const peerStore = { get: async (peer: PeerId) => ({ id: peer, addresses: [{ multiaddr: multiaddr(b.address.toString().replace(/\/p2p\/.*/, '')), isCertified: false }], protocols: [], metadata: new Map(), tags: new Map() }) }
    const a = await node({ peerStore })
    const connection = await a.connectionManager.openConnection(b.peerId)
    expect(connection.remotePeer.equals(b.peerId)).to.equal(true)
  })

  it('rejects addresses no transport can dial with NoValidAddressesError', async () => {
    const a = await node()
    const b = await node()
    const err = await a.connectionManager.openConnection(multiaddr(`/ip4/127.0.0.1/udp/1/quic-v1/p2p/${b.peerId}`)).catch((e: Error) => e)
    expect(err).to.have.property('name', 'NoValidAddressesError')
  })

  it('falls through a dead address to a live one, and backs off a peer whose addresses all fail', async () => {
    const a = await node()
    const b = await node()
    const dead = multiaddr(`/memory/nobody-listens-here-${Math.random()}/p2p/${b.peerId}`)
    const connection = await a.connectionManager.openConnection([dead, b.address])
    expect(connection.remotePeer.equals(b.peerId)).to.equal(true)
    await connection.close()

    const c = await node({ listen: false })
    const deadOnly = multiaddr(`/memory/nobody-listens-here-${Math.random()}/p2p/${c.peerId}`)
    const first = await a.connectionManager.openConnection(deadOnly).catch((e: Error) => e)
    expect(first).to.have.property('name', 'DialError')
    const second = await a.connectionManager.openConnection(deadOnly).catch((e: Error) => e)
    expect(second).to.have.property('name', 'DialBackoffError')
  })

  it('asks the gater before dialling', async () => {
    const b = await node()
    const denyPeer = await node({ connectionGater: { denyDialPeer: () => true } })
    expect(await denyPeer.connectionManager.openConnection(b.address).catch((e: Error) => e)).to.have.property('name', 'DialError')
    const denyAddr = await node({ connectionGater: { denyDialMultiaddr: () => true } })
    expect(await denyAddr.connectionManager.openConnection(b.address).catch((e: Error) => e)).to.have.property('name', 'NoValidAddressesError')
    expect(await denyAddr.connectionManager.isDialable(b.address)).to.equal(false)
    expect(await b.connectionManager.isDialable(multiaddr('/memory/x'))).to.equal(true)
  })

  it('honours an abort signal', async () => {
    const a = await node()
    const b = await node()
    const controller = new AbortController()
    controller.abort(new Error('no longer needed'))
    const err = await a.connectionManager.openConnection(b.address, { signal: controller.signal }).catch((e: Error) => e)
    expect(err).to.be.an.instanceOf(Error)
    expect(a.connectionManager.getConnections()).to.have.length(0)
  })

  it('queues dials past maxParallelDials', async () => {
    const a = await node({ maxParallelDials: 1 })
    const b = await node()
    const c = await node()
    const both = Promise.all([a.connectionManager.openConnection(b.address), a.connectionManager.openConnection(c.address)])
    await new Promise((resolve) => setTimeout(resolve, 0))
    const statuses = a.connectionManager.getDialQueue().map(d => d.status).sort()
    expect(statuses).to.deep.equal(['active', 'queued'])
    const [cb, cc] = await both
    expect(cb.remotePeer.equals(b.peerId)).to.equal(true)
    expect(cc.remotePeer.equals(c.peerId)).to.equal(true)
    expect(a.connectionManager.getDialQueue()).to.have.length(0)
  })

  it('emits peer:connect once per peer and peer:disconnect when its last connection closes', async () => {
    const a = await node()
    const b = await node()
    const seen: string[] = []
    a.events.addEventListener('peer:connect', (evt) => { seen.push(`connect ${evt.detail.toString() === b.peerId.toString()}`) })
    a.events.addEventListener('peer:disconnect', (evt) => { seen.push(`disconnect ${evt.detail.toString() === b.peerId.toString()}`) })
    const c1 = await a.connectionManager.openConnection(b.address)
    const c2 = await a.connectionManager.openConnection(b.address, { force: true })
    await c1.close()
    expect(seen).to.deep.equal(['connect true'])
    const gone = new Promise((resolve) => { a.events.addEventListener('peer:disconnect', resolve, { once: true }) })
    await c2.close()
    await gone
    expect(seen).to.deep.equal(['connect true', 'disconnect true'])
  })

  it('refuses inbound connections from the deny list, past the pending limit and past the per-host rate', async () => {
    const deny = await node({ deny: ['/ip4/10.1.1.1'], allow: ['/ip4/10.9.9.9'], inboundConnectionThreshold: 2, maxIncomingPendingConnections: 3 })
    const cm = deny.connectionManager
    expect(cm.acceptIncomingConnection(fakeInbound('/ip4/10.1.1.1/tcp/1'))).to.equal(false)
    expect(cm.acceptIncomingConnection(fakeInbound('/ip4/10.2.2.2/tcp/1'))).to.equal(true)
    expect(cm.acceptIncomingConnection(fakeInbound('/ip4/10.2.2.2/tcp/2'))).to.equal(true)
    // a third from the same host within the same second is over the rate (unless the second just turned)
    const third = cm.acceptIncomingConnection(fakeInbound('/ip4/10.2.2.2/tcp/3'))
    if (third) cm.afterUpgradeInbound()
    expect(cm.acceptIncomingConnection(fakeInbound('/ip4/10.3.3.3/tcp/1'))).to.equal(!third)
    // now 3 are pending: a new host is refused, the allow list is not
    if (!third) expect(cm.acceptIncomingConnection(fakeInbound('/ip4/10.4.4.4/tcp/1'))).to.equal(false)
    expect(cm.acceptIncomingConnection(fakeInbound('/ip4/10.9.9.9/tcp/1'))).to.equal(true)
    for (let i = 0; i < 10; i++) cm.afterUpgradeInbound()
    expect(cm.acceptIncomingConnection(fakeInbound('/ip4/10.5.5.5/tcp/1'))).to.equal(true)
  })

  it('refuses inbound connections past maxConnections, and prunes the least valued when over it', async () => {
    const tags = new Map<string, number>()
    const peerStore = { get: async (peer: PeerId) => ({ id: peer, addresses: [], protocols: [], metadata: new Map(), tags: new Map([['keep', { value: tags.get(peer.toString()) ?? 0 }]]) }) }
    const a = await node({ maxConnections: 1, peerStore })
    const b = await node()
    const c = await node()
    tags.set(c.peerId.toString(), 50)
    const cb = await a.connectionManager.openConnection(b.address)
    expect(a.connectionManager.acceptIncomingConnection(fakeInbound('/ip4/10.2.2.2/tcp/1'))).to.equal(false)
    const pruned = new Promise<Connection[]>((resolve) => { a.events.addEventListener('connection:prune', (evt) => { resolve(evt.detail) }, { once: true }) })
    const cc = await a.connectionManager.openConnection(c.address)
    expect((await pruned).map(x => x.id)).to.deep.equal([cb.id])
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(cb.status).to.not.equal('open')
    expect(cc.status).to.equal('open')
  })

  it('stop() closes every connection', async () => {
    const a = await node()
    const b = await node()
    const c1 = await a.connectionManager.openConnection(b.address)
    await a.connectionManager.stop()
    expect(c1.status).to.not.equal('open')
    expect(a.connectionManager.getConnections()).to.have.length(0)
  })
})
