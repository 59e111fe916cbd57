import { expect } from 'chai'
import { CipherState } from '../src/cipher-state.js'
import { nodeCrypto } from '../src/crypto-node.js'
import { portableCrypto } from '../src/crypto-portable.js'

const key = new Uint8Array(32).fill(3)

function seal (cs: CipherState, plaintext: Uint8Array): { ct: Uint8Array, tag: Uint8Array } {
  const out: Uint8Array[] = []
  cs.encrypt(undefined, [plaintext], out)
  const all = Buffer.concat(out)
  return { ct: all.subarray(0, all.byteLength - 16), tag: all.subarray(all.byteLength - 16) }
}

describe('cipher-state', () => {
  it('uses 32 zero bits then the little-endian counter as the nonce (Noise spec 12.3)', () => {
    const cs = new CipherState(nodeCrypto, key)
    cs.setNonce(0x0102030405n)
    const { ct, tag } = seal(cs, Uint8Array.of(1, 2, 3))
    const nonce = Buffer.from('000000000504030201000000', 'hex')
    const out: Uint8Array[] = []
    nodeCrypto.aead(key).open(nonce, undefined, [ct], tag, out)
    expect([...Buffer.concat(out)]).to.deep.equal([1, 2, 3])
    expect(cs.nonce).to.equal(0x0102030406n)
  })

  it('carries the counter from the low 32 bits into the high ones', () => {
    const cs = new CipherState(nodeCrypto, key)
    cs.setNonce(0xffffffffn)
    seal(cs, Uint8Array.of(1))
    expect(cs.nonce).to.equal(0x100000000n)
  })

  for (const crypto of [nodeCrypto, portableCrypto]) {
    it(`fails with NonceExhaustedError instead of using nonce 2^64-1 (${crypto.name})`, () => {
      const sender = new CipherState(crypto, key)
      const receiver = new CipherState(crypto, key)
      sender.setNonce(2n ** 64n - 2n)
      receiver.setNonce(2n ** 64n - 2n)
      // the last usable nonce works both ways
      const { ct, tag } = seal(sender, Uint8Array.of(9))
      const out: Uint8Array[] = []
      receiver.decrypt(undefined, [ct], tag, out)
      expect([...Buffer.concat(out)]).to.deep.equal([9])
      expect(() => seal(sender, Uint8Array.of(9))).to.throw().with.property('name', 'NonceExhaustedError')
      expect(() => { receiver.decrypt(undefined, [ct], tag, []) }).to.throw().with.property('name', 'NonceExhaustedError')
    })

    it(`refuses a message under the wrong nonce without output (${crypto.name})`, () => {
      const sender = new CipherState(crypto, key)
      const receiver = new CipherState(crypto, key)
      const first = seal(sender, Uint8Array.of(1, 1))
      const second = seal(sender, Uint8Array.of(2, 2))
      const out: Uint8Array[] = []
      expect(() => { receiver.decrypt(undefined, [second.ct], second.tag, out) }).to.throw()
      expect(out).to.have.length(0)
      void first
    })
  }
})
