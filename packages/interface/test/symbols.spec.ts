import { expect } from 'chai'
import { isTransport, isPeerId, isConnection, isPublicKey, isPrivateKey, transportSymbol, peerIdSymbol, connectionSymbol } from '../src/index.js'

describe('brand checks', () => {
  it('isTransport / isPeerId / isConnection look for the brand', () => {
    expect(isTransport({ [transportSymbol]: true })).to.equal(true)
    expect(isTransport({})).to.equal(false)
    expect(isTransport(undefined)).to.equal(false)
    expect(isPeerId({ [peerIdSymbol]: true })).to.equal(true)
    expect(isPeerId({ toString: () => '12D3Koo' })).to.equal(false)
    expect(isConnection({ [connectionSymbol]: true })).to.equal(true)
    expect(isConnection(null)).to.equal(false)
  })

  it('isPublicKey / isPrivateKey check the shape and the key type', () => {
    const publicKey = { type: 'Ed25519', raw: new Uint8Array(32), verify: () => true, toMultihash: () => undefined }
    expect(isPublicKey(publicKey)).to.equal(true)
    expect(isPublicKey({ ...publicKey, type: 'DSA' })).to.equal(false)
    expect(isPublicKey({ ...publicKey, raw: 'bytes' })).to.equal(false)
    const privateKey = { type: 'Ed25519', raw: new Uint8Array(64), sign: () => new Uint8Array(), publicKey }
    expect(isPrivateKey(privateKey)).to.equal(true)
    expect(isPrivateKey({ ...privateKey, publicKey: undefined })).to.equal(false)
    expect(isPrivateKey(publicKey)).to.equal(false)
  })
})
