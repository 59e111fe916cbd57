import { generateKeyPair, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { expect } from 'chai'
import { RecordValidation, namespaceOf, publicKeyValidator } from '../src/records.js'
import { ipnsKey, ipnsRecord } from './ipns-fixtures.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('record validation', () => {
  it('finds the namespace of a key', () => {
    expect(namespaceOf(enc('/pk/abc'))).to.equal('pk')
    expect(namespaceOf(enc('/ipns/x'))).to.equal('ipns')
    expect(namespaceOf(enc('pk/abc'))).to.equal(undefined)
    expect(namespaceOf(enc('//abc'))).to.equal(undefined)
    expect(namespaceOf(enc('/nothing'))).to.equal(undefined)
  })

  it('/pk/ accepts the key whose multihash is the key, and nothing else', async () => {
    const key = await generateKeyPair('Ed25519')
    const other = await generateKeyPair('Ed25519')
    const pkKey = new Uint8Array([...enc('/pk/'), ...key.publicKey.toMultihash().bytes])
    publicKeyValidator(pkKey, publicKeyToProtobuf(key.publicKey))
    expect(() => publicKeyValidator(pkKey, publicKeyToProtobuf(other.publicKey))).to.throw().with.property('name', 'InvalidRecordError')
    expect(() => publicKeyValidator(pkKey, enc('not a key'))).to.throw().with.property('name', 'InvalidRecordError')
  })

  it('rejects keys without a registered namespace with MissingValidatorError', async () => {
    const v = new RecordValidation()
    for (const k of ['/unknown/x', 'plain']) {
      const err = await v.validate(enc(k), enc('v')).then(() => undefined, (e) => e)
      expect(err?.name).to.equal('MissingValidatorError')
    }
  })

  it('runs user validators and selectors, wrapping their errors', async () => {
    const v = new RecordValidation({ num: (_k, value) => { if (value.length !== 1) throw new Error('one byte please') } }, { num: (_k, values) => values.reduce((best, x, i) => x[0] > values[best][0] ? i : best, 0) })
    await v.validate(enc('/num/a'), Uint8Array.of(3))
    const err = await v.validate(enc('/num/a'), Uint8Array.of(1, 2)).then(() => undefined, (e) => e)
    expect(err?.name).to.equal('InvalidRecordError')
    expect(err.message).to.include('one byte please')
    expect(v.select(enc('/num/a'), [Uint8Array.of(1), Uint8Array.of(9), Uint8Array.of(4)])).to.equal(1)
    expect(v.select(enc('/other/a'), [Uint8Array.of(1), Uint8Array.of(9)])).to.equal(0)
  })

  it('ignores a selector answer out of range', () => {
    const v = new RecordValidation({}, { bad: () => 7 })
    expect(v.select(enc('/bad/x'), [Uint8Array.of(1), Uint8Array.of(2)])).to.equal(0)
  })

  it('validates /ipns/ keys with the IPNS rules', async () => {
    const v = new RecordValidation()
    const key = await generateKeyPair('Ed25519')
    await v.validate(ipnsKey(key), await ipnsRecord(key))
    const err = await v.validate(ipnsKey(key), await ipnsRecord(key, { validity: '2000-01-01T00:00:00Z' })).then(() => undefined, (e) => e)
    expect(err?.name).to.equal('InvalidRecordError')
  })
})
