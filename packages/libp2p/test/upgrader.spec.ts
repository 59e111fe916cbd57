import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { Registrar, Upgrader, remotePeerOf } from '../src/index.js'

describe('upgrader', () => {
  it('remotePeerOf reads the last /p2p/ component', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    expect(remotePeerOf({ remoteAddr: multiaddr('/memory/a') })).to.equal(undefined)
    expect(remotePeerOf({ remoteAddr: multiaddr(`/memory/a/p2p/${peer}`) })?.equals(peer)).to.equal(true)
    expect(remotePeerOf({ remoteAddr: multiaddr(`/memory/a/p2p/${relay}/p2p-circuit/p2p/${peer}`) })?.equals(peer)).to.equal(true)
  })

  it('refuses to upgrade when nothing is configured, and aborts the raw connection', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const upgrader = new Upgrader({ peerId: peerIdFromPrivateKey(privateKey), registrar: new Registrar(), logger: defaultLogger() }, { connectionEncrypters: [], streamMuxers: [] })
    const [outbound, inbound] = multiaddrConnectionPair()
    const err = await upgrader.upgradeOutbound(outbound, { signal: AbortSignal.timeout(1000) }).catch((e: Error) => e)
    expect(err).to.have.property('name', 'NoneConfiguredError')
    expect(outbound.status).to.equal('aborted')
    inbound.abort(new Error('test over'))
  })

  it('refuses an inbound connection the connection manager does not accept, and releases nothing it did not take', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    let released = 0
    const connectionManager = { acceptIncomingConnection: () => false, afterUpgradeInbound: () => { released++ } }
    const upgrader = new Upgrader({ peerId: peerIdFromPrivateKey(privateKey), registrar: new Registrar(), logger: defaultLogger(), connectionManager }, { connectionEncrypters: [], streamMuxers: [] })
    const [outbound, inbound] = multiaddrConnectionPair()
    const err = await upgrader.upgradeInbound(inbound, { signal: AbortSignal.timeout(1000) }).catch((e: Error) => e)
    expect(err).to.have.property('name', 'ConnectionDeniedError')
    expect(inbound.status).to.equal('aborted')
    expect(released).to.equal(0)
    outbound.abort(new Error('test over'))
  })

  it('createInboundAbortSignal fires after the inbound upgrade timeout', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const upgrader = new Upgrader({ peerId: peerIdFromPrivateKey(privateKey), registrar: new Registrar(), logger: defaultLogger() }, { connectionEncrypters: [], streamMuxers: [], inboundUpgradeTimeout: 50 })
    const signal = upgrader.createInboundAbortSignal(new AbortController().signal)
    expect(signal.aborted).to.equal(false)
    await new Promise((resolve) => { signal.addEventListener('abort', resolve) })
    expect(signal.aborted).to.equal(true)
    signal.clear()
  })
})
