/**
 * The upgrader and its connections with a mixed stack: our upgrader,
 * registrar and multistream-select, the official js-libp2p plaintext encrypter
 * and yamux muxer (official code: this file runs with the test polyfill).
 */
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@libp2p/plaintext'
import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { TypedEventEmitter } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { Registrar, Upgrader } from '../src/index.js'
import type { Connection, Libp2pEvents, MultiaddrConnection, PrivateKey, Stream } from '@ts-libp2p/interface'

interface Side {
  privateKey: PrivateKey
  registrar: Registrar
  upgrader: Upgrader
  events: TypedEventEmitter<Libp2pEvents>
}

async function side (gater = {}): Promise<Side> {
  const privateKey = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(privateKey)
  const logger = defaultLogger()
  const registrar = new Registrar()
  const events = new TypedEventEmitter<Libp2pEvents>()
  const upgrader = new Upgrader({ peerId, registrar, logger, events, connectionGater: gater }, {
    connectionEncrypters: [plaintext()({ privateKey, logger } as any) as any],
    // keep-alive off: the official yamux 8 throws UnRequestedPingError when a
    // pong arrives after close() stopped its keep-alive ping (its own race),
    // which would abort connections these tests close on purpose
    streamMuxers: [yamux({ enableKeepAlive: false })()]
  })
  return { privateKey, registrar, upgrader, events }
}

function withPeer (maConn: MultiaddrConnection, peer: PrivateKey): MultiaddrConnection {
  maConn.remoteAddr = multiaddr(`/memory/upgrader-test/p2p/${peerIdFromPrivateKey(peer).toString()}`)
  return maConn
}

async function upgradePair (a: Side, b: Side): Promise<[Connection, Connection]> {
  const [outbound, inbound] = multiaddrConnectionPair()
  let inboundConnection: Connection | undefined
  b.events.addEventListener('connection:open', (evt) => { inboundConnection = evt.detail }, { once: true })
  const signal = AbortSignal.timeout(5000)
  const [conn] = await Promise.all([
    a.upgrader.upgradeOutbound(withPeer(outbound, b.privateKey), { signal }),
    b.upgrader.upgradeInbound(inbound, { signal })
  ])
  expect(inboundConnection).to.not.equal(undefined)
  return [conn, inboundConnection as Connection]
}

async function readAll (stream: Stream): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) chunks.push(chunk.subarray())
  return chunks
}

describe('upgrader (with official plaintext and yamux)', () => {
  it('upgrades both ends, reports peers and protocols, and carries a protocol stream', async () => {
    const a = await side()
    const b = await side()
    await b.registrar.handle('/echo/1.0.0', async (stream) => {
      for await (const chunk of stream) stream.send(chunk)
      await stream.close()
    })
    const [ca, cb] = await upgradePair(a, b)
    expect(ca.remotePeer.equals(peerIdFromPrivateKey(b.privateKey))).to.equal(true)
    expect(cb.remotePeer.equals(peerIdFromPrivateKey(a.privateKey))).to.equal(true)
    expect(ca.encryption).to.equal('/plaintext/2.0.0')
    expect(ca.multiplexer).to.equal('/yamux/1.0.0')
    expect(ca.direction).to.equal('outbound')
    expect(cb.direction).to.equal('inbound')
    expect(ca.timeline.upgraded).to.be.a('number')

    const stream = await ca.newStream('/echo/1.0.0')
    expect(stream.protocol).to.equal('/echo/1.0.0')
    const reading = readAll(stream)
    stream.send(Uint8Array.from([1, 2, 3]))
    stream.send(Uint8Array.from([4]))
    await stream.close()
    const echoed = (await reading).flatMap(c => [...c])
    expect(echoed).to.deep.equal([1, 2, 3, 4])
    await ca.close()
  })

  it('fails a stream for an unknown protocol with UnsupportedProtocolError', async () => {
    const a = await side()
    const b = await side()
    await b.registrar.handle('/known/1.0.0', () => {})
    const [ca] = await upgradePair(a, b)
    const err = await ca.newStream(['/unknown/1.0.0', '/also-unknown/1.0.0']).catch((e: Error) => e)
    expect(err).to.have.property('name', 'UnsupportedProtocolError')
    await ca.close()
  })

  it('refuses inbound streams over the handler limit', async () => {
    const a = await side()
    const b = await side()
    const held: Stream[] = []
    await b.registrar.handle('/hold/1.0.0', (stream) => { held.push(stream) }, { maxInboundStreams: 1 })
    const [ca] = await upgradePair(a, b)
    await ca.newStream('/hold/1.0.0', { negotiateFully: true })
    const second = await ca.newStream('/hold/1.0.0', { negotiateFully: true })
    // the listener answers the negotiation, then resets the stream over the
    // limit (the official yamux stream ends its iterator quietly on a reset)
    await readAll(second).catch(() => {})
    expect(second.status).to.equal('reset')
    expect(held).to.have.length(1)
    await ca.close()
  })

  it('refuses outbound streams over maxOutboundStreams', async () => {
    const a = await side()
    const b = await side()
    await b.registrar.handle('/hold/1.0.0', () => {})
    const [ca] = await upgradePair(a, b)
    await ca.newStream('/hold/1.0.0', { maxOutboundStreams: 1 })
    const err = await ca.newStream('/hold/1.0.0', { maxOutboundStreams: 1 }).catch((e: Error) => e)
    expect(err).to.have.property('name', 'TooManyOutboundProtocolStreamsError')
    await ca.close()
  })

  it('rejects a remote that is not the dialled peer with UnexpectedPeerError', async () => {
    const a = await side()
    const b = await side()
    const stranger = await generateKeyPair('Ed25519')
    const [outbound, inbound] = multiaddrConnectionPair()
    const signal = AbortSignal.timeout(5000)
    const [dial] = await Promise.allSettled([
      a.upgrader.upgradeOutbound(withPeer(outbound, stranger), { signal }),
      b.upgrader.upgradeInbound(inbound, { signal })
    ])
    expect(dial.status).to.equal('rejected')
    expect((dial as PromiseRejectedResult).reason.name).to.equal('UnexpectedPeerError')
    expect(outbound.status).to.not.equal('open')
  })

  it('asks the gater at each stage', async () => {
    for (const hook of ['denyInboundConnection', 'denyInboundEncryptedConnection', 'denyInboundUpgradedConnection']) {
      const a = await side()
      const b = await side({ [hook]: () => true })
      const [outbound, inbound] = multiaddrConnectionPair()
      const signal = AbortSignal.timeout(5000)
      const [, accept] = await Promise.allSettled([
        a.upgrader.upgradeOutbound(withPeer(outbound, b.privateKey), { signal }),
        b.upgrader.upgradeInbound(inbound, { signal })
      ])
      expect(accept.status, hook).to.equal('rejected')
      expect((accept as PromiseRejectedResult).reason.name, hook).to.equal('ConnectionDeniedError')
      expect(inbound.status, hook).to.not.equal('open')
    }
    for (const hook of ['denyOutboundConnection', 'denyOutboundEncryptedConnection', 'denyOutboundUpgradedConnection']) {
      const a = await side({ [hook]: () => true })
      const b = await side()
      const [outbound, inbound] = multiaddrConnectionPair()
      const signal = AbortSignal.timeout(5000)
      const [dial] = await Promise.allSettled([
        a.upgrader.upgradeOutbound(withPeer(outbound, b.privateKey), { signal }),
        b.upgrader.upgradeInbound(inbound, { signal })
      ])
      expect(dial.status, hook).to.equal('rejected')
      expect((dial as PromiseRejectedResult).reason.name, hook).to.equal('ConnectionDeniedError')
    }
  })

  it('aborts an inbound upgrade from a peer that sends nothing when its signal fires', async () => {
    const b = await side()
    const [outbound, inbound] = multiaddrConnectionPair()
    const signal = b.upgrader.createInboundAbortSignal(AbortSignal.timeout(200))
    const err = await b.upgrader.upgradeInbound(inbound, { signal }).catch((e: Error) => e)
    expect(err).to.be.an.instanceOf(Error)
    expect(['TimeoutError', 'AbortError']).to.include((err as Error).name)
    expect(inbound.status).to.not.equal('open')
    outbound.abort(new Error('test over'))
  })

  it('emits close on both ends and connection:close when one side closes', async () => {
    const a = await side()
    const b = await side()
    const [ca, cb] = await upgradePair(a, b)
    const closed = new Promise<void>((resolve) => { b.events.addEventListener('connection:close', () => { resolve() }, { once: true }) })
    await ca.close()
    await closed
    expect(ca.status).to.equal('closed')
    expect(cb.status).to.be.oneOf(['closed', 'reset'])
    const err = await ca.newStream('/x').catch((e: Error) => e)
    expect(err).to.have.property('name', 'ConnectionClosedError')
  })
})
