import crypto from 'node:crypto'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { nodeBackend } from '../src/backend/node.js'
import { portableBackend } from '../src/backend/portable.js'
import { DER_NULL, TAG_CONTEXT_0, TAG_CONTEXT_1, encodeBitString, encodeElement, encodeOctetString, encodeOid, encodeSequence, encodeUnsignedInteger } from '../src/der.js'
import { OID_EC_PUBLIC_KEY, generateECDSAKeyPair, unmarshalECDSAPrivateKey, unmarshalECDSAPublicKey } from '../src/ecdsa.js'
import { decodePrivateKeyMessage, decodePublicKeyMessage } from '../src/protobuf.js'
import { P256_KEY } from './backend/conformance.js'
import { expectErrorNamed, fromHex, toHex } from './fixtures/expect-error.js'
import { specVectors } from './fixtures/spec-vectors.js'

const specPrivate = decodePrivateKeyMessage(fromHex(specVectors.ecdsaPrivateKey)).data
const specPublic = decodePublicKeyMessage(fromHex(specVectors.ecdsaPublicKey)).data
const OID_P256 = fromHex('2a8648ce3d030107')
const OID_P384 = fromHex('2b81040022')
const OID_RSA = fromHex('2a864886f70d010101')
const POINT = fromHex('04' + P256_KEY.x + P256_KEY.y)
const D = fromHex(P256_KEY.d)

function spki (point: Uint8Array, curve: Uint8Array = OID_P256, algorithm: Uint8Array = OID_EC_PUBLIC_KEY): Uint8Array {
  return encodeSequence(encodeSequence(encodeOid(algorithm), encodeOid(curve)), encodeBitString(point))
}

function sec1 (d: Uint8Array, options: { version?: bigint, curve?: Uint8Array | null, point?: Uint8Array | null } = {}): Uint8Array {
  const parts = [encodeUnsignedInteger(options.version ?? 1n), encodeOctetString(d)]
  if (options.curve !== null) parts.push(encodeElement(TAG_CONTEXT_0, encodeOid(options.curve ?? OID_P256)))
  if (options.point !== null) parts.push(encodeElement(TAG_CONTEXT_1, encodeBitString(options.point ?? POINT)))
  return encodeSequence(...parts)
}

for (const backend of [nodeBackend, portableBackend]) {
  describe(`ecdsa (${backend.name} backend)`, () => {
    it('reads the spec vector: the public key is derived from the private key', () => {
      const key = unmarshalECDSAPrivateKey(specPrivate, backend)
      expect(key.raw).to.deep.equal(specPrivate)
      expect(key.publicKey.raw).to.deep.equal(specPublic)
      expect(unmarshalECDSAPublicKey(specPublic, backend).equals(key.publicKey)).to.equal(true)
    })

    it('signs DER ECDSA over SHA-256 and verifies, whole or chunked', () => {
      const key = generateECDSAKeyPair(backend)
      const data = new TextEncoder().encode('ecdsa data')
      const sig = key.sign(data)
      expect(sig[0]).to.equal(0x30)
      // an independent check with OpenSSL: ECDSA P-256 / SHA-256 over the data
      const openssl = crypto.createPublicKey({ key: Buffer.from(key.publicKey.raw), format: 'der', type: 'spki' })
      expect(crypto.verify('sha256', data, openssl, sig)).to.equal(true)
      expect(key.publicKey.verify(data, sig)).to.equal(true)
      expect(key.publicKey.verify(new Uint8ArrayList(data.subarray(0, 1), data.subarray(1)), sig)).to.equal(true)
      expect(key.publicKey.verify(Uint8Array.of(0), sig)).to.equal(false)
      expect(key.publicKey.verify(data, sig.subarray(2))).to.equal(false)
      expect(key.publicKey.verify(data, new Uint8Array(100))).to.equal(false)
      expect(key.publicKey.verify(data, {} as any)).to.equal(false)
    })

    it('verifies signatures made by OpenSSL (random k, high or low S)', () => {
      const key = unmarshalECDSAPrivateKey(sec1(D), backend)
      const openssl = crypto.createPrivateKey({ key: Buffer.from(key.raw), format: 'der', type: 'sec1' })
      for (let i = 0; i < 8; i++) {
        const data = crypto.randomBytes(20)
        expect(key.publicKey.verify(data, crypto.sign('sha256', data, openssl))).to.equal(true)
      }
    })
  })
}

describe('ecdsa', () => {
  it('writes keys exactly as OpenSSL (and go\'s crypto/x509) does', () => {
    const key = generateECDSAKeyPair()
    const openssl = crypto.createPrivateKey({ key: Buffer.from(key.raw), format: 'der', type: 'sec1' })
    expect(toHex(key.raw)).to.equal(toHex(openssl.export({ format: 'der', type: 'sec1' })))
    expect(toHex(key.publicKey.raw)).to.equal(toHex(crypto.createPublicKey(openssl).export({ format: 'der', type: 'spki' })))
  })

  it('hashes its peer id with sha2-256: a P-256 key encodes to 95 bytes, over the 42-byte inline limit', () => {
    const key = unmarshalECDSAPublicKey(specPublic)
    expect(specPublic).to.have.length(91)
    const digest = key.toMultihash()
    expect(digest.code).to.equal(0x12)
    expect(toHex(digest.digest)).to.equal(toHex(crypto.createHash('sha256').update(fromHex(specVectors.ecdsaPublicKey)).digest()))
    expect(key.toString()).to.equal('QmVMT29id3TUASyfZZ6k9hmNyc2nYabCo4uMSpDw4zrgDk')
    expect(key.toCID().multihash.code).to.equal(0x12)
  })

  it('exposes JSON Web Keys', () => {
    const key = unmarshalECDSAPrivateKey(sec1(D))
    expect(key.publicKey.jwk).to.deep.equal({ kty: 'EC', crv: 'P-256', x: Buffer.from(P256_KEY.x, 'hex').toString('base64url'), y: Buffer.from(P256_KEY.y, 'hex').toString('base64url') })
    expect(key.jwk.d).to.equal(Buffer.from(P256_KEY.d, 'hex').toString('base64url'))
  })

  it('reads a private key without its public key and writes it back with it', () => {
    const key = unmarshalECDSAPrivateKey(sec1(D, { point: null }))
    expect(key.raw).to.deep.equal(sec1(D))
  })

  it('reads a short private scalar and pads it to 32 bytes', () => {
    const d = new Uint8Array(32)
    d[31] = 7
    const key = unmarshalECDSAPrivateKey(sec1(d.subarray(31), { point: null }))
    expect(key.raw).to.deep.equal(unmarshalECDSAPrivateKey(sec1(d, { point: null })).raw)
  })

  describe('refuses', () => {
    it('compressed points, which go-libp2p cannot read', () => {
      const compressed = Uint8Array.of((POINT[64] & 1) === 1 ? 0x03 : 0x02, ...POINT.subarray(1, 33))
      const err = expectErrorNamed(() => unmarshalECDSAPublicKey(spki(compressed)), 'InvalidPublicKeyError')
      expect(err.message).to.match(/uncompressed/)
    })

    it('points that are not on the curve', () => {
      const bad = POINT.slice()
      bad[64] ^= 1
      expect(expectErrorNamed(() => unmarshalECDSAPublicKey(spki(bad)), 'InvalidPublicKeyError').message).to.match(/not on the curve/)
      expectErrorNamed(() => unmarshalECDSAPublicKey(spki(new Uint8Array(65).fill(0, 1).fill(4, 0, 1))), 'InvalidPublicKeyError')
    })

    it('other curves, as unsupported', () => {
      const err = expectErrorNamed(() => unmarshalECDSAPublicKey(spki(POINT, OID_P384)), 'UnsupportedKeyTypeError')
      expect(err.message).to.match(/P-384/)
      expectErrorNamed(() => unmarshalECDSAPrivateKey(sec1(D, { curve: OID_P384 })), 'UnsupportedKeyTypeError')
    })

    it('a key of another algorithm', () => {
      const rsaLike = encodeSequence(encodeSequence(encodeOid(OID_RSA), DER_NULL), encodeBitString(POINT))
      expectErrorNamed(() => unmarshalECDSAPublicKey(rsaLike), 'InvalidPublicKeyError')
      expectErrorNamed(() => unmarshalECDSAPublicKey(spki(POINT, OID_P256, OID_RSA)), 'InvalidPublicKeyError')
    })

    it('trailing bytes and truncations', () => {
      expectErrorNamed(() => unmarshalECDSAPublicKey(Uint8Array.of(...specPublic, 0)), 'InvalidPublicKeyError')
      for (let length = 0; length < specPublic.length; length += 9) {
        expectErrorNamed(() => unmarshalECDSAPublicKey(specPublic.subarray(0, length)), 'InvalidPublicKeyError')
      }
      for (let length = 0; length < specPrivate.length; length += 9) {
        expectErrorNamed(() => unmarshalECDSAPrivateKey(specPrivate.subarray(0, length)), 'InvalidPrivateKeyError')
      }
    })

    it('private scalars out of range', () => {
      expectErrorNamed(() => unmarshalECDSAPrivateKey(sec1(new Uint8Array(32), { point: null })), 'InvalidPrivateKeyError')
      const order = fromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')
      expectErrorNamed(() => unmarshalECDSAPrivateKey(sec1(order, { point: null })), 'InvalidPrivateKeyError')
      expectErrorNamed(() => unmarshalECDSAPrivateKey(sec1(new Uint8Array(33).fill(1), { point: null })), 'InvalidPrivateKeyError')
    })

    it('a private key whose public key does not match', () => {
      const other = generateECDSAKeyPair().publicKey.point
      expect(expectErrorNamed(() => unmarshalECDSAPrivateKey(sec1(D, { point: other })), 'InvalidPrivateKeyError').message).to.match(/does not derive/)
    })

    it('a private key without curve parameters or with another version', () => {
      expectErrorNamed(() => unmarshalECDSAPrivateKey(sec1(D, { curve: null })), 'InvalidPrivateKeyError')
      expectErrorNamed(() => unmarshalECDSAPrivateKey(sec1(D, { version: 2n })), 'InvalidPrivateKeyError')
    })
  })

  it('honours an aborted signal', () => {
    const key = generateECDSAKeyPair()
    expectErrorNamed(() => key.sign(Uint8Array.of(1), { signal: AbortSignal.abort() }), 'AbortError')
    expectErrorNamed(() => key.publicKey.verify(Uint8Array.of(1), new Uint8Array(64), { signal: AbortSignal.abort() }), 'AbortError')
  })
})
