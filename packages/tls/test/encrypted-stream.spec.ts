import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { generateCertificate } from '../src/certificate.js'
import { encrypter, hostKey, rawTLSPeer } from './fixtures/peers.js'
import type { MessageStream, PrivateKey } from '@ts-libp2p/interface'

async function readAll (stream: MessageStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
  }
  return Buffer.concat(chunks)
}

async function sendAll (stream: MessageStream, data: Uint8Array, chunkSize = 16 * 1024): Promise<void> {
  for (let i = 0; i < data.byteLength; i += chunkSize) {
    if (!stream.send(data.subarray(i, i + chunkSize))) {
      await stream.onDrain()
    }
  }
}

describe('encrypted stream', () => {
  let alice: PrivateKey
  let bob: PrivateKey

  before(async () => {
    alice = await hostKey('Ed25519')
    bob = await hostKey('Ed25519')
  })

  it('carries 1 MiB each way with backpressure, then closes cleanly', async function () {
    this.timeout(20_000)
    const [outbound, inbound] = multiaddrConnectionPair()
    const [client, server] = await Promise.all([
      encrypter(alice).secureOutbound(outbound),
      encrypter(bob).secureInbound(inbound)
    ])
    const up = new Uint8Array(1024 * 1024).map((_, i) => i % 251)
    const down = new Uint8Array(1024 * 1024).map((_, i) => i % 241)
    const [atServer, atClient] = await Promise.all([
      readAll(server.connection),
      readAll(client.connection),
      (async () => { await sendAll(client.connection, up); await client.connection.close() })(),
      (async () => { await sendAll(server.connection, down); await server.connection.close() })()
    ])
    expect(Buffer.compare(atServer, up)).to.equal(0)
    expect(Buffer.compare(atClient, down)).to.equal(0)
    expect(client.connection.status).to.equal('closed')
    expect(server.connection.status).to.equal('closed')
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(outbound.status).to.equal('closed')
    expect(inbound.status).to.equal('closed')
  })

  it('keeps the other direction open after one side closes its write side', async () => {
    const [outbound, inbound] = multiaddrConnectionPair()
    const [client, server] = await Promise.all([
      encrypter(alice).secureOutbound(outbound),
      encrypter(bob).secureInbound(inbound)
    ])
    const clientRead = readAll(client.connection)
    client.connection.send(new TextEncoder().encode('request'))
    const closing = client.connection.close()
    expect(new TextDecoder().decode(await readAll(server.connection))).to.equal('request')
    server.connection.send(new TextEncoder().encode('response after the remote closed'))
    await server.connection.close()
    await closing
    expect(new TextDecoder().decode(await clientRead)).to.equal('response after the remote closed')
  })

  it('an abort on one side reaches the other', async () => {
    const [outbound, inbound] = multiaddrConnectionPair()
    const [client, server] = await Promise.all([
      encrypter(alice).secureOutbound(outbound),
      encrypter(bob).secureInbound(inbound)
    ])
    const reading = readAll(server.connection).then(() => 'ended', (err: Error) => err.name)
    client.connection.abort(new Error('boom'))
    const outcome = await reading
    expect(['ended', 'StreamResetError', 'Error']).to.include(outcome)
    expect(server.connection.status).to.be.oneOf(['closed', 'reset', 'aborted'])
    expect(outbound.status).to.equal('aborted')
  })

  it('reuses the certificate within the reuse window, and makes one per handshake with certificateReuse 0', async () => {
    async function serverCertificates (init: { certificateReuse?: number }): Promise<string[]> {
      const ours = encrypter(bob, [], init)
      const fingerprints: string[] = []
      for (let i = 0; i < 2; i++) {
        const [outbound, inbound] = multiaddrConnectionPair()
        const peer = rawTLSPeer(outbound, { isServer: false, ...(await generateCertificate(alice)) })
        const secured = await ours.secureInbound(inbound)
        fingerprints.push(peer.getPeerCertificate().fingerprint256)
        secured.connection.abort(new Error('done'))
      }
      return fingerprints
    }
    const reused = await serverCertificates({})
    expect(reused[0]).to.equal(reused[1])
    const fresh = await serverCertificates({ certificateReuse: 0 })
    expect(fresh[0]).to.not.equal(fresh[1])
  })

  it('stops a sender whose remote does not read (bounded buffers), then delivers everything', async function () {
    this.timeout(20_000)
    const [outbound, inbound] = multiaddrConnectionPair()
    const [client, server] = await Promise.all([
      encrypter(alice).secureOutbound(outbound),
      encrypter(bob).secureInbound(inbound)
    ])
    const chunk = new Uint8Array(64 * 1024).fill(7)
    let accepted = 0
    // send until send() says stop and no drain comes for 200 ms
    while (true) {
      accepted += chunk.byteLength
      if (!client.connection.send(chunk)) {
        const drained = await Promise.race([
          client.connection.onDrain().then(() => true),
          new Promise<boolean>(resolve => setTimeout(() => { resolve(false) }, 200))
        ])
        if (!drained) {
          break
        }
      }
      if (accepted > 32 * 1024 * 1024) {
        expect.fail('32 MiB were accepted without backpressure')
      }
    }
    // what is buffered end to end stays within the streams' limits
    expect(accepted).to.be.lessThan(8 * 1024 * 1024)
    expect(server.connection.readBufferLength).to.be.at.most(server.connection.maxReadBufferLength)
    const closing = client.connection.close()
    const received = await readAll(server.connection)
    expect(received.byteLength).to.equal(accepted)
    await Promise.all([closing, server.connection.close()])
  })
})
