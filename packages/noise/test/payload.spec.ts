import { generateKeyPair, generateKeyPairFromSeed, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import { nodeCrypto } from '../src/crypto-node.js'
import { createHandshakePayload, signedData, verifyHandshakePayload } from '../src/payload.js'
import { NoiseHandshakePayload } from '../src/pb/payload.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const seed = new Uint8Array(32).map((_, i) => i + 1)
const staticSecret = new Uint8Array(32).map((_, i) => 0x40 + i)

async function rejection (p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err: any) {
    return err
  }
  throw new Error('expected a rejection')
}

const STATIC_PUBLIC = '79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a'
const PAYLOAD = '0a240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad0496641240b058b1c1530fe3db9882401dd21fe6992ec3cfa96df5b8f53a26982b6a2d02ab2a73ae265a30163fd2e5f8653a1aa9e81f90fb8e838ab96e9d657a7c81e63b0a220e120c2f79616d75782f312e302e30'

describe('payload', () => {
  it('signs "noise-libp2p-static-key:" followed by the static key', () => {
    const key = new Uint8Array(32).fill(7)
    expect(hex(signedData(key))).to.equal(Buffer.from('noise-libp2p-static-key:').toString('hex') + '07'.repeat(32))
  })

  it('reuses the parsed identity of a key seen before, and still checks every signature', async () => {
    const identity = await generateKeyPair('Ed25519')
    const staticKey = nodeCrypto.generateX25519KeyPair().publicKey
    const payload = await createHandshakePayload(identity, staticKey)
    const first = await verifyHandshakePayload(payload, staticKey)
    const second = await verifyHandshakePayload(payload, staticKey)
    expect(second.remotePeer).to.equal(first.remotePeer)
    expect(second.publicKey).to.equal(first.publicKey)
    expect(first.remotePeer.equals(peerIdFromPrivateKey(identity))).to.equal(true)
    // the same (cached) key with a signature over another static key
    const other = nodeCrypto.generateX25519KeyPair().publicKey
    const err = await rejection(verifyHandshakePayload(payload, other))
    expect(err.name).to.equal('InvalidCryptoExchangeError')
  })

  it('encodes the payload of fixed key material to the bytes the official noise produces', async () => {
    // Ed25519 signatures are deterministic, so the whole payload is. The
    // expected bytes are the output of @chainsafe/libp2p-noise 17's
    // createHandshakePayload for the same seed, static key and muxer list
    // (official-payload.spec.ts re-derives them live).
    const identity = await generateKeyPairFromSeed('Ed25519', seed)
    const staticKey = nodeCrypto.x25519KeyPairFromSecret(staticSecret).publicKey
    expect(hex(staticKey)).to.equal(STATIC_PUBLIC)
    expect(hex(await createHandshakePayload(identity, staticKey, { streamMuxers: ['/yamux/1.0.0'] }))).to.equal(PAYLOAD)
    const remote = await verifyHandshakePayload(Buffer.from(PAYLOAD, 'hex'), staticKey)
    expect(remote.remotePeer.toString()).to.equal(peerIdFromPrivateKey(identity).toString())
  })

  it('verifies a payload signed with fixed key material and returns the identity and extensions', async () => {
    const identity = await generateKeyPairFromSeed('Ed25519', seed)
    const staticKey = nodeCrypto.x25519KeyPairFromSecret(staticSecret).publicKey
    const bytes = await createHandshakePayload(identity, staticKey, { streamMuxers: ['/yamux/1.0.0'], webtransportCerthashes: [Uint8Array.of(1)] })
    const remote = await verifyHandshakePayload(bytes, staticKey, peerIdFromPrivateKey(identity))
    expect(remote.remotePeer.toString()).to.equal(peerIdFromPrivateKey(identity).toString())
    expect(remote.extensions.streamMuxers).to.deep.equal(['/yamux/1.0.0'])
    expect(remote.extensions.webtransportCerthashes.map(hex)).to.deep.equal(['01'])
  })

  it('accepts secp256k1 and ECDSA identities', async () => {
    for (const type of ['secp256k1', 'ECDSA'] as const) {
      const identity = await generateKeyPair(type)
      const staticKey = nodeCrypto.generateX25519KeyPair().publicKey
      const remote = await verifyHandshakePayload(await createHandshakePayload(identity, staticKey), staticKey)
      expect(remote.publicKey.type).to.equal(type)
    }
  })

  it('refuses a signature over another static key', async () => {
    const identity = await generateKeyPairFromSeed('Ed25519', seed)
    const bytes = await createHandshakePayload(identity, nodeCrypto.generateX25519KeyPair().publicKey)
    const err = await rejection(verifyHandshakePayload(bytes, nodeCrypto.generateX25519KeyPair().publicKey))
    expect(err).to.have.property('name', 'InvalidCryptoExchangeError')
    expect(err.message).to.include('does not verify')
  })

  it('refuses a tampered signature', async () => {
    const identity = await generateKeyPairFromSeed('Ed25519', seed)
    const staticKey = nodeCrypto.generateX25519KeyPair().publicKey
    const message = NoiseHandshakePayload.decode(await createHandshakePayload(identity, staticKey))
    message.identitySig[3] ^= 0x10
    const err = await rejection(verifyHandshakePayload(NoiseHandshakePayload.encode(message).finish(), staticKey))
    expect(err).to.have.property('name', 'InvalidCryptoExchangeError')
  })

  it('refuses garbage, missing fields, an unknown key type and a key of the wrong length', async () => {
    const identity = await generateKeyPairFromSeed('Ed25519', seed)
    const staticKey = nodeCrypto.generateX25519KeyPair().publicKey
    const sig = await identity.sign(signedData(staticKey))
    const cases: Array<[Uint8Array, string]> = [
      [Uint8Array.of(0x0a, 0xff, 0xff, 0xff), 'not valid protobuf'],
      [NoiseHandshakePayload.encode({ identitySig: sig }).finish(), 'no identity key'],
      [NoiseHandshakePayload.encode({ identityKey: publicKeyToProtobuf(identity.publicKey) }).finish(), 'no identity signature'],
      // Type 9 is no key type of the peer-ids spec
      [NoiseHandshakePayload.encode({ identityKey: Uint8Array.of(0x08, 0x09, 0x12, 0x01, 0x00), identitySig: sig }).finish(), 'not usable'],
      // an Ed25519 key of 31 bytes
      [NoiseHandshakePayload.encode({ identityKey: Uint8Array.of(0x08, 0x01, 0x12, 31, ...new Uint8Array(31)), identitySig: sig }).finish(), 'not usable']
    ]
    for (const [bytes, message] of cases) {
      const err = await rejection(verifyHandshakePayload(bytes, staticKey))
      expect(err, message).to.have.property('name', 'InvalidCryptoExchangeError')
      expect(err.message).to.include(message)
    }
  })

  it('fails with UnexpectedPeerError for a valid payload of another peer', async () => {
    const identity = await generateKeyPair('Ed25519')
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const staticKey = nodeCrypto.generateX25519KeyPair().publicKey
    const err = await rejection(verifyHandshakePayload(await createHandshakePayload(identity, staticKey), staticKey, other))
    expect(err).to.have.property('name', 'UnexpectedPeerError')
  })

  it('bounds the extensions', async () => {
    const identity = await generateKeyPair('Ed25519')
    const staticKey = nodeCrypto.generateX25519KeyPair().publicKey
    const many = await createHandshakePayload(identity, staticKey, { streamMuxers: Array.from({ length: 65 }, (_, i) => `/m/${i}`) })
    expect(await rejection(verifyHandshakePayload(many, staticKey))).to.have.property('name', 'InvalidCryptoExchangeError')
    const empty = await createHandshakePayload(identity, staticKey, { streamMuxers: [''] })
    expect(await rejection(verifyHandshakePayload(empty, staticKey))).to.have.property('name', 'InvalidCryptoExchangeError')
  })
})
