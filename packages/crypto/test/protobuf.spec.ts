import { expect } from 'chai'
import fc from 'fast-check'
import protobuf from 'protobufjs/minimal.js'
import * as pb from '../src/pb/keys.js'
import { MAX_PRIVATE_KEY_PROTOBUF_LENGTH, MAX_PUBLIC_KEY_PROTOBUF_LENGTH } from '../src/constants.js'
import { decodePrivateKeyMessage, decodePublicKeyMessage, encodePrivateKeyMessage, encodePublicKeyMessage } from '../src/protobuf.js'
import { expectErrorNamed, fromHex, toHex } from './fixtures/expect-error.js'
import { specVectors } from './fixtures/spec-vectors.js'

describe('protobuf', () => {
  it('uses the generated module, which loads protobufjs/minimal.js as an ES module', () => {
    expect(pb.KeyType).to.deep.include({ RSA: 0, Ed25519: 1, Secp256k1: 2, ECDSA: 3 })
    expect(pb.PublicKey.encode({ Type: pb.KeyType.Ed25519, Data: new Uint8Array(0) })).to.be.instanceOf(protobuf.Writer)
    // its own root, so another package's generated `PublicKey` cannot replace ours
    expect(protobuf.roots['ts-libp2p-crypto-keys']).to.include({ PublicKey: pb.PublicKey, PrivateKey: pb.PrivateKey })
  })

  it('writes both fields in tag order, including Type = RSA = 0', () => {
    expect(toHex(encodePublicKeyMessage('RSA', Uint8Array.of(0xaa)))).to.equal('08001201aa')
    expect(toHex(encodePublicKeyMessage('Ed25519', new Uint8Array(0)))).to.equal('08011200')
    expect(toHex(encodePrivateKeyMessage('secp256k1', Uint8Array.of(1)))).to.equal('0802120101')
    expect(toHex(encodePrivateKeyMessage('ECDSA', Uint8Array.of(1)))).to.equal('0803120101')
  })

  it('returns plain Uint8Arrays, not pooled Buffers', () => {
    const bytes = encodePublicKeyMessage('Ed25519', new Uint8Array(32))
    expect(bytes.constructor).to.equal(Uint8Array)
    expect(bytes.byteOffset).to.equal(0)
    expect(bytes.buffer.byteLength).to.equal(bytes.byteLength)
  })

  it('reads the spec vectors and writes them back unchanged', () => {
    for (const [name, hex] of Object.entries(specVectors)) {
      const isPrivate = name.includes('Private')
      const bytes = fromHex(hex)
      const { type, data } = isPrivate ? decodePrivateKeyMessage(bytes) : decodePublicKeyMessage(bytes)
      const again = isPrivate ? encodePrivateKeyMessage(type, data) : encodePublicKeyMessage(type, data)
      expect(toHex(again), name).to.equal(hex.toLowerCase())
    }
  })

  it('maps the enum to the interface key type names', () => {
    expect(decodePublicKeyMessage(fromHex('08001200')).type).to.equal('RSA')
    expect(decodePublicKeyMessage(fromHex('08011200')).type).to.equal('Ed25519')
    expect(decodePublicKeyMessage(fromHex('08021200')).type).to.equal('secp256k1')
    expect(decodePublicKeyMessage(fromHex('08031200')).type).to.equal('ECDSA')
  })

  it('copies Data out of the input', () => {
    const input = fromHex('0801120101')
    const { data } = decodePublicKeyMessage(input)
    input[4] = 9
    expect(data).to.deep.equal(Uint8Array.of(1))
  })

  describe('refuses', () => {
    const cases: Array<[string, string, string, RegExp?]> = [
      ['an empty message', '', 'InvalidPublicKeyError', /missing required/],
      ['a message without Data', '0801', 'InvalidPublicKeyError', /Data/],
      ['a message without Type', '1200', 'InvalidPublicKeyError', /Type/],
      ['an unknown key type', '08071200', 'UnsupportedKeyTypeError', /Unknown key type 7/],
      ['a large unknown key type', '08ff011200', 'UnsupportedKeyTypeError', /Unknown key type 255/],
      ['an extra field', '080112001a00', 'InvalidPublicKeyError', /deterministic/],
      ['a repeated Data field', '0801120012020102', 'InvalidPublicKeyError', /deterministic/],
      ['fields out of tag order', '12000801', 'InvalidPublicKeyError', /deterministic/],
      ['a padded varint Type', '0881001200', 'InvalidPublicKeyError', /deterministic/],
      ['a padded length', '0801128000', 'InvalidPublicKeyError', /deterministic/],
      ['Data longer than the message', '08011205aabb', 'InvalidPublicKeyError', /Malformed/],
      ['a truncated varint', '0880', 'InvalidPublicKeyError', /Malformed/],
      ['a wrong wire type for Type', '0d000000001200', 'InvalidPublicKeyError'],
      ['an invalid wire type', '0f', 'InvalidPublicKeyError', /Malformed/],
      ['an unterminated group', '0b', 'InvalidPublicKeyError', /Malformed/]
    ]
    for (const [what, hex, name, message] of cases) {
      it(what, () => {
        const err = expectErrorNamed(() => decodePublicKeyMessage(fromHex(hex)), name)
        if (message != null) expect(err.message).to.match(message)
      })
    }

    it('oversized messages before parsing them', () => {
      const big = new Uint8Array(MAX_PUBLIC_KEY_PROTOBUF_LENGTH + 1)
      expect(expectErrorNamed(() => decodePublicKeyMessage(big), 'InvalidPublicKeyError').message).to.match(/more than/)
      const bigPrivate = new Uint8Array(MAX_PRIVATE_KEY_PROTOBUF_LENGTH + 1)
      expectErrorNamed(() => decodePrivateKeyMessage(bigPrivate), 'InvalidPrivateKeyError')
    })

    it('things that are not bytes', () => {
      expectErrorNamed(() => decodePublicKeyMessage('0801' as any), 'InvalidPublicKeyError')
      expectErrorNamed(() => decodePublicKeyMessage(undefined as any), 'InvalidPublicKeyError')
      expectErrorNamed(() => decodePrivateKeyMessage([8, 1] as any), 'InvalidPrivateKeyError')
    })

    it('private key messages with the private key error', () => {
      expectErrorNamed(() => decodePrivateKeyMessage(fromHex('0801')), 'InvalidPrivateKeyError')
      expectErrorNamed(() => decodePrivateKeyMessage(fromHex('08091200')), 'UnsupportedKeyTypeError')
    })

    it('unknown key types on encode', () => {
      expectErrorNamed(() => encodePublicKeyMessage('Dilithium' as any, new Uint8Array(1)), 'UnsupportedKeyTypeError')
    })
  })

  it('only ever throws typed errors for random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        const { type, data } = decodePublicKeyMessage(bytes)
        // whatever was accepted must be the canonical encoding
        expect(encodePublicKeyMessage(type, data)).to.deep.equal(bytes)
      } catch (err: any) {
        expect(['InvalidPublicKeyError', 'UnsupportedKeyTypeError']).to.include(err.name)
      }
    }), { numRuns: 2000 })
  })
})
