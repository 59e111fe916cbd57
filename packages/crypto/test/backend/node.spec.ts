import { generateKeyPairSync, sign } from 'node:crypto'
import { expect } from 'chai'
import { ED25519_KEY_OBJECT_CACHE_SIZE } from '../../src/constants.js'
import { nodeBackend } from '../../src/backend/node.js'
import { backendConformance } from './conformance.js'

function ed25519 (): { raw: Uint8Array, sign: (data: Uint8Array) => Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12))
  return { raw, sign: (data) => new Uint8Array(sign(null, data, privateKey)) }
}

describe('backend/node', () => {
  backendConformance(nodeBackend)

  it('reuses Ed25519 verifier keys by their bytes without mixing keys, past the cache bound', () => {
    const data = Uint8Array.from([1, 2, 3])
    const keys = Array.from({ length: ED25519_KEY_OBJECT_CACHE_SIZE + 50 }, ed25519)
    for (const key of keys) {
      expect(nodeBackend.ed25519.createVerifier(key.raw)(data, key.sign(data))).to.equal(true)
    }
    // the earliest keys were evicted, the latest are cached: both still verify, and only their own signatures
    for (const [a, b] of [[keys[0], keys[1]], [keys[keys.length - 1], keys[keys.length - 2]]]) {
      expect(nodeBackend.ed25519.createVerifier(new Uint8Array(a.raw))(data, a.sign(data))).to.equal(true)
      expect(nodeBackend.ed25519.createVerifier(a.raw)(data, b.sign(data))).to.equal(false)
    }
  })
})
