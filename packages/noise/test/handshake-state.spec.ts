import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import { nodeCrypto } from '../src/crypto-node.js'
import { portableCrypto } from '../src/crypto-portable.js'
import { XXHandshakeState } from '../src/handshake-state.js'
import type { NoiseCrypto } from '../src/crypto.js'

const vector = JSON.parse(readFileSync(new URL('../../test/fixtures/cacophony-xx.json', import.meta.url), 'utf8'))
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))

function decryptOne (cs: { decrypt: (ad: undefined, ct: Uint8Array[], tag: Uint8Array, out: Uint8Array[]) => void }, ciphertext: Uint8Array): Uint8Array {
  const out: Uint8Array[] = []
  cs.decrypt(undefined, [ciphertext.subarray(0, ciphertext.byteLength - 16)], ciphertext.subarray(ciphertext.byteLength - 16), out)
  return Buffer.concat(out)
}

function encryptOne (cs: { encrypt: (ad: undefined, pt: Uint8Array[], out: Uint8Array[]) => void }, plaintext: Uint8Array): Uint8Array {
  const out: Uint8Array[] = []
  cs.encrypt(undefined, [plaintext], out)
  return Buffer.concat(out)
}

describe('handshake-state', () => {
  for (const crypto of [nodeCrypto, portableCrypto] as NoiseCrypto[]) {
    describe(`${crypto.name} backend`, () => {
      it('reproduces the cacophony Noise_XX_25519_ChaChaPoly_SHA256 vector byte for byte', () => {
        const initiator = new XXHandshakeState({
          crypto,
          initiator: true,
          prologue: bytes(vector.init_prologue),
          staticKey: crypto.x25519KeyPairFromSecret(bytes(vector.init_static)),
          ephemeralKey: crypto.x25519KeyPairFromSecret(bytes(vector.init_ephemeral))
        })
        const responder = new XXHandshakeState({
          crypto,
          initiator: false,
          prologue: bytes(vector.resp_prologue),
          staticKey: crypto.x25519KeyPairFromSecret(bytes(vector.resp_static)),
          ephemeralKey: crypto.x25519KeyPairFromSecret(bytes(vector.resp_ephemeral))
        })
        const m = vector.messages.map((msg: any) => ({ payload: bytes(msg.payload), ciphertext: msg.ciphertext }))

        const a = initiator.writeMessageA(m[0].payload)
        expect(hex(a)).to.equal(m[0].ciphertext)
        expect(hex(responder.readMessageA(a))).to.equal(hex(m[0].payload))

        const b = responder.writeMessageB(m[1].payload)
        expect(hex(b)).to.equal(m[1].ciphertext)
        expect(hex(initiator.readMessageB(b))).to.equal(hex(m[1].payload))

        const c = initiator.writeMessageC(m[2].payload)
        expect(hex(c)).to.equal(m[2].ciphertext)
        expect(hex(responder.readMessageC(c))).to.equal(hex(m[2].payload))

        const i = initiator.finish()
        const r = responder.finish()
        expect(hex(i.handshakeHash)).to.equal(vector.handshake_hash)
        expect(hex(r.handshakeHash)).to.equal(vector.handshake_hash)
        expect(hex(i.remoteStaticKey)).to.equal(hex(crypto.x25519KeyPairFromSecret(bytes(vector.resp_static)).publicKey))

        // transport messages alternate, starting with the initiator... after the
        // three handshake messages the responder speaks next (message 4)
        for (let n = 3; n < m.length; n++) {
          const [sender, receiver] = n % 2 === 1 ? [r, i] : [i, r]
          const ciphertext = encryptOne(sender.send, m[n].payload)
          expect(hex(ciphertext)).to.equal(m[n].ciphertext)
          expect(hex(decryptOne(receiver.receive, ciphertext))).to.equal(hex(m[n].payload))
        }
      })

      it('fails with InvalidCryptoExchangeError on a tampered message 2', () => {
        const initiator = new XXHandshakeState({ crypto, initiator: true, staticKey: crypto.generateX25519KeyPair() })
        const responder = new XXHandshakeState({ crypto, initiator: false, staticKey: crypto.generateX25519KeyPair() })
        responder.readMessageA(initiator.writeMessageA(new Uint8Array(0)))
        const b = responder.writeMessageB(new Uint8Array(0))
        b[40] ^= 1
        expect(() => initiator.readMessageB(b)).to.throw().with.property('name', 'InvalidCryptoExchangeError')
      })

      it('fails with InvalidCryptoExchangeError on short messages', () => {
        const responder = new XXHandshakeState({ crypto, initiator: false, staticKey: crypto.generateX25519KeyPair() })
        expect(() => responder.readMessageA(new Uint8Array(31))).to.throw().with.property('name', 'InvalidCryptoExchangeError')
        const initiator = new XXHandshakeState({ crypto, initiator: true, staticKey: crypto.generateX25519KeyPair() })
        initiator.writeMessageA(new Uint8Array(0))
        expect(() => initiator.readMessageB(new Uint8Array(32 + 20).fill(9))).to.throw().with.property('name', 'InvalidCryptoExchangeError')
      })

      it('refuses a low-order (all-zero) ephemeral key from the remote', () => {
        const initiator = new XXHandshakeState({ crypto, initiator: true, staticKey: crypto.generateX25519KeyPair() })
        initiator.writeMessageA(new Uint8Array(0))
        expect(() => initiator.readMessageB(new Uint8Array(32 + 48 + 16))).to.throw().with.property('name', 'InvalidCryptoExchangeError')
      })

      it('refuses to finish before message 3', () => {
        const initiator = new XXHandshakeState({ crypto, initiator: true, staticKey: crypto.generateX25519KeyPair() })
        expect(() => initiator.finish()).to.throw().with.property('name', 'InvalidCryptoExchangeError')
      })
    })
  }

  it('interoperates across backends (node initiator, portable responder and back)', () => {
    for (const [ci, cr] of [[nodeCrypto, portableCrypto], [portableCrypto, nodeCrypto]]) {
      const initiator = new XXHandshakeState({ crypto: ci, initiator: true, staticKey: ci.generateX25519KeyPair() })
      const responder = new XXHandshakeState({ crypto: cr, initiator: false, staticKey: cr.generateX25519KeyPair() })
      responder.readMessageA(initiator.writeMessageA(Uint8Array.of(1)))
      expect([...initiator.readMessageB(responder.writeMessageB(Uint8Array.of(2)))]).to.deep.equal([2])
      expect([...responder.readMessageC(initiator.writeMessageC(Uint8Array.of(3)))]).to.deep.equal([3])
      const i = initiator.finish()
      const r = responder.finish()
      expect(hex(i.handshakeHash)).to.equal(hex(r.handshakeHash))
      expect(hex(decryptOne(r.receive, encryptOne(i.send, Uint8Array.of(4, 5))))).to.equal('0405')
      expect(hex(decryptOne(i.receive, encryptOne(r.send, Uint8Array.of(6))))).to.equal('06')
    }
  })
})
