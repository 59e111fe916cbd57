/**
 * Interop with the official `@chainsafe/libp2p-noise` in both directions
 * over our in-memory raw connection pair (the official encrypter needs only
 * the MessageStream role, which ours implement): handshake, identities,
 * inlined muxer negotiation and data both ways, with our node:crypto and our
 * portable primitives.
 */
import { noise as officialNoise } from '@chainsafe/libp2p-noise'
import { generateKeyPair as officialGenerateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger as officialLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey as officialPeerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { noise } from '../src/index.js'
import type { MessageStream, StreamMuxerFactory } from '@ts-libp2p/interface'

function muxers (...ids: string[]): { getStreamMuxers: () => Map<string, StreamMuxerFactory> } {
  return { getStreamMuxers: () => new Map(ids.map(protocol => [protocol, { protocol, createStreamMuxer: () => { throw new Error('not used') } } as any])) }
}

async function readBytes (stream: MessageStream, count: number): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  let received = 0
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
    received += chunk.byteLength
    if (received >= count) {
      break
    }
  }
  return Buffer.concat(chunks)
}

async function sendAll (stream: MessageStream, data: Uint8Array, size: number): Promise<void> {
  for (let i = 0; i < data.byteLength; i += size) {
    if (!stream.send(data.subarray(i, i + size))) {
      await stream.onDrain()
    }
  }
}

describe('interop with official @chainsafe/libp2p-noise', () => {
  for (const crypto of ['node', 'portable'] as const) {
    for (const ourSide of ['outbound', 'inbound'] as const) {
      it(`ours ${ourSide} (${crypto} crypto), official ${ourSide === 'outbound' ? 'inbound' : 'outbound'}`, async function () {
        this.timeout(20_000)
        const ourKey = await generateKeyPair('Ed25519')
        const theirKey = await officialGenerateKeyPair('Ed25519')
        const ours = noise({ crypto })({ privateKey: ourKey, logger: defaultLogger(), upgrader: muxers('/yamux/1.0.0', '/mplex/6.7.0') })
        const theirs = officialNoise()({ privateKey: theirKey, peerId: officialPeerIdFromPrivateKey(theirKey), logger: officialLogger(), upgrader: muxers('/yamux/1.0.0') } as any)
        const [a, b] = multiaddrConnectionPair()
        const [ourResult, theirResult]: any[] = ourSide === 'outbound'
          ? await Promise.all([ours.secureOutbound(a, { remotePeer: peerIdFromPrivateKey(theirKey as any) }), theirs.secureInbound(b as any)])
          : await Promise.all([ours.secureInbound(b), theirs.secureOutbound(a as any, { remotePeer: officialPeerIdFromPrivateKey(ourKey as any) })])
        expect(ourResult.remotePeer.toString()).to.equal(theirKey.publicKey.toString())
        expect(theirResult.remotePeer.toString()).to.equal(ourKey.publicKey.toString())
        expect(ourResult.streamMuxer?.protocol).to.equal('/yamux/1.0.0')
        expect(theirResult.streamMuxer?.protocol).to.equal('/yamux/1.0.0')
        expect(ourResult.remoteExtensions.streamMuxers).to.deep.equal(['/yamux/1.0.0'])

        // 200 KiB each way: several full frames and a partial one, in 64 KiB writes
        const ping = new Uint8Array(200 * 1024).map((_, i) => i % 251)
        const pong = new Uint8Array(200 * 1024).map((_, i) => (i * 7) % 253)
        const [theyGot, weGot] = await Promise.all([
          readBytes(theirResult.connection, ping.byteLength),
          readBytes(ourResult.connection, pong.byteLength),
          sendAll(ourResult.connection, ping, 65536),
          sendAll(theirResult.connection, pong, 65536)
        ])
        expect(theyGot.equals(ping)).to.equal(true)
        expect(weGot.equals(pong)).to.equal(true)
        ourResult.connection.abort(new Error('test over'))
      })
    }
  }

  it('the official initiator fails with UnexpectedPeerError when our responder is not the dialled peer', async () => {
    const theirKey = await officialGenerateKeyPair('Ed25519')
    const other = officialPeerIdFromPrivateKey(await officialGenerateKeyPair('Ed25519'))
    // the official initiator does not close the connection when it gives up: bound our wait
    const ours = noise({ handshakeTimeout: 500 })({ privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger() })
    const theirs = officialNoise()({ privateKey: theirKey, peerId: officialPeerIdFromPrivateKey(theirKey), logger: officialLogger(), upgrader: muxers() } as any)
    const [a, b] = multiaddrConnectionPair()
    const [theirErr] = await Promise.all([
      theirs.secureOutbound(a as any, { remotePeer: other }).then(() => undefined, (err: Error) => err),
      ours.secureInbound(b).catch(() => {})
    ])
    expect(theirErr).to.have.property('name', 'UnexpectedPeerError')
  })
})
