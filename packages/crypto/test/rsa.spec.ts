import crypto from 'node:crypto'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { nodeBackend } from '../src/backend/node.js'
import { portableBackend } from '../src/backend/portable.js'
import { DER_NULL, encodeBitString, encodeOid, encodeSequence, encodeUnsignedInteger } from '../src/der.js'
import { decodePrivateKeyMessage, decodePublicKeyMessage } from '../src/protobuf.js'
import { OID_RSA_ENCRYPTION, encodeRSAPkcs1, encodeRSAPkix, generateRSAKeyPair, rsaKeyBits, unmarshalRSAPrivateKey, unmarshalRSAPublicKey } from '../src/rsa.js'
import { expectErrorNamed, expectRejectionNamed, fromHex, toHex } from './fixtures/expect-error.js'
import { specVectors } from './fixtures/spec-vectors.js'
import type { RSAPrivateComponents } from '../src/rsa.js'

const specPrivate = decodePrivateKeyMessage(fromHex(specVectors.rsaPrivateKey)).data
const specPublic = decodePublicKeyMessage(fromHex(specVectors.rsaPublicKey)).data
const specKey = unmarshalRSAPrivateKey(specPrivate)
const components = (specKey as any).publicKey.components as { n: bigint, e: bigint }

function privateComponents (): RSAPrivateComponents {
  const jwk = crypto.createPrivateKey({ key: Buffer.from(specPrivate), format: 'der', type: 'pkcs1' }).export({ format: 'jwk' })
  const big = (field: string | undefined): bigint => BigInt('0x' + Buffer.from(field ?? '', 'base64url').toString('hex'))
  return { n: big(jwk.n), e: big(jwk.e), d: big(jwk.d), p: big(jwk.p), q: big(jwk.q), dp: big(jwk.dp), dq: big(jwk.dq), qi: big(jwk.qi) }
}

for (const backend of [nodeBackend, portableBackend]) {
  describe(`rsa (${backend.name} backend)`, () => {
    const key = unmarshalRSAPrivateKey(specPrivate, backend)

    it('signs RSASSA-PKCS1-v1_5 with SHA-256 and verifies', async () => {
      const data = new TextEncoder().encode('rsa data')
      const sig = await key.sign(data)
      expect(sig).to.have.length(512)
      // an independent check with OpenSSL
      const openssl = crypto.createPublicKey({ key: Buffer.from(specPublic), format: 'der', type: 'spki' })
      expect(crypto.verify('sha256', data, { key: openssl, padding: crypto.constants.RSA_PKCS1_PADDING }, sig)).to.equal(true)
      expect(await key.publicKey.verify(data, sig)).to.equal(true)
      expect(await key.publicKey.verify(new Uint8ArrayList(data.subarray(0, 2), data.subarray(2)), sig)).to.equal(true)
      expect(await key.publicKey.verify(Uint8Array.of(1), sig)).to.equal(false)
    })

    it('rejects signatures of the wrong length or content without throwing', async () => {
      const data = Uint8Array.of(1, 2)
      const sig = await key.sign(data)
      expect(await key.publicKey.verify(data, sig.subarray(1))).to.equal(false)
      expect(await key.publicKey.verify(data, new Uint8Array(512))).to.equal(false)
      expect(await key.publicKey.verify(data, new Uint8Array(512).fill(0xff))).to.equal(false)
      expect(await key.publicKey.verify(data, 'x' as any)).to.equal(false)
    })
  })
}

describe('rsa', () => {
  it('reads the spec vector and writes it back byte for byte', () => {
    expect(specKey.raw).to.deep.equal(specPrivate)
    expect(specKey.publicKey.raw).to.deep.equal(specPublic)
    expect(unmarshalRSAPublicKey(specPublic).equals(specKey.publicKey)).to.equal(true)
    expect((specKey.publicKey as any).bits).to.equal(4096)
  })

  it('hashes its peer id with sha2-256', () => {
    const digest = specKey.publicKey.toMultihash()
    expect(digest.code).to.equal(0x12)
    expect(toHex(digest.digest)).to.equal(toHex(crypto.createHash('sha256').update(fromHex(specVectors.rsaPublicKey)).digest()))
    expect(specKey.publicKey.toString()).to.match(/^Qm/)
  })

  it('exposes the JSON Web Keys OpenSSL computes', () => {
    const openssl = crypto.createPrivateKey({ key: Buffer.from(specPrivate), format: 'der', type: 'pkcs1' }).export({ format: 'jwk' })
    expect(specKey.jwk).to.deep.equal(openssl)
    expect(specKey.publicKey.jwk).to.deep.equal({ kty: 'RSA', n: openssl.n, e: openssl.e })
  })

  it('signs identically on both backends, the portable one asynchronously', async () => {
    const portable = unmarshalRSAPrivateKey(specPrivate, portableBackend)
    const pending = portable.sign(Uint8Array.of(3))
    expect(pending).to.be.instanceOf(Promise)
    expect(toHex(await pending)).to.equal(toHex(await specKey.sign(Uint8Array.of(3))))
  })

  it('generates 2048-bit keys by default that read back and sign', async function () {
    this.timeout(30_000)
    const key = await generateRSAKeyPair()
    expect((key.publicKey as any).bits).to.equal(2048)
    expect(unmarshalRSAPrivateKey(key.raw).equals(key)).to.equal(true)
    expect(await key.publicKey.verify(Uint8Array.of(1), await key.sign(Uint8Array.of(1)))).to.equal(true)
  })

  it('checks requested key sizes', async () => {
    expect(rsaKeyBits()).to.equal(2048)
    expect(rsaKeyBits(4096)).to.equal(4096)
    for (const bits of [1024, 2047, 2049, 8200, 2048.5, NaN]) {
      expectErrorNamed(() => rsaKeyBits(bits), 'InvalidParametersError')
    }
    await expectRejectionNamed(async () => generateRSAKeyPair(1024), 'InvalidParametersError')
  })

  describe('refuses', () => {
    it('keys under 2048 bits, as go-libp2p and rust-libp2p do', () => {
      const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
      const pub = publicKey.export({ format: 'der', type: 'spki' })
      expect(expectErrorNamed(() => unmarshalRSAPublicKey(pub), 'InvalidPublicKeyError').message).to.match(/1024 bits, less than the 2048/)
      expectErrorNamed(() => unmarshalRSAPrivateKey(privateKey.export({ format: 'der', type: 'pkcs1' })), 'InvalidPrivateKeyError')
    })

    it('keys over 8192 bits', () => {
      const pub = encodeRSAPkix({ n: 2n ** 8200n + 1n, e: 65537n })
      expect(expectErrorNamed(() => unmarshalRSAPublicKey(pub), 'InvalidPublicKeyError').message).to.match(/8201 bits, more than the 8192/)
    })

    it('even moduli and bad exponents', () => {
      expectErrorNamed(() => unmarshalRSAPublicKey(encodeRSAPkix({ n: components.n + 1n, e: 65537n })), 'InvalidPublicKeyError')
      for (const e of [1n, 2n, 65536n, 2n ** 31n + 1n]) {
        expectErrorNamed(() => unmarshalRSAPublicKey(encodeRSAPkix({ n: components.n, e })), 'InvalidPublicKeyError')
      }
    })

    it('a PKIX key without NULL parameters or of another algorithm', () => {
      const body = encodeBitString(encodeSequence(encodeUnsignedInteger(components.n), encodeUnsignedInteger(components.e)))
      expectErrorNamed(() => unmarshalRSAPublicKey(encodeSequence(encodeSequence(encodeOid(OID_RSA_ENCRYPTION)), body)), 'InvalidPublicKeyError')
      expectErrorNamed(() => unmarshalRSAPublicKey(encodeSequence(encodeSequence(encodeOid(fromHex('2a8648ce3d0201')), DER_NULL), body)), 'InvalidPublicKeyError')
    })

    it('trailing bytes and truncations', () => {
      expectErrorNamed(() => unmarshalRSAPublicKey(Uint8Array.of(...specPublic, 0)), 'InvalidPublicKeyError')
      expectErrorNamed(() => unmarshalRSAPrivateKey(Uint8Array.of(...specPrivate, 0)), 'InvalidPrivateKeyError')
      for (let length = 0; length < specPublic.length; length += 37) {
        expectErrorNamed(() => unmarshalRSAPublicKey(specPublic.subarray(0, length)), 'InvalidPublicKeyError')
      }
      for (let length = 0; length < specPrivate.length; length += 151) {
        expectErrorNamed(() => unmarshalRSAPrivateKey(specPrivate.subarray(0, length)), 'InvalidPrivateKeyError')
      }
    })

    it('private keys whose values disagree', () => {
      const good = privateComponents()
      expect(toHex(encodeRSAPkcs1(good))).to.equal(toHex(specPrivate))
      for (const field of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
        const bad = { ...good, [field]: good[field] + 2n }
        expectErrorNamed(() => unmarshalRSAPrivateKey(encodeRSAPkcs1(bad)), 'InvalidPrivateKeyError')
      }
    })

    it('multi-prime (version 1) private keys', () => {
      const bytes = specPrivate.slice()
      // version INTEGER follows the 4-byte SEQUENCE header
      expect(toHex(bytes.subarray(4, 7))).to.equal('020100')
      bytes[6] = 1
      expect(expectErrorNamed(() => unmarshalRSAPrivateKey(bytes), 'InvalidPrivateKeyError').message).to.match(/version/)
    })
  })

  it('honours an aborted signal', async () => {
    expectErrorNamed(() => specKey.sign(Uint8Array.of(1), { signal: AbortSignal.abort() }), 'AbortError')
    const portable = unmarshalRSAPrivateKey(specPrivate, portableBackend)
    const controller = new AbortController()
    const pending = portable.sign(Uint8Array.of(1), { signal: controller.signal })
    controller.abort()
    await expectRejectionNamed(async () => pending, 'AbortError')
  })
})
