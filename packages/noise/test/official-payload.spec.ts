/**
 * Cross-checks our handshake payload encoding against the official
 * `@chainsafe/libp2p-noise` encoder, live, for fixed keys.
 */
import { generateKeyPairFromSeed as officialKeyFromSeed } from '@libp2p/crypto/keys'
import { generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { expect } from 'chai'
import { nodeCrypto } from '../src/crypto-node.js'
import { createHandshakePayload } from '../src/payload.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const seed = new Uint8Array(32).map((_, i) => i + 1)
const staticSecret = new Uint8Array(32).map((_, i) => 0x40 + i)

// the official encoder, loaded from its file (the package does not export it)
const official = await import(new URL('../../../../node_modules/@chainsafe/libp2p-noise/dist/src/utils.js', import.meta.url).href)

describe('payload against the official @chainsafe/libp2p-noise', () => {
  it('encodes the same bytes as the official noise for fixed keys, with and without extensions', async () => {
    const ours = await generateKeyPairFromSeed('Ed25519', seed)
    const theirs = await officialKeyFromSeed('Ed25519', seed)
    const staticKey = nodeCrypto.x25519KeyPairFromSecret(staticSecret).publicKey
    expect(hex(await createHandshakePayload(ours, staticKey))).to.equal(hex(await official.createHandshakePayload(theirs, staticKey, undefined)))
    const extensions = { streamMuxers: ['/yamux/1.0.0', '/mplex/6.7.0'], webtransportCerthashes: [Uint8Array.of(0x12, 0x20, 1, 2, 3)] }
    expect(hex(await createHandshakePayload(ours, staticKey, extensions))).to.equal(hex(await official.createHandshakePayload(theirs, staticKey, extensions)))
  })

})
