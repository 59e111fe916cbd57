import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { nodeBackend } from '../../src/backend/node.js'
import { portableBackend } from '../../src/backend/portable.js'
import { rsaPrivateKeyFromJwk, unmarshalRSAPrivateKey } from '../../src/rsa.js'
import { fromHex, toHex } from '../fixtures/expect-error.js'
import { specVectors } from '../fixtures/spec-vectors.js'
import { backendConformance } from './conformance.js'
import { decodePrivateKeyMessage } from '../../src/protobuf.js'
import type { RSAJsonWebKey } from '../../src/backend/interface.js'

describe('backend/portable', () => {
  backendConformance(portableBackend)

  describe('gives the same results as node:crypto', () => {
    it('for SHA-256 of many lengths', () => {
      for (let length = 0; length < 300; length += 7) {
        const data = nodeBackend.randomBytes(length)
        expect(toHex(portableBackend.sha256(data))).to.equal(toHex(nodeBackend.sha256(data)))
      }
    })

    it('for Ed25519 keys and signatures (deterministic, so byte-identical)', () => {
      for (let i = 0; i < 20; i++) {
        const seed = nodeBackend.randomBytes(32)
        const publicKey = nodeBackend.ed25519.publicKeyFromSeed(seed)
        expect(toHex(portableBackend.ed25519.publicKeyFromSeed(seed))).to.equal(toHex(publicKey))
        const message = nodeBackend.randomBytes(i * 13)
        const signature = nodeBackend.ed25519.createSigner(seed, publicKey)(message)
        expect(toHex(portableBackend.ed25519.createSigner(seed, publicKey)(message))).to.equal(toHex(signature))
        expect(portableBackend.ed25519.createVerifier(publicKey)(message, signature)).to.equal(true)
      }
    })

    it('for P-256 public points, and each verifies the other\'s signatures (ECDSA signatures are randomised)', () => {
      for (let i = 0; i < 10; i++) {
        const d = nodeBackend.randomBytes(32)
        d[0] &= 0x7f // below the group order
        const point = nodeBackend.p256.publicKeyFromPrivate(d)
        expect(toHex(portableBackend.p256.publicKeyFromPrivate(d))).to.equal(toHex(point))
        const message = new Uint8ArrayList(nodeBackend.randomBytes(10), nodeBackend.randomBytes(20))
        const fromNode = nodeBackend.p256.createSigner(d, point)(message)
        const fromPortable = portableBackend.p256.createSigner(d, point)(message)
        expect(portableBackend.p256.createVerifier(point)(message, fromNode)).to.equal(true)
        expect(nodeBackend.p256.createVerifier(point)(message, fromPortable)).to.equal(true)
      }
    })

    it('for RSA PKCS#1 v1.5 signatures (deterministic, so byte-identical)', async () => {
      const key = unmarshalRSAPrivateKey(decodePrivateKeyMessage(fromHex(specVectors.rsaPrivateKey)).data)
      const jwk = key.jwk as RSAJsonWebKey
      const message = new Uint8ArrayList(Uint8Array.of(1, 2, 3), Uint8Array.of(4))
      const fromNode = await nodeBackend.rsa.createSigner(jwk)(message)
      const fromPortable = await portableBackend.rsa.createSigner(jwk)(message)
      expect(toHex(fromPortable)).to.equal(toHex(fromNode))
      expect(await nodeBackend.rsa.createVerifier(jwk)(message, fromPortable)).to.equal(true)
      expect(await portableBackend.rsa.createVerifier(jwk)(message, fromNode)).to.equal(true)
      expect(await portableBackend.rsa.createVerifier(jwk)(Uint8Array.of(9), fromNode)).to.equal(false)
      expect(await portableBackend.rsa.createVerifier(jwk)(message, new Uint8Array(3))).to.equal(false)
    })

    it('for RSA key generation (WebCrypto keys load and sign with node:crypto)', async function () {
      this.timeout(30_000)
      const jwk = await portableBackend.rsa.generate(2048)
      const key = rsaPrivateKeyFromJwk(jwk, portableBackend)
      expect(key.publicKey.bits).to.equal(2048)
      const signature = await portableBackend.rsa.createSigner(jwk)(Uint8Array.of(7))
      expect(await nodeBackend.rsa.createVerifier(jwk)(Uint8Array.of(7), signature)).to.equal(true)
    })
  })
})
