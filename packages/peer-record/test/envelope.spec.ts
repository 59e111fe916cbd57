import { generateKeyPair, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { expect } from 'chai'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_ENVELOPE_SIZE, PEER_RECORD_CODEC } from '../src/constants.js'
import { RecordEnvelope, signaturePayload } from '../src/envelope.js'
import * as pb from '../src/pb/envelope.js'
import type { PrivateKey, Record } from '@ts-libp2p/interface'

const DOMAIN = 'ts-libp2p-test-domain'

class TestRecord implements Record {
  readonly domain: string
  readonly codec = Uint8Array.from([0x2f, 0x74]) // namespace multicodec '/', then 't'
  constructor (readonly data: Uint8Array, domain = DOMAIN) { this.domain = domain }
  marshal (): Uint8Array { return this.data }
  equals (other: Record): boolean { return other instanceof TestRecord && Buffer.compare(other.data, this.data) === 0 }
}

const TYPED = new Set(['InvalidEnvelopeError'])

describe('RecordEnvelope', () => {
  let key: PrivateKey

  before(async () => {
    key = await generateKeyPair('Ed25519')
  })

  it('builds the RFC 0002 signature payload: varint lengths before domain, type and payload', () => {
    const payload = new Uint8Array(200).fill(7)
    const buf = signaturePayload('ab', Uint8Array.from([0x81, 0x06]), payload)
    expect([...buf.subarray(0, 7)]).to.deep.equal([2, 0x61, 0x62, 2, 0x81, 0x06, 0xc8])
    expect(buf[7]).to.equal(0x01) // 200 = 0xc8 0x01 as a varint
    expect(buf.byteLength).to.equal(1 + 2 + 1 + 2 + 2 + 200)
  })

  it('refuses an empty or huge domain', () => {
    expect(() => signaturePayload('', new Uint8Array(), new Uint8Array())).to.throw().with.property('name', 'InvalidParametersError')
    expect(() => signaturePayload('x'.repeat(1000), new Uint8Array(), new Uint8Array())).to.throw().with.property('name', 'InvalidParametersError')
  })

  it('seals a record and opens it again', async () => {
    const record = new TestRecord(Uint8Array.from([1, 2, 3]))
    const envelope = await RecordEnvelope.seal(record, key)
    expect(envelope.publicKey.equals(key.publicKey)).to.equal(true)
    expect(envelope.payload).to.deep.equal(record.data)
    expect(envelope.payloadType).to.deep.equal(record.codec)
    expect(await envelope.validate(DOMAIN)).to.equal(true)

    const opened = await RecordEnvelope.openAndCertify(envelope.marshal(), DOMAIN)
    expect(opened.equals(envelope)).to.equal(true)
    expect(opened.marshal()).to.deep.equal(envelope.marshal())
  })

  it('opens from a Uint8ArrayList', async () => {
    const bytes = (await RecordEnvelope.seal(new TestRecord(Uint8Array.from([9])), key)).marshal()
    const list = new Uint8ArrayList(bytes.subarray(0, 5), bytes.subarray(5))
    const opened = await RecordEnvelope.openAndCertify(list, DOMAIN)
    expect(opened.payload).to.deep.equal(Uint8Array.from([9]))
  })

  it('marshals with the field numbers of the RFC (1, 2, 3, 5)', async () => {
    const envelope = await RecordEnvelope.seal(new TestRecord(Uint8Array.from([1])), key)
    const bytes = envelope.marshal()
    const keyBytes = publicKeyToProtobuf(key.publicKey)
    expect(bytes[0]).to.equal(0x0a) // field 1, length-delimited
    expect(bytes[1]).to.equal(keyBytes.byteLength)
    let offset = 2 + keyBytes.byteLength
    expect(bytes[offset]).to.equal(0x12) // field 2
    offset += 2 + bytes[offset + 1]
    expect(bytes[offset]).to.equal(0x1a) // field 3
    offset += 2 + bytes[offset + 1]
    expect(bytes[offset]).to.equal(0x2a) // field 5
    expect(bytes[offset + 1]).to.equal(64)
  })

  it('fails to open under another domain with InvalidSignatureError', async () => {
    const bytes = (await RecordEnvelope.seal(new TestRecord(Uint8Array.from([1])), key)).marshal()
    const err = await RecordEnvelope.openAndCertify(bytes, 'other-domain').then(() => undefined, (err: Error) => err)
    expect(err).to.have.property('name', 'InvalidSignatureError')
  })

  it('fails to open a tampered payload, payload type or signature', async () => {
    const envelope = await RecordEnvelope.seal(new TestRecord(Uint8Array.from([1, 2, 3])), key)
    const tampered = [
      { ...baseFields(envelope), payload: Uint8Array.from([1, 2, 4]) },
      { ...baseFields(envelope), payloadType: Uint8Array.from([0x03, 0x01]) },
      { ...baseFields(envelope), signature: envelope.signature.map((b, i) => i === 0 ? b ^ 1 : b) },
      { ...baseFields(envelope), signature: envelope.signature.subarray(0, 10) }
    ]
    for (const fields of tampered) {
      const bytes = pb.Envelope.encode(fields).finish()
      const err = await RecordEnvelope.openAndCertify(bytes, DOMAIN).then(() => undefined, (err: Error) => err)
      expect(err).to.have.property('name', 'InvalidSignatureError')
    }
  })

  it('fails to open an envelope signed by another key than the one it carries', async () => {
    const other = await generateKeyPair('Ed25519')
    const envelope = await RecordEnvelope.seal(new TestRecord(Uint8Array.from([1])), key)
    const bytes = pb.Envelope.encode({ ...baseFields(envelope), publicKey: publicKeyToProtobuf(other.publicKey) }).finish()
    const err = await RecordEnvelope.openAndCertify(bytes, DOMAIN).then(() => undefined, (err: Error) => err)
    expect(err).to.have.property('name', 'InvalidSignatureError')
  })

  it('works with every key type', async function () {
    this.timeout(20_000)
    for (const type of ['secp256k1', 'ECDSA', 'RSA'] as const) {
      const k = type === 'RSA' ? await generateKeyPair('RSA', 2048) : await generateKeyPair(type)
      const bytes = (await RecordEnvelope.seal(new TestRecord(Uint8Array.from([5])), k)).marshal()
      const opened = await RecordEnvelope.openAndCertify(bytes, DOMAIN)
      expect(opened.publicKey.equals(k.publicKey), type).to.equal(true)
    }
  })

  it('compares envelopes field by field', async () => {
    const a = await RecordEnvelope.seal(new TestRecord(Uint8Array.from([1])), key)
    const b = RecordEnvelope.createFromProtobuf(a.marshal())
    const c = await RecordEnvelope.seal(new TestRecord(Uint8Array.from([2])), key)
    expect(a.equals(b)).to.equal(true)
    expect(a.equals(c)).to.equal(false)
    expect(a.equals(undefined)).to.equal(false)
  })

  it('refuses an envelope larger than MAX_ENVELOPE_SIZE before parsing', () => {
    expect(() => RecordEnvelope.createFromProtobuf(new Uint8Array(MAX_ENVELOPE_SIZE + 1))).to.throw().with.property('name', 'InvalidEnvelopeError')
  })

  it('refuses an envelope without a valid public key', () => {
    const bytes = pb.Envelope.encode({ publicKey: Uint8Array.from([8, 1, 18, 2, 1, 2]), payloadType: PEER_RECORD_CODEC, payload: new Uint8Array(1), signature: new Uint8Array(64) }).finish()
    expect(() => RecordEnvelope.createFromProtobuf(bytes)).to.throw().with.property('name', 'InvalidEnvelopeError')
    expect(() => RecordEnvelope.createFromProtobuf(new Uint8Array(0))).to.throw().with.property('name', 'InvalidEnvelopeError')
  })

  it('refuses a non-byte input', () => {
    expect(() => RecordEnvelope.createFromProtobuf('abc' as any)).to.throw().with.property('name', 'InvalidEnvelopeError')
  })

  it('seal() refuses a missing key', async () => {
    const err = await RecordEnvelope.seal(new TestRecord(new Uint8Array(1)), undefined as any).then(() => undefined, (err: Error) => err)
    expect(err).to.have.property('name', 'InvalidParametersError')
  })

  it('fails only with InvalidEnvelopeError on truncated envelopes', async () => {
    const bytes = (await RecordEnvelope.seal(new TestRecord(new Uint8Array(20).fill(3)), key)).marshal()
    for (let i = 0; i < bytes.byteLength; i++) {
      try {
        const envelope = RecordEnvelope.createFromProtobuf(bytes.subarray(0, i))
        // a truncation that still parses (a shorter trailing field) cannot carry a valid signature
        expect(await envelope.validate(DOMAIN)).to.equal(false)
      } catch (err: any) {
        expect(err.name, `truncated to ${i}`).to.equal('InvalidEnvelopeError')
      }
    }
  })

  it('fails only with typed errors on garbage (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
      try {
        await RecordEnvelope.openAndCertify(bytes, DOMAIN)
        return false
      } catch (err: any) {
        return TYPED.has(err.name) || err.name === 'InvalidSignatureError'
      }
    }), { numRuns: 300 })
  })

  it('fails only with typed errors on mutated real envelopes (property)', async () => {
    const bytes = (await RecordEnvelope.seal(new TestRecord(new Uint8Array(10).fill(1)), key)).marshal()
    await fc.assert(fc.asyncProperty(fc.nat(bytes.byteLength - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
      const mutated = Uint8Array.from(bytes)
      mutated[at] ^= xor
      try {
        await RecordEnvelope.openAndCertify(mutated, DOMAIN)
        return false
      } catch (err: any) {
        return TYPED.has(err.name) || err.name === 'InvalidSignatureError'
      }
    }), { numRuns: 200 })
  })
})

function baseFields (envelope: RecordEnvelope): pb.Envelope.$Properties {
  return {
    publicKey: publicKeyToProtobuf(envelope.publicKey),
    payloadType: envelope.payloadType,
    payload: envelope.payload,
    signature: envelope.signature
  }
}
