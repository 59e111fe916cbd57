import { expect } from 'chai'
import { nodeBackend } from '../src/backend/node.js'
import { MAX_INLINE_KEY_LENGTH } from '../src/constants.js'
import { digestToCID, digestToString, publicKeyDigest } from '../src/peer-id-digest.js'
import { encodePublicKeyMessage } from '../src/protobuf.js'
import { toHex } from './fixtures/expect-error.js'

describe('peer-id-digest', () => {
  it('inlines encodings of exactly 42 bytes and hashes 43', () => {
    // 4 bytes of protobuf framing around the key bytes
    const inline = new Uint8Array(MAX_INLINE_KEY_LENGTH - 4)
    expect(encodePublicKeyMessage('Ed25519', inline)).to.have.length(42)
    const atLimit = publicKeyDigest('Ed25519', inline, nodeBackend)
    expect(atLimit.code).to.equal(0x00)
    expect(atLimit.digest).to.deep.equal(encodePublicKeyMessage('Ed25519', inline))

    const over = new Uint8Array(MAX_INLINE_KEY_LENGTH - 3)
    const hashed = publicKeyDigest('Ed25519', over, nodeBackend)
    expect(hashed.code).to.equal(0x12)
    expect(toHex(hashed.digest)).to.equal(toHex(nodeBackend.sha256(encodePublicKeyMessage('Ed25519', over))))
  })

  it('prints base58btc without the multibase prefix and makes libp2p-key CIDv1s', () => {
    const digest = publicKeyDigest('Ed25519', new Uint8Array(32), nodeBackend)
    expect(digestToString(digest)).to.match(/^12D3KooW/)
    const cid = digestToCID(digest)
    expect(cid.version).to.equal(1)
    expect(cid.code).to.equal(0x72)
    expect(cid.toString()).to.match(/^bafz/)
  })
})
