/**
 * The transport manager with our memory transport and upgrader, and the
 * official plaintext and yamux (official code: runs with the test polyfill).
 */
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@libp2p/plaintext'
import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPair } from '@ts-libp2p/crypto'
import { FaultTolerance, TypedEventEmitter } from '@ts-libp2p/interface'
import { memory } from '@ts-libp2p/memory'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { Registrar, TransportManager, Upgrader } from '../src/index.js'
import type { Libp2pEvents, PeerId } from '@ts-libp2p/interface'

let nextAddress = 0

async function node (faultTolerance?: FaultTolerance): Promise<{ peerId: PeerId, registrar: Registrar, events: TypedEventEmitter<Libp2pEvents>, manager: TransportManager }> {
  const privateKey = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(privateKey)
  const logger = defaultLogger()
  const registrar = new Registrar()
  const events = new TypedEventEmitter<Libp2pEvents>()
  const upgrader = new Upgrader({ peerId, registrar, logger, events }, {
    connectionEncrypters: [plaintext()({ privateKey, logger } as any) as any],
    streamMuxers: [yamux({ enableKeepAlive: false })()]
  })
  const manager = new TransportManager({ upgrader, logger, events }, { faultTolerance })
  manager.add(memory()({ logger }))
  return { peerId, registrar, events, manager }
}

describe('transport manager (memory transport, official plaintext and yamux)', () => {
  it('listens, dials through the right transport and closes listeners on stop', async () => {
    const a = await node()
    const b = await node()
    await b.registrar.handle('/echo/1.0.0', async (stream) => {
      for await (const chunk of stream) stream.send(chunk)
      await stream.close()
    })
    const listening: string[] = []
    b.events.addEventListener('transport:listening', (evt) => { listening.push(evt.detail.getAddrs().map(String).join()) })
    const address = `/memory/transport-manager-${nextAddress++}`
    b.manager.start()
    await b.manager.listen([multiaddr(address)])
    expect(b.manager.getAddrs().map(String)).to.deep.equal([address])
    expect(listening).to.deep.equal([address])
    expect(b.manager.getListeners()).to.have.length(1)

    a.manager.start()
    const connection = await a.manager.dial(multiaddr(`${address}/p2p/${b.peerId}`))
    expect(connection.remotePeer.equals(b.peerId)).to.equal(true)
    const stream = await connection.newStream('/echo/1.0.0')
    stream.send(Uint8Array.from([7, 7]))
    await stream.close()
    const echoed: number[] = []
    for await (const chunk of stream) echoed.push(...chunk.subarray())
    expect(echoed).to.deep.equal([7, 7])

    let closed = 0
    b.events.addEventListener('transport:close', () => { closed++ })
    await b.manager.stop()
    expect(closed).to.equal(1)
    expect(b.manager.getListeners()).to.have.length(0)
    expect(connection.status).to.not.equal('open')
    await a.manager.stop()
  })

  it('refuses a second transport with the same name', async () => {
    const { manager } = await node()
    expect(() => { manager.add(memory()({ logger: defaultLogger() })) }).to.throw().with.property('name', 'InvalidParametersError')
  })

  it('cannot listen before start', async () => {
    const { manager } = await node()
    const err = await manager.listen([multiaddr('/memory/never')]).catch((e: Error) => e)
    expect(err).to.have.property('name', 'NotStartedError')
  })

  it('fails on an address no transport takes (FATAL_ALL), or carries on (NO_FATAL)', async () => {
    const strict = await node()
    strict.manager.start()
    const err = await strict.manager.listen([multiaddr('/ip4/127.0.0.1/tcp/0')]).catch((e: Error) => e)
    expect(err).to.have.property('name', 'ListenError')

    const lenient = await node(FaultTolerance.NO_FATAL)
    lenient.manager.start()
    const address = `/memory/transport-manager-${nextAddress++}`
    await lenient.manager.listen([multiaddr('/ip4/127.0.0.1/tcp/0'), multiaddr(address)])
    expect(lenient.manager.getAddrs().map(String)).to.deep.equal([address])
    await lenient.manager.stop()
  })

  it('fails to listen twice on one memory address with ListenError', async () => {
    const a = await node()
    const b = await node()
    const address = multiaddr(`/memory/transport-manager-${nextAddress++}`)
    a.manager.start()
    b.manager.start()
    await a.manager.listen([address])
    const err = await b.manager.listen([address]).catch((e: Error) => e)
    expect(err).to.have.property('name', 'ListenError')
    await a.manager.stop()
  })

  it('rejects a dial no transport can make', async () => {
    const { manager } = await node()
    manager.start()
    const err = await manager.dial(multiaddr('/ip4/127.0.0.1/tcp/1')).catch((e: Error) => e)
    expect(err).to.have.property('name', 'UnsupportedOperationError')
  })

  it('a dial honours the caller\'s abort signal', async () => {
    const b = await node()
    const a = await node()
    const address = `/memory/transport-manager-${nextAddress++}`
    b.manager.start()
    await b.manager.listen([multiaddr(address)])
    a.manager.start()
    const controller = new AbortController()
    controller.abort(new Error('changed my mind'))
    const err = await a.manager.dial(multiaddr(`${address}/p2p/${b.peerId}`), { signal: controller.signal }).catch((e: Error) => e)
    expect(err).to.be.an.instanceOf(Error)
    await b.manager.stop()
  })
})
