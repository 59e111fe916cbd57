import { generateKeyPair } from '@ts-libp2p/crypto'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { nodeCrypto } from '../src/crypto-node.js'
import { performHandshake } from '../src/handshake.js'
import type { HandshakeParams } from '../src/handshake.js'

const log = defaultLogger().forComponent('test:noise:handshake')

async function params (overrides: Partial<HandshakeParams> = {}): Promise<HandshakeParams> {
  return {
    crypto: nodeCrypto,
    privateKey: await generateKeyPair('Ed25519'),
    staticKey: nodeCrypto.generateX25519KeyPair(),
    extensions: { streamMuxers: [], webtransportCerthashes: [] },
    signal: AbortSignal.timeout(5000),
    log,
    ...overrides
  }
}

describe('handshake', () => {
  it('frames the three messages with 2-byte big-endian lengths: 32, 32+48+payload, 48+payload', async () => {
    const [x, y] = multiaddrConnectionPair()
    const seen: Array<{ from: string, bytes: Buffer }> = []
    x.addEventListener('message', (evt) => { seen.push({ from: 'responder', bytes: Buffer.from(evt.data.subarray()) }) })
    y.addEventListener('message', (evt) => { seen.push({ from: 'initiator', bytes: Buffer.from(evt.data.subarray()) }) })
    const [i, r] = await Promise.all([performHandshake(x, true, await params()), performHandshake(y, false, await params())])
    const initiatorBytes = Buffer.concat(seen.filter(s => s.from === 'initiator').map(s => s.bytes))
    const responderBytes = Buffer.concat(seen.filter(s => s.from === 'responder').map(s => s.bytes))
    expect(initiatorBytes.readUInt16BE(0)).to.equal(32)
    const m2 = responderBytes.readUInt16BE(0)
    expect(responderBytes.byteLength).to.equal(2 + m2)
    expect(m2).to.be.greaterThan(32 + 48 + 16)
    const m3 = initiatorBytes.readUInt16BE(34)
    expect(initiatorBytes.byteLength).to.equal(34 + 2 + m3)
    expect(Buffer.from(i.handshakeHash).equals(Buffer.from(r.handshakeHash))).to.equal(true)
    expect(Buffer.from(i.remoteStaticKey).toString('hex')).to.not.equal(Buffer.from(r.remoteStaticKey).toString('hex'))
  })

  it('lets the caller refuse the remote payload before going on', async () => {
    const [x, y] = multiaddrConnectionPair()
    const refused = new Error('refused')
    const initiator = performHandshake(x, true, await params({ onRemotePayload: () => { throw refused } }))
    const responder = performHandshake(y, false, await params({ signal: AbortSignal.timeout(300) }))
    expect(await initiator.catch(err => err)).to.equal(refused)
    x.abort(refused)
    expect(await responder.catch(err => err)).to.be.an('error')
  })

  it('refuses to send a handshake message over 65535 bytes', async () => {
    const [x] = multiaddrConnectionPair()
    const responderSide = performHandshake(x, false, await params({
      extensions: { streamMuxers: [], webtransportCerthashes: [new Uint8Array(70_000)] },
      signal: AbortSignal.timeout(1000)
    }))
    // play an initiator by hand: message 1 is a 32-byte ephemeral key
    const initiatorKey = nodeCrypto.generateX25519KeyPair().publicKey
    // deliver message 1 straight into the responder's raw end
    x.onData(Uint8Array.of(0, 32, ...initiatorKey))
    const err = await responderSide.catch(e => e)
    expect(err).to.have.property('name', 'InvalidCryptoExchangeError')
    expect(err.message).to.include('does not fit')
  })
})
