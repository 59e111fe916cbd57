import { generateKeyPair, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { StrictNoSign, StrictSign } from '@ts-libp2p/interface'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import { SIGN_PREFIX_BYTES } from '../src/constants.js'
import { decodeRpc } from '../src/pb/decode.js'
import { encodeRpc, encodeSignable } from '../src/pb/rpc.js'
import { SeqnoGenerator, buildMessage, checkSignaturePolicy, inspectMessage, seqnoFromBytes, seqnoToBytes, verifySignature } from '../src/sign.js'
import type { RPCMessage } from '../src/pb/rpc.js'

const data = new TextEncoder().encode('banana')

describe('sign', () => {
  it('seqno bytes are 8 bytes big-endian and round-trip', () => {
    expect([...seqnoToBytes(0x0102030405060708n)]).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8])
    expect(seqnoFromBytes(seqnoToBytes(2n ** 64n - 1n))).to.equal(2n ** 64n - 1n)
    expect(() => seqnoFromBytes(new Uint8Array(7))).to.throw(RangeError)
  })

  it('SeqnoGenerator increases by one', () => {
    const gen = new SeqnoGenerator(41n)
    expect(seqnoFromBytes(gen.next())).to.equal(41n)
    expect(seqnoFromBytes(gen.next())).to.equal(42n)
    const clock = new SeqnoGenerator()
    expect(Number(seqnoFromBytes(clock.next()))).to.be.greaterThan(Number(BigInt(Date.now() - 1000) * 1_000_000n))
  })

  for (const type of ['Ed25519', 'secp256k1', 'ECDSA'] as const) {
    it(`StrictSign with ${type}: signs, survives the wire and verifies`, async () => {
      const key = await generateKeyPair(type)
      const peerId = peerIdFromPrivateKey(key)
      const message = await buildMessage({ policy: StrictSign, topic: 't', data, privateKey: key })
      expect(message.from).to.deep.equal(peerId.toMultihash().bytes)
      expect(message.seqno).to.have.length(8)
      // the key travels only when the peer id does not inline it
      expect(message.key != null).to.equal(peerId.toMultihash().code !== 0x00)
      const decoded = decodeRpc(encodeRpc({ subscriptions: [], messages: [message] })).messages[0]
      const check = await checkSignaturePolicy(decoded, StrictSign)
      expect(check.valid).to.equal(true)
      if (!check.valid || check.message.type !== 'signed') throw new Error('unreachable')
      expect(check.message.from.equals(peerId)).to.equal(true)
      expect(check.message.data).to.deep.equal(data)
      expect(check.message.sequenceNumber).to.equal(seqnoFromBytes(message.seqno!))
    })
  }

  it('StrictSign with RSA: the key travels in `key` and must match `from`', async function () {
    this.timeout(10_000)
    const key = await generateKeyPair('RSA', 2048)
    const message = await buildMessage({ policy: StrictSign, topic: 't', data, privateKey: key })
    expect(message.key).to.deep.equal(publicKeyToProtobuf(key.publicKey))
    const decoded = decodeRpc(encodeRpc({ subscriptions: [], messages: [message] })).messages[0]
    expect((await checkSignaturePolicy(decoded, StrictSign)).valid).to.equal(true)
    // without the key an RSA author cannot be verified
    expect(inspectMessage({ ...message, raw: undefined, key: undefined }, StrictSign)).to.deep.equal({ valid: false, reason: 'missing-key' })
    // a key that is not a key
    expect(inspectMessage({ ...message, raw: undefined, key: Uint8Array.of(1, 2, 3) }, StrictSign)).to.deep.equal({ valid: false, reason: 'invalid-key' })
  })

  it('the signature covers the libp2p-pubsub: prefix and the message without signature and key', async () => {
    const key = await generateKeyPair('Ed25519')
    const message = await buildMessage({ policy: StrictSign, topic: 't', data, privateKey: key })
    const signable = encodeSignable(SIGN_PREFIX_BYTES, message)
    expect(new TextDecoder().decode(signable.subarray(0, 14))).to.equal('libp2p-pubsub:')
    expect(await key.publicKey.verify(signable, message.signature!)).to.equal(true)
  })

  it('rejects a tampered message, a wrong key and missing fields under StrictSign', async () => {
    const key = await generateKeyPair('Ed25519')
    const other = await generateKeyPair('Ed25519')
    const message = await buildMessage({ policy: StrictSign, topic: 't', data, privateKey: key })
    const tampered: RPCMessage = { ...message, raw: undefined, data: new TextEncoder().encode('apple') }
    expect(await checkSignaturePolicy(tampered, StrictSign)).to.deep.equal({ valid: false, reason: 'invalid-signature' })
    const wrongKey: RPCMessage = { ...message, raw: undefined, key: publicKeyToProtobuf(other.publicKey) }
    expect(await checkSignaturePolicy(wrongKey, StrictSign)).to.deep.equal({ valid: false, reason: 'invalid-key' })
    expect(inspectMessage({ ...message, raw: undefined, signature: undefined }, StrictSign)).to.deep.equal({ valid: false, reason: 'missing-fields' })
    expect(inspectMessage({ ...message, raw: undefined, seqno: new Uint8Array(4) }, StrictSign)).to.deep.equal({ valid: false, reason: 'invalid-seqno' })
    expect(inspectMessage({ ...message, raw: undefined, from: new Uint8Array([1, 2, 3]) }, StrictSign)).to.deep.equal({ valid: false, reason: 'invalid-peer-id' })
    expect(await verifySignature({ ...message, raw: undefined, signature: new Uint8Array(64) }, key.publicKey)).to.equal(false)
  })

  it('StrictNoSign builds bare messages and rejects any origin field', async () => {
    const message = await buildMessage({ policy: StrictNoSign, topic: 't', data })
    expect(message).to.have.keys('topic', 'data', 'raw')
    const check = await checkSignaturePolicy(message, StrictNoSign)
    expect(check).to.deep.equal({ valid: true, message: { type: 'unsigned', topic: 't', data } })
    for (const field of ['from', 'seqno', 'signature', 'key'] as const) {
      expect(inspectMessage({ topic: 't', data, [field]: new Uint8Array(1) }, StrictNoSign)).to.deep.equal({ valid: false, reason: 'unexpected-fields' })
    }
    // a signed message is not acceptable under StrictNoSign, nor an unsigned one under StrictSign
    const key = await generateKeyPair('Ed25519')
    const signed = await buildMessage({ policy: StrictSign, topic: 't', data, privateKey: key })
    expect(inspectMessage(signed, StrictNoSign).valid).to.equal(false)
    expect(inspectMessage(message, StrictSign)).to.deep.equal({ valid: false, reason: 'missing-fields' })
  })

  it('StrictSign without a private key is a MessageSigningError', async () => {
    const err = await buildMessage({ policy: StrictSign, topic: 't', data }).catch(e => e)
    expect(err).to.have.property('name', 'MessageSigningError')
  })
})
