import { generateKeyPair } from '@ts-libp2p/crypto'
import { expect } from 'chai'
import { MAX_IPNS_RECORD_SIZE, decodeIpnsEntry, ipnsSelector, parseValidity, validateIpnsRecord } from '../src/ipns.js'
import { ipnsKey, ipnsRecord } from './ipns-fixtures.js'
import type { PrivateKey } from '@ts-libp2p/interface'

describe('IPNS records', () => {
  it('accepts a record signed by the name\'s key (identity multihash, no pubKey field)', async () => {
    const key = await generateKeyPair('Ed25519')
    const record = await ipnsRecord(key)
    await validateIpnsRecord(ipnsKey(key), record)
    expect(decodeIpnsEntry(record).sequence).to.equal(1n)
  })

  it('accepts a record carrying its pubKey', async () => {
    const key = await generateKeyPair('Ed25519')
    await validateIpnsRecord(ipnsKey(key), await ipnsRecord(key, { withPubKey: true }))
  })

  const bad: Array<[string, (key: PrivateKey, other: PrivateKey) => Promise<Uint8Array>, RegExp]> = [
    ['signed by another key', async (key, other) => await ipnsRecord(key, { signWith: other }), /does not verify/],
    ['expired', async (key) => await ipnsRecord(key, { validity: '2001-01-01T00:00:00.000000000Z' }), /expired/],
    ['V1 value disagreeing with the signed data', async (key) => await ipnsRecord(key, { v1Value: '/ipfs/other' }), /disagree/],
    ['without signatureV2', async (key) => await ipnsRecord(key, { noV2: true }), /signatureV2/],
    ['over 10 KiB', async (key) => await ipnsRecord(key, { padding: MAX_IPNS_RECORD_SIZE }), /over/]
  ]
  for (const [name, make, message] of bad) {
    it(`rejects a record ${name} with InvalidRecordError`, async () => {
      const key = await generateKeyPair('Ed25519')
      const other = await generateKeyPair('Ed25519')
      const err = await validateIpnsRecord(ipnsKey(key), await make(key, other)).then(() => undefined, (e) => e)
      expect(err?.name).to.equal('InvalidRecordError')
      expect(err.message).to.match(message)
    })
  }

  it('rejects a record for another name, and garbage', async () => {
    const key = await generateKeyPair('Ed25519')
    const other = await generateKeyPair('Ed25519')
    const err = await validateIpnsRecord(ipnsKey(other), await ipnsRecord(key)).then(() => undefined, (e) => e)
    expect(err?.name).to.equal('InvalidRecordError')
    const garbage = await validateIpnsRecord(ipnsKey(key), Uint8Array.of(0xff, 0xff, 0xff)).then(() => undefined, (e) => e)
    expect(garbage?.name).to.equal('InvalidRecordError')
  })

  it('selects the highest sequence, then the later validity', async () => {
    const key = await generateKeyPair('Ed25519')
    const r1 = await ipnsRecord(key, { sequence: 1 })
    const r2 = await ipnsRecord(key, { sequence: 2 })
    const r2later = await ipnsRecord(key, { sequence: 2, validity: new Date(Date.now() + 7_200_000).toISOString() })
    expect(ipnsSelector(ipnsKey(key), [r1, r2])).to.equal(1)
    expect(ipnsSelector(ipnsKey(key), [r2, r1])).to.equal(0)
    expect(ipnsSelector(ipnsKey(key), [r2, r2later, r1])).to.equal(1)
  })

  it('parses RFC 3339 validity with nanoseconds', () => {
    expect(parseValidity(new TextEncoder().encode('2030-01-02T03:04:05.123456789Z'))).to.equal(Date.UTC(2030, 0, 2, 3, 4, 5, 123))
    expect(() => parseValidity(new TextEncoder().encode('tomorrow'))).to.throw().with.property('name', 'InvalidRecordError')
  })
})
