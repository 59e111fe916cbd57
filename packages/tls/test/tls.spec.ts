import { webcrypto } from 'node:crypto'
import { once } from 'node:events'
import { generateCertificate } from '../src/certificate.js'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { hostileCertificate } from './fixtures/certificates.js'
import { encrypter, hostKey, rawTLSPeer } from './fixtures/peers.js'
import type { KeyType, MessageStream, PrivateKey, SecuredConnection } from '@ts-libp2p/interface'
import * as x509 from '../src/x509.js'

async function expectError (p: Promise<unknown>, name: string, message?: RegExp): Promise<Error> {
  try {
    await p
  } catch (err: any) {
    expect(err, err?.stack).to.have.property('name', name)
    if (message != null) {
      expect(err.message).to.match(message)
    }
    return err
  }
  expect.fail(`expected a ${name}`)
}

async function readAll (stream: MessageStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
  }
  return Buffer.concat(chunks)
}

describe('tls', () => {
  let alice: PrivateKey
  let bob: PrivateKey

  before(async () => {
    alice = await hostKey('Ed25519')
    bob = await hostKey('Ed25519')
  })

  describe('host key types (tls.md: all must be supported)', () => {
    for (const type of ['Ed25519', 'secp256k1', 'ECDSA', 'RSA'] as KeyType[]) {
      it(`handshakes with a ${type} host key on both sides`, async function () {
        this.timeout(20_000)
        const a = await hostKey(type)
        const b = await hostKey(type)
        const [outbound, inbound] = multiaddrConnectionPair()
        const [client, server] = await Promise.all([
          encrypter(a).secureOutbound(outbound, { remotePeer: peerIdFromPrivateKey(b) }),
          encrypter(b).secureInbound(inbound)
        ])
        expect(client.remotePeer.toString()).to.equal(peerIdFromPrivateKey(b).toString())
        expect(server.remotePeer.toString()).to.equal(peerIdFromPrivateKey(a).toString())
        client.connection.send(Uint8Array.of(1, 2, 3))
        const closing = client.connection.close()
        expect(await readAll(server.connection)).to.deep.equal(Uint8Array.of(1, 2, 3))
        await Promise.all([closing, server.connection.close()])
      })
    }
  })

  describe('ALPN muxer negotiation (inlined-muxer-negotiation.md)', () => {
    async function negotiate (clientMuxers: string[], serverMuxers: string[]): Promise<[SecuredConnection, SecuredConnection]> {
      const [outbound, inbound] = multiaddrConnectionPair()
      const result = await Promise.all([
        encrypter(alice, clientMuxers).secureOutbound(outbound),
        encrypter(bob, serverMuxers).secureInbound(inbound)
      ])
      result[0].connection.abort(new Error('done'))
      return result
    }

    it('agrees on the first muxer of the client that the server supports', async () => {
      const [client, server] = await negotiate(['/yamux/1.0.0', '/mplex/6.7.0'], ['/mplex/6.7.0', '/yamux/1.0.0'])
      expect(client.streamMuxer?.protocol).to.equal('/yamux/1.0.0')
      expect(server.streamMuxer?.protocol).to.equal('/yamux/1.0.0')
    })

    it('falls back to "libp2p" (no streamMuxer) without a common muxer', async () => {
      const [client, server] = await negotiate(['/yamux/1.0.0'], ['/mplex/6.7.0'])
      expect(client.streamMuxer).to.equal(undefined)
      expect(server.streamMuxer).to.equal(undefined)
    })

    it('offers no muxer with skipStreamMuxerNegotiation', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const [client, server] = await Promise.all([
        encrypter(alice, ['/yamux/1.0.0']).secureOutbound(outbound, { skipStreamMuxerNegotiation: true }),
        encrypter(bob, ['/yamux/1.0.0']).secureInbound(inbound)
      ])
      expect(client.streamMuxer).to.equal(undefined)
      expect(server.streamMuxer).to.equal(undefined)
      client.connection.abort(new Error('done'))
    })

    it('server aborts when the client offers nothing it supports (tls.md ALPN)', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const { cert, key } = await generateCertificate(alice)
      const peer = rawTLSPeer(outbound, { isServer: false, cert, key, ALPNProtocols: ['/unknown/1.0.0'] })
      await expectError(encrypter(bob, ['/yamux/1.0.0']).secureInbound(inbound), 'InvalidCryptoExchangeError')
      expect(inbound.status).to.equal('aborted')
      peer.destroy()
    })

    it('the client offers its muxers in preference order, then "libp2p" last', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      let offered: string[] = []
      const peer = rawTLSPeer(inbound, {
        isServer: true,
        ...(await generateCertificate(bob)),
        ALPNCallback: ({ protocols }) => { offered = protocols; return 'libp2p' }
      })
      const client = await encrypter(alice, ['/yamux/1.0.0', '/mplex/6.7.0']).secureOutbound(outbound)
      expect(offered).to.deep.equal(['/yamux/1.0.0', '/mplex/6.7.0', 'libp2p'])
      expect(client.streamMuxer).to.equal(undefined)
      client.connection.abort(new Error('done'))
      peer.destroy()
    })

    it('the client sends no SNI (tls.md Future Extensibility)', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const { cert, key } = await generateCertificate(bob)
      const peer = rawTLSPeer(inbound, { isServer: true, cert, key, ALPNProtocols: ['libp2p'] })
      const [client] = await Promise.all([
        encrypter(alice).secureOutbound(outbound),
        once(peer, 'secure')
      ])
      expect((peer as any).servername).to.not.be.a('string')
      expect(peer.alpnProtocol).to.equal('libp2p')
      client.connection.abort(new Error('done'))
    })
  })

  it('delivers data the client sends right after its Finished, while the server still verifies', async () => {
    const [outbound, inbound] = multiaddrConnectionPair()
    const peer = rawTLSPeer(outbound, { isServer: false, ...(await generateCertificate(alice)) })
    peer.once('secureConnect', () => {
      peer.write(new TextEncoder().encode('early'))
      peer.end()
    })
    const server = await encrypter(bob).secureInbound(inbound)
    expect(new TextDecoder().decode(await readAll(server.connection))).to.equal('early')
    server.connection.abort(new Error('done'))
  })

  it('a client cannot resume a session: every handshake authenticates by certificate', async () => {
    const ours = encrypter(bob)
    const credentials = await generateCertificate(alice)
    const [outbound, inbound] = multiaddrConnectionPair()
    const first = rawTLSPeer(outbound, { isServer: false, ...credentials })
    const sessions: Buffer[] = []
    first.on('session', (session: Buffer) => { sessions.push(session) })
    const server = await ours.secureInbound(inbound)
    server.connection.send(Uint8Array.of(1))
    await once(first, 'data')
    server.connection.abort(new Error('done'))

    const [outbound2, inbound2] = multiaddrConnectionPair()
    const second = rawTLSPeer(outbound2, { isServer: false, ...credentials, session: sessions[sessions.length - 1] })
    const again = await ours.secureInbound(inbound2)
    expect(second.isSessionReused()).to.equal(false)
    expect(again.remotePeer.toString()).to.equal(peerIdFromPrivateKey(alice).toString())
    again.connection.abort(new Error('done'))
  })

  describe('authentication', () => {
    it('the client fails with UnexpectedPeerError when the server is not the dialled peer', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const other = peerIdFromPrivateKey(await hostKey())
      const server = encrypter(bob).secureInbound(inbound).catch(err => err)
      await expectError(encrypter(alice).secureOutbound(outbound, { remotePeer: other }), 'UnexpectedPeerError')
      expect(outbound.status).to.equal('aborted')
      await server
    })

    for (const [side, isServer] of [['client', false], ['server', true]] as const) {
      describe(`a hostile ${side}`, () => {
        // our side is the opposite role
        async function against (options: Parameters<typeof rawTLSPeer>[1]): Promise<Error> {
          const [outbound, inbound] = multiaddrConnectionPair()
          const ours = isServer ? outbound : inbound
          const theirs = isServer ? inbound : outbound
          const peer = rawTLSPeer(theirs, options)
          const ourEncrypter = encrypter(alice, [], { handshakeTimeout: 2_000 })
          const result = isServer ? ourEncrypter.secureOutbound(ours) : ourEncrypter.secureInbound(ours)
          try {
            await result
          } catch (err: any) {
            expect(ours.status).to.equal('aborted')
            peer.destroy()
            return err
          }
          peer.destroy()
          expect.fail('the handshake succeeded')
        }

        it('with a certificate without the libp2p extension', async () => {
          const err = await against({ isServer, ...(await hostileCertificate(bob, { extension: 'none' })) })
          expect(err).to.have.property('name', 'InvalidCertificateError')
          expect(err.message).to.match(/does not carry/)
        })

        it('with a wrong extension signature', async () => {
          const err = await against({ isServer, ...(await hostileCertificate(bob, { extension: 'bad-signature' })) })
          expect(err).to.have.property('name', 'InvalidCertificateError')
        })

        it('with an expired certificate', async () => {
          const err = await against({ isServer, ...(await hostileCertificate(bob, { notBefore: new Date(Date.now() - 7_200_000), notAfter: new Date(Date.now() - 3_600_000) })) })
          expect(err).to.have.property('name', 'InvalidCertificateError')
          expect(err.message).to.match(/expired/)
        })

        it('sending two certificates', async () => {
          const leaf = await generateCertificate(bob)
          const extra = await generateCertificate(bob)
          const err = await against({ isServer, cert: `${leaf.cert}\n${extra.cert}`, key: leaf.key })
          expect(err).to.have.property('name', 'InvalidCertificateError')
          expect(err.message).to.match(/2 certificates/)
        })

        it('sending an unrelated second certificate (Node does not link it; we decrypt the flight)', async () => {
          const leaf = await generateCertificate(bob)
          const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
          const other = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=unrelated', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, webcrypto as any)
          const err = await against({ isServer, cert: `${leaf.cert}\n${other.toString('pem')}`, key: leaf.key })
          expect(err).to.have.property('name', 'InvalidCertificateError')
          expect(err.message).to.match(/2 certificates/)
        })

        it('speaking TLS 1.2', async () => {
          const { cert, key } = await generateCertificate(bob)
          const err = await against({ isServer, cert, key, maxVersion: 'TLSv1.2' })
          expect(err).to.have.property('name', 'InvalidCryptoExchangeError')
        })
      })
    }

    it('a client without a certificate is rejected (tls.md: servers MUST require client authentication)', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const peer = rawTLSPeer(outbound, { isServer: false })
      await expectError(encrypter(bob).secureInbound(inbound), 'InvalidCertificateError', /no certificate/)
      peer.destroy()
    })
  })

  describe('robustness', () => {
    it('garbage instead of a ClientHello fails with InvalidCryptoExchangeError and aborts', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      outbound.send(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'))
      await expectError(encrypter(bob).secureInbound(inbound), 'InvalidCryptoExchangeError')
      expect(inbound.status).to.equal('aborted')
    })

    it('a peer that stalls mid-handshake fails with HandshakeTimeoutError', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      // a handshake record header announcing 122 bytes, then one byte, then nothing
      inbound.addEventListener('message', () => {
        inbound.send(Uint8Array.of(0x16, 0x03, 0x03, 0x00, 0x7a, 0x02))
      }, { once: true })
      const started = Date.now()
      await expectError(encrypter(alice, [], { handshakeTimeout: 300 }).secureOutbound(outbound), 'HandshakeTimeoutError')
      expect(Date.now() - started).to.be.lessThan(2_000)
      expect(outbound.status).to.equal('aborted')
    })

    it('a peer that never answers fails with HandshakeTimeoutError', async () => {
      const [, inbound] = multiaddrConnectionPair()
      await expectError(encrypter(bob, [], { handshakeTimeout: 200 }).secureInbound(inbound), 'HandshakeTimeoutError')
      expect(inbound.status).to.equal('aborted')
    })

    it('the caller\'s signal aborts the handshake with AbortError', async () => {
      const [outbound] = multiaddrConnectionPair()
      const controller = new AbortController()
      setTimeout(() => { controller.abort() }, 50)
      await expectError(encrypter(alice).secureOutbound(outbound, { signal: controller.signal }), 'AbortError')
      expect(outbound.status).to.equal('aborted')
    })

    it('a signal that already fired fails with AbortError before any work', async () => {
      const [outbound] = multiaddrConnectionPair()
      await expectError(encrypter(alice, [], { certificateReuse: 0 }).secureOutbound(outbound, { signal: AbortSignal.abort() }), 'AbortError')
      expect(outbound.status).to.equal('aborted')
    })

    it('a connection that closes during the handshake fails at once', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      inbound.addEventListener('message', () => { inbound.abort(new Error('gone')) }, { once: true })
      await expectError(encrypter(alice).secureOutbound(outbound), 'InvalidCryptoExchangeError')
    })
  })
})
