/**
 * Interop with the official `@libp2p/tls` in both directions over our raw
 * connection pair (the official encrypter only needs the MessageStream role,
 * which ours implement): identities, ALPN muxer agreement, data both ways,
 * close, and the expected-peer check. Runs with the Promise.withResolvers
 * polyfill (official code needs Node 22).
 */
import { generateKeyPair as officialGenerateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger as officialLogger } from '@libp2p/logger'
import { tls as officialTLS } from '@libp2p/tls'
import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { encrypter, stubMuxer } from './fixtures/peers.js'
import type { KeyType, MessageStream } from '@ts-libp2p/interface'

async function readAll (stream: MessageStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
  }
  return Buffer.concat(chunks)
}

async function readBytes (stream: MessageStream, length: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let received = 0
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
    received += chunk.byteLength
    if (received >= length) {
      break
    }
  }
  return Buffer.concat(chunks)
}

function official (privateKey: any, muxers: string[]): any {
  const map = new Map(muxers.map(m => [m, stubMuxer(m)]))
  return officialTLS()({ privateKey, logger: officialLogger(), upgrader: { getStreamMuxers: () => map } } as any)
}

describe('interop with official @libp2p/tls', () => {
  for (const ourSide of ['outbound', 'inbound'] as const) {
    // not ECDSA: official @libp2p/crypto writes an ECDSA public key's protobuf
    // Data in its own DER form rather than the SubjectPublicKeyInfo that
    // peer-ids.md and tls.md require, and cannot read the spec form (spec
    // test vector 2), so the two cannot authenticate each other with ECDSA
    // host keys; see the README
    for (const keyType of ['Ed25519', 'secp256k1'] as KeyType[]) {
      it(`ours ${ourSide} (${keyType}), official ${ourSide === 'outbound' ? 'inbound' : 'outbound'}: identities, ALPN, data both ways, close`, async () => {
        const ourKey = await generateKeyPair(keyType as 'Ed25519')
        const theirKey = await officialGenerateKeyPair(keyType as 'Ed25519')
        const ours = encrypter(ourKey, ['/yamux/1.0.0', '/mplex/6.7.0'])
        const theirs = official(theirKey, ['/mplex/6.7.0', '/yamux/1.0.0'])
        const [a, b] = multiaddrConnectionPair()
        const [ourResult, theirResult] = ourSide === 'outbound'
          ? await Promise.all([ours.secureOutbound(a, { remotePeer: peerIdFromPrivateKey(theirKey as any) }), theirs.secureInbound(b)])
          : await Promise.all([ours.secureInbound(b), theirs.secureOutbound(a, { remotePeer: peerIdFromPrivateKey(ourKey) })])
        expect(ourResult.remotePeer.toString()).to.equal(theirKey.publicKey.toString())
        expect(theirResult.remotePeer.toString()).to.equal(ourKey.publicKey.toString())
        // the client's preference wins
        const preferred = ourSide === 'outbound' ? '/yamux/1.0.0' : '/mplex/6.7.0'
        expect(ourResult.streamMuxer?.protocol).to.equal(preferred)
        expect(theirResult.streamMuxer?.protocol).to.equal(preferred)

        const up = new Uint8Array(300_000).map((_, i) => i % 253)
        const down = new TextEncoder().encode('hello from the official side')
        const ourConn = ourResult.connection
        const theirConn = theirResult.connection as MessageStream
        // the official encrypted stream only ends when its socket closes (it
        // does not surface the remote's close_notify), so like a protocol it
        // reads what it expects and then closes
        theirConn.send(down)
        const [atTheirs, atOurs] = await Promise.all([
          readBytes(theirConn, up.byteLength).then(async (data) => {
            await theirConn.close()
            return data
          }),
          readAll(ourConn),
          (async () => {
            for (let i = 0; i < up.byteLength; i += 10_000) {
              if (!ourConn.send(up.subarray(i, i + 10_000))) {
                await ourConn.onDrain()
              }
            }
            await ourConn.close()
          })()
        ])
        expect(Buffer.compare(atTheirs, up)).to.equal(0)
        expect(Buffer.compare(atOurs, down)).to.equal(0)
      })
    }
  }

  it('our close ends the raw write side too, so an official side that reads to the end finishes and our close completes', async function () {
    this.timeout(10_000)
    const ourKey = await generateKeyPair('Ed25519')
    const theirKey = await officialGenerateKeyPair('Ed25519')
    const [a, b] = multiaddrConnectionPair()
    const [ourResult, theirResult] = await Promise.all([
      encrypter(ourKey, ['/yamux/1.0.0']).secureOutbound(a),
      official(theirKey, ['/yamux/1.0.0']).secureInbound(b)
    ])
    const ourConn = ourResult.connection
    const theirConn = theirResult.connection as MessageStream
    const up = new TextEncoder().encode('bye')
    ourConn.send(up)
    // the official side reads until its stream ends, then closes (as a muxer does when the connection ends)
    const theirs = readAll(theirConn).then(async (data) => { await theirConn.close(); return data })
    // well inside any close timeout: a close that waits for a close_notify the official side never sends fails here
    await ourConn.close({ signal: AbortSignal.timeout(3000) })
    expect(Buffer.compare(await theirs, up)).to.equal(0)
    expect(ourConn.status).to.equal('closed')
  })

  it('falls back to "libp2p" when the official side has no common muxer', async () => {
    const ourKey = await generateKeyPair('Ed25519')
    const theirKey = await officialGenerateKeyPair('Ed25519')
    const [a, b] = multiaddrConnectionPair()
    const [ourResult, theirResult] = await Promise.all([
      encrypter(ourKey, ['/yamux/1.0.0']).secureOutbound(a),
      official(theirKey, ['/mplex/6.7.0']).secureInbound(b)
    ])
    expect(ourResult.streamMuxer).to.equal(undefined)
    expect(theirResult.streamMuxer).to.equal(undefined)
    ourResult.connection.abort(new Error('done'))
  })

  it('our client rejects an official server that is not the dialled peer', async () => {
    const ourKey = await generateKeyPair('Ed25519')
    const theirKey = await officialGenerateKeyPair('Ed25519')
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const [a, b] = multiaddrConnectionPair()
    const theirs = official(theirKey, []).secureInbound(b).catch((err: Error) => err)
    try {
      await encrypter(ourKey).secureOutbound(a, { remotePeer: other })
      expect.fail('the handshake succeeded')
    } catch (err: any) {
      expect(err).to.have.property('name', 'UnexpectedPeerError')
    }
    await theirs
  })

  it('an official client verifies our RSA host key', async function () {
    this.timeout(20_000)
    const ourKey = await generateKeyPair('RSA', 2048)
    const theirKey = await officialGenerateKeyPair('Ed25519')
    const [a, b] = multiaddrConnectionPair()
    const [ourResult, theirResult] = await Promise.all([
      encrypter(ourKey).secureInbound(b),
      official(theirKey, []).secureOutbound(a, { remotePeer: peerIdFromPrivateKey(ourKey) })
    ])
    expect(theirResult.remotePeer.toString()).to.equal(peerIdFromPrivateKey(ourKey).toString())
    expect(ourResult.remotePeer.toString()).to.equal(theirKey.publicKey.toString())
    ourResult.connection.abort(new Error('done'))
  })
})
