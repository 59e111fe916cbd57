/**
 * Interop with the official `@libp2p/plaintext` in both directions, each
 * side on its own stream type: ours on our raw connection pair, theirs on the
 * official pair would need a bridge, so both run over our pair (the official
 * encrypter only needs the MessageStream role, which ours implement).
 */
import { generateKeyPair as officialGenerateKeyPair } from '@libp2p/crypto/keys'
import { plaintext as officialPlaintext } from '@libp2p/plaintext'
import { defaultLogger as officialLogger } from '@libp2p/logger'
import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { plaintext } from '../src/index.js'
import type { MessageStream } from '@ts-libp2p/interface'

async function readAll (stream: MessageStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
  }
  return Buffer.concat(chunks)
}

describe('interop with official @libp2p/plaintext', () => {
  for (const ourSide of ['outbound', 'inbound'] as const) {
    it(`ours ${ourSide}, official ${ourSide === 'outbound' ? 'inbound' : 'outbound'}`, async () => {
      const ourKey = await generateKeyPair('Ed25519')
      const theirKey = await officialGenerateKeyPair('Ed25519')
      const ours = plaintext()({ privateKey: ourKey, logger: defaultLogger() })
      const theirs = officialPlaintext()({ privateKey: theirKey, logger: officialLogger() } as any)
      const [a, b] = multiaddrConnectionPair()
      const [ourResult, theirResult] = ourSide === 'outbound'
        ? await Promise.all([ours.secureOutbound(a, { remotePeer: peerIdFromPrivateKey(theirKey as any) }), theirs.secureInbound(b as any)])
        : await Promise.all([ours.secureInbound(b), theirs.secureOutbound(a as any)])
      expect(ourResult.remotePeer.toString()).to.equal(theirKey.publicKey.toString())
      expect(theirResult.remotePeer.toString()).to.equal(ourKey.publicKey.toString())
      const payload = new TextEncoder().encode('hello across implementations')
      const received = readAll(theirResult.connection as any)
      ourResult.connection.send(payload)
      await ourResult.connection.close()
      expect(Buffer.from(await received).toString()).to.equal('hello across implementations')
    })
  }
})
