import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { noise } from '../src/index.js'
import { Noise, selectStreamMuxer } from '../src/noise.js'
import type { NoiseInit } from '../src/index.js'
import type { MessageStream, PrivateKey, StreamMuxerFactory } from '@ts-libp2p/interface'

function upgrader (...ids: string[]): { getStreamMuxers: () => Map<string, StreamMuxerFactory> } {
  return { getStreamMuxers: () => new Map(ids.map(protocol => [protocol, { protocol, createStreamMuxer: () => { throw new Error('not used') } } as any])) }
}

async function encrypter (init: NoiseInit = {}, muxers: string[] = [], key?: PrivateKey): Promise<Noise> {
  return noise(init)({ privateKey: key ?? await generateKeyPair('Ed25519'), logger: defaultLogger(), upgrader: upgrader(...muxers) }) as Noise
}

async function rejection (p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err: any) {
    return err
  }
  throw new Error('expected a rejection')
}

async function echoOnce (a: MessageStream, b: MessageStream): Promise<void> {
  const received = new Promise<Uint8Array>(resolve => {
    b.addEventListener('message', (evt) => { resolve(evt.data.subarray()) }, { once: true })
  })
  a.send(Uint8Array.of(42))
  expect([...await received]).to.deep.equal([42])
}

describe('noise', () => {
  describe('selectStreamMuxer', () => {
    it('picks the first of the initiator\'s list the responder supports (the spec example)', () => {
      // connections/inlined-muxer-negotiation.md: client prefers yamux, server mplex -> yamux
      expect(selectStreamMuxer(['/yamux/1.0.0', '/mplex/6.7.0'], ['/mplex/6.7.0', '/yamux/1.0.0'])).to.equal('/yamux/1.0.0')
    })

    it('falls back (undefined) when either side sent no list', () => {
      expect(selectStreamMuxer([], ['/yamux/1.0.0'])).to.equal(undefined)
      expect(selectStreamMuxer(['/yamux/1.0.0'], [])).to.equal(undefined)
    })

    it('fails the handshake when the lists do not overlap', () => {
      expect(() => selectStreamMuxer(['/yamux/1.0.0'], ['/mplex/6.7.0'])).to.throw().with.property('name', 'InvalidCryptoExchangeError')
    })
  })

  for (const [a, b] of [['node', 'node'], ['node', 'portable'], ['portable', 'node'], ['portable', 'portable']] as const) {
    it(`secures a connection, ${a} initiator and ${b} responder, and agrees on the muxer`, async () => {
      const dialerKey = await generateKeyPair('Ed25519')
      const listenerKey = await generateKeyPair('Ed25519')
      const dialer = await encrypter({ crypto: a }, ['/yamux/1.0.0', '/mplex/6.7.0'], dialerKey)
      const listener = await encrypter({ crypto: b }, ['/mplex/6.7.0', '/yamux/1.0.0'], listenerKey)
      const [x, y] = multiaddrConnectionPair()
      const [out, inb] = await Promise.all([
        dialer.secureOutbound(x, { remotePeer: peerIdFromPrivateKey(listenerKey) }),
        listener.secureInbound(y)
      ])
      expect(out.remotePeer.toString()).to.equal(peerIdFromPrivateKey(listenerKey).toString())
      expect(inb.remotePeer.toString()).to.equal(peerIdFromPrivateKey(dialerKey).toString())
      expect(out.streamMuxer?.protocol).to.equal('/yamux/1.0.0')
      expect(inb.streamMuxer?.protocol).to.equal('/yamux/1.0.0')
      expect(out.remoteExtensions?.streamMuxers).to.deep.equal(['/mplex/6.7.0', '/yamux/1.0.0'])
      await echoOnce(out.connection, inb.connection)
      await echoOnce(inb.connection, out.connection)
    })
  }

  it('signs its static key once per instance and reuses the signature in every handshake', async () => {
    const dialerKey = await generateKeyPair('Ed25519')
    const listenerKey = await generateKeyPair('Ed25519')
    let signatures = 0
    const counted = new Proxy(listenerKey, {
      get (target, prop) {
        if (prop === 'sign') return async (data: Uint8Array) => { signatures++; return await target.sign(data) }
        const value = (target as any)[prop]
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
    const dialer = await encrypter({}, [], dialerKey)
    const listener = await encrypter({}, [], counted)
    for (let i = 0; i < 3; i++) {
      const [x, y] = multiaddrConnectionPair()
      const [out, inb] = await Promise.all([
        dialer.secureOutbound(x, { remotePeer: peerIdFromPrivateKey(listenerKey) }),
        listener.secureInbound(y)
      ])
      expect(inb.remotePeer.toString()).to.equal(peerIdFromPrivateKey(dialerKey).toString())
      await echoOnce(out.connection, inb.connection)
    }
    expect(signatures).to.equal(1)
  })

  it('offers no muxer and returns none with skipStreamMuxerNegotiation or without an upgrader', async () => {
    const dialer = await encrypter({}, ['/yamux/1.0.0'])
    const listener = noise()({ privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger() })
    const [x, y] = multiaddrConnectionPair()
    const [out, inb] = await Promise.all([dialer.secureOutbound(x, { skipStreamMuxerNegotiation: true }), listener.secureInbound(y)])
    expect(out.streamMuxer).to.equal(undefined)
    expect(inb.streamMuxer).to.equal(undefined)
    expect(inb.remoteExtensions?.streamMuxers).to.deep.equal([])
  })

  it('fails both sides when the muxer lists do not overlap', async () => {
    const dialer = await encrypter({}, ['/yamux/1.0.0'])
    const listener = await encrypter({ handshakeTimeout: 1000 }, ['/mplex/6.7.0'])
    const [x, y] = multiaddrConnectionPair()
    const [e1, e2] = await Promise.all([rejection(dialer.secureOutbound(x)), rejection(listener.secureInbound(y))])
    // the initiator sees the mismatch in message 2 and stops before message 3;
    // the responder sees the connection end under it
    expect(e1).to.have.property('name', 'InvalidCryptoExchangeError')
    expect(e2).to.be.an('error')
    expect(x.status).to.equal('aborted')
  })

  it('keeps the remote\'s webtransport certhashes', async () => {
    const certhash = Uint8Array.of(0x12, 0x20, ...new Uint8Array(32).fill(9))
    const dialer = await encrypter()
    const listener = await encrypter({ extensions: { webtransportCerthashes: [certhash] } })
    const [x, y] = multiaddrConnectionPair()
    const [out] = await Promise.all([dialer.secureOutbound(x), listener.secureInbound(y)])
    expect(out.remoteExtensions?.webtransportCerthashes.map(h => Buffer.from(h).toString('hex'))).to.deep.equal([Buffer.from(certhash).toString('hex')])
  })

  it('runs the early data hooks: extensions sent per connection, the remote\'s seen before completion', async () => {
    const certhash = Uint8Array.of(0x12, 0x20, ...new Uint8Array(32).fill(4))
    const seen: string[] = []
    const dialerKey = await generateKeyPair('Ed25519')
    const dialer = await encrypter({ earlyData: { received: (ext, peer) => { seen.push(`${peer.toString()} ${ext.webtransportCerthashes.length}`) } } }, [], dialerKey)
    const listener = await encrypter({ earlyData: { send: () => ({ webtransportCerthashes: [certhash] }) } })
    const [x, y] = multiaddrConnectionPair()
    const [out] = await Promise.all([dialer.secureOutbound(x), listener.secureInbound(y)])
    expect(seen).to.deep.equal([`${out.remotePeer.toString()} 1`])
  })

  it('fails the handshake with the early data handler\'s error', async () => {
    class RefusedError extends Error { override name = 'RefusedError' }
    const dialer = await encrypter({ earlyData: { received: async () => { throw new RefusedError('no certhash') } } })
    const listener = await encrypter({ handshakeTimeout: 300 })
    const [x, y] = multiaddrConnectionPair()
    const [e1] = await Promise.all([rejection(dialer.secureOutbound(x)), listener.secureInbound(y).catch(() => {})])
    expect(e1).to.have.property('name', 'RefusedError')
    expect(x.status).to.equal('aborted')
  })

  it('the initiator fails with UnexpectedPeerError before sending its identity', async () => {
    const dialer = await encrypter()
    const listener = await encrypter({ handshakeTimeout: 300 })
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const [x, y] = multiaddrConnectionPair()
    const [e1, e2] = await Promise.all([rejection(dialer.secureOutbound(x, { remotePeer: other })), rejection(listener.secureInbound(y))])
    expect(e1).to.have.property('name', 'UnexpectedPeerError')
    expect(x.status).to.equal('aborted')
    // the responder never learns who dialled: the connection ends under it
    expect(e2).to.be.an('error')
  })

  it('the responder fails with UnexpectedPeerError when it expects another initiator', async () => {
    const dialer = await encrypter()
    const listener = await encrypter()
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const [x, y] = multiaddrConnectionPair()
    const [, e2] = await Promise.all([dialer.secureOutbound(x).catch(() => {}), rejection(listener.secureInbound(y, { remotePeer: other }))])
    expect(e2).to.have.property('name', 'UnexpectedPeerError')
  })

  it('times out with TimeoutError when the peer stalls mid-handshake', async () => {
    const dialer = await encrypter({ handshakeTimeout: 100 })
    const [x, y] = multiaddrConnectionPair()
    // the "responder" reads message 1 and never answers
    y.addEventListener('message', () => {})
    const started = Date.now()
    const err = await rejection(dialer.secureOutbound(x))
    expect(err).to.have.property('name', 'TimeoutError')
    expect(Date.now() - started).to.be.lessThan(2000)
    expect(x.status).to.equal('aborted')
  })

  it('stops when the caller\'s signal fires', async () => {
    const listener = await encrypter()
    const [, y] = multiaddrConnectionPair()
    const controller = new AbortController()
    const pending = rejection(listener.secureInbound(y, { signal: controller.signal }))
    controller.abort()
    expect(await pending).to.have.property('name', 'AbortError')
  })

  it('fails with UnexpectedEOFError when the peer hangs up inside a handshake frame', async () => {
    const listener = await encrypter()
    const [x, y] = multiaddrConnectionPair()
    x.send(Uint8Array.of(0, 32, 1, 2, 3))
    void x.close().catch(() => {})
    expect(await rejection(listener.secureInbound(y))).to.have.property('name', 'UnexpectedEOFError')
  })

  it('fails with InvalidCryptoExchangeError on a garbage message 2', async () => {
    const dialer = await encrypter()
    const [x, y] = multiaddrConnectionPair()
    y.addEventListener('message', () => {
      y.send(Uint8Array.of(0, 200, ...new Uint8Array(200).fill(0x5a)))
    }, { once: true })
    expect(await rejection(dialer.secureOutbound(x))).to.have.property('name', 'InvalidCryptoExchangeError')
  })

  it('derives the static key from staticNoiseKey', async () => {
    const secret = new Uint8Array(32).map((_, i) => 0x40 + i)
    const a = await encrypter({ staticNoiseKey: secret })
    const b = await encrypter({ staticNoiseKey: secret, crypto: 'portable' })
    expect(Buffer.from(a.staticPublicKey).toString('hex')).to.equal('79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a')
    expect(Buffer.from(b.staticPublicKey).toString('hex')).to.equal('79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a')
  })

  it('keeps transport bytes that arrive with the last handshake message', async () => {
    const dialer = await encrypter()
    const listener = await encrypter()
    const [x, y] = multiaddrConnectionPair()
    const [out, inb] = await Promise.all([dialer.secureOutbound(x), listener.secureInbound(y)])
    // the initiator may send at once after message 3; nothing is lost on the responder
    out.connection.send(Uint8Array.of(1))
    out.connection.send(Uint8Array.of(2))
    const got: number[] = []
    for await (const chunk of inb.connection) {
      got.push(...chunk.subarray())
      if (got.length === 2) break
    }
    expect(got).to.deep.equal([1, 2])
  })
})
