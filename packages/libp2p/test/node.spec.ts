import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { memory } from '@ts-libp2p/memory'
import { noise } from '@ts-libp2p/noise'
import { serviceCapabilities, serviceDependencies } from '@ts-libp2p/interface'
import { yamux } from '@ts-libp2p/yamux'
import { expect } from 'chai'
import { CID } from 'multiformats/cid'
import { createLibp2p } from '../src/index.js'
import type { Libp2pInit, Libp2pNode } from '../src/index.js'
import type { Connection, PeerId, Stream } from '@ts-libp2p/interface'

let next = 0
const nodes: Libp2pNode[] = []

async function node (init: Libp2pInit<any> = {}, listen = true): Promise<Libp2pNode> {
  const n = await createLibp2p({
    addresses: { listen: listen ? [`/memory/node-spec-${next++}`] : [] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    ...init
  })
  nodes.push(n)
  return n
}

async function echoHandler (stream: Stream): Promise<void> {
  for await (const chunk of stream) stream.send(chunk)
  await stream.close()
}

describe('createLibp2p', () => {
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async (n) => { await n.stop() }))
  })

  it('starts with an identity and listen addresses that carry its peer id', async () => {
    const n = await node()
    expect(n.status).to.equal('started')
    const addrs = n.getMultiaddrs().map(String)
    expect(addrs).to.have.length(1)
    expect(addrs[0]).to.match(/^\/memory\/node-spec-\d+\/p2p\/12D3KooW/)
    expect(addrs[0].endsWith(n.peerId.toString())).to.equal(true)
  })

  it('dials, negotiates a protocol, echoes, and reports connections, peers and events', async () => {
    const a = await node()
    const b = await node()
    await b.handle('/echo/1.0.0', echoHandler)
    const events: string[] = []
    a.addEventListener('peer:connect', () => { events.push('peer:connect') })
    a.addEventListener('connection:open', () => { events.push('connection:open') })
    const stream = await a.dialProtocol(b.getMultiaddrs()[0], '/echo/1.0.0')
    stream.send(new TextEncoder().encode('hello'))
    await stream.close()
    let echoed = ''
    for await (const chunk of stream) echoed += new TextDecoder().decode(chunk.subarray())
    expect(echoed).to.equal('hello')
    expect(a.getPeers().map(String)).to.deep.equal([b.peerId.toString()])
    expect(a.getConnections(b.peerId)).to.have.length(1)
    expect(events.sort()).to.deep.equal(['connection:open', 'peer:connect'])
    expect(b.getProtocols()).to.deep.equal(['/echo/1.0.0'])
  })

  it('rejects a dial to itself and to a peer id with no known address', async () => {
    const a = await node()
    const b = await node({}, false)
    expect(await a.dial(a.getMultiaddrs()[0]).catch((e: Error) => e)).to.have.property('name', 'DialSelfError')
    expect(await a.dial(b.peerId).catch((e: Error) => e)).to.have.property('name', 'NoValidAddressesError')
  })

  it('dials a peer id by the addresses in the peer store', async () => {
    const a = await node()
    const b = await node()
    await a.peerStore.merge(b.peerId, { multiaddrs: b.getMultiaddrs() })
    const connection = await a.dial(b.peerId)
    expect(connection.remotePeer.equals(b.peerId)).to.equal(true)
  })

  it('fails a stream for a protocol the remote does not speak with UnsupportedProtocolError', async () => {
    const a = await node()
    const b = await node()
    await b.handle('/known/1.0.0', echoHandler)
    const err = await a.dialProtocol(b.getMultiaddrs()[0], ['/unknown/1.0.0'], { negotiateFully: true }).catch((e: Error) => e)
    expect(err).to.have.property('name', 'UnsupportedProtocolError')
  })

  it('a node with no handlers answers na, so the dialer gets UnsupportedProtocolError (not a reset)', async () => {
    const a = await node()
    const b = await node()
    const err = await a.dialProtocol(b.getMultiaddrs()[0], '/anything/1.0.0', { negotiateFully: true }).catch((e: Error) => e)
    expect(err).to.have.property('name', 'UnsupportedProtocolError')
  })

  it('a stream we finished writing does not count against maxOutboundStreams', async () => {
    const a = await node()
    const b = await node()
    await b.handle('/slow-close/1.0.0', () => {}) // never closes its side
    const first = await a.dialProtocol(b.getMultiaddrs()[0], '/slow-close/1.0.0', { maxOutboundStreams: 1 })
    const err = await a.dialProtocol(b.getMultiaddrs()[0], '/slow-close/1.0.0', { maxOutboundStreams: 1 }).catch((e: Error) => e)
    expect(err).to.have.property('name', 'TooManyOutboundProtocolStreamsError')
    await first.close()
    const second = await a.dialProtocol(b.getMultiaddrs()[0], '/slow-close/1.0.0', { maxOutboundStreams: 1 })
    expect(second.protocol).to.equal('/slow-close/1.0.0')
  })

  it('applies the maxOutboundStreams of our own handler of the protocol (no option given)', async () => {
    const a = await node()
    const b = await node()
    await b.handle('/slow-close/1.0.0', () => {}) // never closes its side
    await a.handle('/slow-close/1.0.0', () => {}, { maxOutboundStreams: 1 })
    const first = await a.dialProtocol(b.getMultiaddrs()[0], '/slow-close/1.0.0')
    const err = await a.dialProtocol(b.getMultiaddrs()[0], '/slow-close/1.0.0').catch((e: Error) => e)
    expect(err).to.have.property('name', 'TooManyOutboundProtocolStreamsError')
    expect(first.protocol).to.equal('/slow-close/1.0.0')
  })

  it('records a newly confirmed address of its own and emits self:peer:update', async () => {
    const a = await node()
    const observed = multiaddr('/ip4/203.0.113.9/tcp/4001')
    const updated = new Promise<any>((resolve) => { a.addEventListener('self:peer:update', (evt) => { resolve(evt.detail) }, { once: true }) })
    a.components.addressManager.confirmObservedAddr(observed)
    const detail = await updated
    expect(detail.peer.addresses.map((x: any) => x.multiaddr.toString())).to.include(observed.toString())
    expect(a.getMultiaddrs().map(String)).to.include(`${observed.toString()}/p2p/${a.peerId}`)
  })

  it('redials a keep-alive peer that disconnects, and reports when it cannot', async () => {
    const a = await node({ connectionManager: { reconnectRetryInterval: 20, reconnectRetries: 3, dialBackoff: 0 } })
    const b = await node()
    const accepted = new Promise((resolve) => { b.addEventListener('connection:open', resolve, { once: true }) })
    await a.dial(b.getMultiaddrs()[0])
    await accepted // the dialer finishes its handshake before the listener does
    await a.peerStore.merge(b.peerId, { multiaddrs: b.getMultiaddrs(), tags: { 'keep-alive': { value: 100 } } })
    const reconnected = new Promise((resolve) => { a.addEventListener('peer:connect', resolve, { once: true }) })
    await b.hangUp(a.peerId)
    await reconnected
    expect(a.getConnections(b.peerId)).to.have.length.greaterThan(0)

    const failed = new Promise<PeerId>((resolve) => { a.addEventListener('peer:reconnect-failure', (evt) => { resolve(evt.detail) }, { once: true }) })
    await b.stop()
    expect((await failed).equals(b.peerId)).to.equal(true)
  })

  it('dials the keep-alive peers of its peer store on start', async () => {
    const { MemoryDatastore } = await import('datastore-core')
    const datastore = new MemoryDatastore()
    const b = await node()
    const first = await node({ datastore })
    await first.peerStore.merge(b.peerId, { multiaddrs: b.getMultiaddrs(), tags: { 'keep-alive-chat': { value: 50 } } })
    await first.stop()
    const connected = new Promise((resolve) => { b.addEventListener('peer:connect', resolve, { once: true }) })
    const second = await node({ datastore, privateKey: first.components.privateKey })
    await connected
    expect(second.getPeers().map(String)).to.include(b.peerId.toString())
  })

  it('refuses inbound connections past maxConnections', async () => {
    const a = await node({ connectionManager: { maxConnections: 1 } })
    const b = await node()
    const c = await node()
    const accepted = new Promise((resolve) => { a.addEventListener('connection:open', resolve, { once: true }) })
    await b.dial(a.getMultiaddrs()[0])
    await accepted // the dialer may finish its handshake before the listener does
    const err = await c.dial(a.getMultiaddrs()[0]).catch((e: Error) => e)
    expect(err).to.be.an.instanceOf(Error)
    expect(a.getConnections()).to.have.length(1)
  })

  it('lets the connection gater refuse an encrypted connection', async () => {
    const a = await node({ connectionGater: { denyInboundEncryptedConnection: () => true } })
    const b = await node()
    // with noise XX the dialer completes its side of the handshake (and the
    // muxer agreed inside it) before the listener has checked the dialer: the
    // listener's refusal then resets the dialer's fresh connection
    const outcome = await b.dial(a.getMultiaddrs()[0]).catch((e: Error) => e)
    if (!(outcome instanceof Error)) {
      const closed = outcome.status !== 'open' ? Promise.resolve() : new Promise((resolve) => { outcome.addEventListener('close', resolve, { once: true }) })
      await closed
      expect(outcome.status).to.not.equal('open')
    }
    expect(a.getConnections()).to.have.length(0)
  })

  it('records its own protocols in the peer store as handlers come and go', async () => {
    const a = await node()
    await a.handle(['/x/1.0.0', '/y/1.0.0'], echoHandler)
    expect((await a.peerStore.get(a.peerId)).protocols).to.deep.equal(['/x/1.0.0', '/y/1.0.0'])
    await a.unhandle('/x/1.0.0')
    expect((await a.peerStore.get(a.peerId)).protocols).to.deep.equal(['/y/1.0.0'])
  })

  it('calls topologies when a connected peer is known to speak their protocol, and on disconnect', async () => {
    const a = await node()
    const b = await node()
    const seen: string[] = []
    await a.register('/chat/1.0.0', {
      onConnect: (peer: PeerId) => { seen.push(`connect ${peer.equals(b.peerId)}`) },
      onDisconnect: (peer: PeerId) => { seen.push(`disconnect ${peer.equals(b.peerId)}`) }
    })
    await a.dial(b.getMultiaddrs()[0])
    await a.peerStore.merge(b.peerId, { protocols: ['/chat/1.0.0'] }) // what identify will do
    await a.peerStore.merge(b.peerId, { protocols: ['/other/1.0.0'] }) // no second onConnect
    expect(seen).to.deep.equal(['connect true'])
    const gone = new Promise((resolve) => { a.addEventListener('peer:disconnect', resolve, { once: true }) })
    await a.hangUp(b.peerId)
    await gone
    expect(seen).to.deep.equal(['connect true', 'disconnect true'])
  })

  it('builds services from factories with the components, and checks declared dependencies at construction', async () => {
    let received: unknown
    const a = await node({ services: { probe: (components: any) => { received = components.peerId; return { hello: 'world' } } } })
    expect((a.services as any).probe.hello).to.equal('world')
    expect(String(received)).to.equal(a.peerId.toString())

    const err = await node({ services: { needy: () => ({ [serviceDependencies]: ['@ts-libp2p/identify'] }) } }).catch((e: Error) => e)
    expect(err).to.have.property('name', 'InvalidParametersError')
    expect((err as Error).message).to.include('needy').and.include('@ts-libp2p/identify')
    const ok = await node({
      services: {
        needy: () => ({ [serviceDependencies]: ['@ts-libp2p/identify'] }),
        identify: () => ({ [serviceCapabilities]: ['@ts-libp2p/identify'] })
      }
    })
    expect(ok.status).to.equal('started')
  })

  it('content and peer routing fail with typed errors when no service routes', async () => {
    const a = await node()
    const cid = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    expect(await a.contentRouting.provide(cid).catch((e: Error) => e)).to.have.property('name', 'NoContentRoutersError')
    expect(await a.peerRouting.findPeer((await node({}, false)).peerId).catch((e: Error) => e)).to.have.property('name', 'NoPeerRoutersError')
  })

  it('stop() closes connections and streams; dialling a stopped node fails', async () => {
    const a = await node()
    const b = await node()
    await b.handle('/hold/1.0.0', () => {})
    const stream = await a.dialProtocol(b.getMultiaddrs()[0], '/hold/1.0.0')
    const connection: Connection = a.getConnections()[0]
    await a.stop()
    expect(a.status).to.equal('stopped')
    expect(connection.status).to.not.equal('open')
    expect(stream.status).to.not.equal('open')
    expect(a.getConnections()).to.have.length(0)
    expect(await a.dial(b.getMultiaddrs()[0]).catch((e: Error) => e)).to.have.property('name', 'NotStartedError')
    expect(await b.dial(multiaddr(a.getMultiaddrs()[0] ?? `/memory/gone/p2p/${a.peerId}`)).catch((e: Error) => e)).to.be.an.instanceOf(Error)
  })

  it('hangs up cleanly with every encrypter and muxer (both ends see the close)', async () => {
    const { tls } = await import('@ts-libp2p/tls')
    const { mplex } = await import('@ts-libp2p/mplex')
    for (const [encrypter, muxer] of [[noise, yamux], [noise, mplex], [tls, yamux], [tls, mplex]] as const) {
      const stack = { connectionEncrypters: [(encrypter as any)()], streamMuxers: [(muxer as any)()] }
      const a = await node(stack)
      const b = await node(stack)
      await b.handle('/echo/1.0.0', echoHandler)
      const stream = await a.dialProtocol(b.getMultiaddrs()[0], '/echo/1.0.0')
      stream.send(Uint8Array.from([1]))
      await stream.close()
      for await (const chunk of stream) expect(chunk.byteLength).to.equal(1)
      const connection = a.getConnections()[0]
      const remoteGone = new Promise((resolve) => { b.addEventListener('peer:disconnect', resolve, { once: true }) })
      const start = Date.now()
      await a.hangUp(b.peerId)
      await remoteGone
      expect(connection.status, `${connection.encryption} ${connection.multiplexer}`).to.equal('closed')
      expect(Date.now() - start, `${connection.encryption} ${connection.multiplexer} closed gracefully, not by the close timeout`).to.be.lessThan(2000)
    }
  })

  it('leaves nothing running after stop(): the process exits by itself', async function () {
    this.timeout(20_000)
    const script = fileURLToPath(new URL('../../test/fixtures/exit-after-stop.mjs', import.meta.url))
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => { output += d.toString() })
    child.stderr.on('data', (d: Buffer) => { output += d.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL') }, 15_000)
    const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve) })
    clearTimeout(timer)
    expect(output).to.include('stopped 0 0')
    expect(code, `the process did not exit by itself: ${output}`).to.equal(0)
  })
})
