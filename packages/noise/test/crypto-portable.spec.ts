import { expect } from 'chai'
import { nodeCrypto } from '../src/crypto-node.js'
import { portableCrypto } from '../src/crypto-portable.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('crypto-portable', () => {
  it('computes X25519 as RFC 7748 section 6.1 says', () => {
    const alice = portableCrypto.x25519KeyPairFromSecret(Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex'))
    const bob = portableCrypto.x25519KeyPairFromSecret(Buffer.from('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb', 'hex'))
    expect(hex(alice.publicKey)).to.equal('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
    expect(hex(portableCrypto.dh(alice, bob.publicKey))).to.equal('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742')
  })

  it('refuses a low-order public key', () => {
    expect(() => portableCrypto.dh(portableCrypto.generateX25519KeyPair(), new Uint8Array(32))).to.throw()
  })

  it('agrees with node:crypto on X25519 with keys from either backend', () => {
    const a = portableCrypto.generateX25519KeyPair()
    const b = nodeCrypto.generateX25519KeyPair()
    expect(hex(portableCrypto.dh(a, b.publicKey))).to.equal(hex(nodeCrypto.dh(b, a.publicKey)))
    expect(hex(nodeCrypto.x25519KeyPairFromSecret(a.privateKey).publicKey)).to.equal(hex(a.publicKey))
  })

  it('opens what node:crypto seals and refuses a wrong tag', () => {
    const key = new Uint8Array(32).fill(5)
    const nonce = new Uint8Array(12).fill(1)
    const sealed: Uint8Array[] = []
    nodeCrypto.aead(key).seal(nonce, undefined, [Uint8Array.of(1, 2), Uint8Array.of(3)], sealed)
    const tag = sealed.pop()!
    const out: Uint8Array[] = []
    portableCrypto.aead(key).open(nonce, undefined, sealed, tag, out)
    expect([...Buffer.concat(out)]).to.deep.equal([1, 2, 3])
    tag[15] ^= 1
    expect(() => { portableCrypto.aead(key).open(nonce, undefined, sealed, tag, []) }).to.throw()
  })
})
