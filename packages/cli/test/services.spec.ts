import { expect } from 'chai'
import { cidOf, describeMessage, dhtKey, dhtValue, parseCid } from '../src/services.js'
import { validateCliRecord } from '../src/stack.js'

describe('services', () => {
  it('puts bare DHT keys under /ts-libp2p/ and keeps namespaced ones', () => {
    expect(dhtKey('hello')).to.equal('/ts-libp2p/hello')
    expect(dhtKey('/pk/abc')).to.equal('/pk/abc')
    expect(() => dhtKey('')).to.throw().with.property('name', 'UsageError')
  })

  it('bounds DHT values, in the command and in the namespace validator', () => {
    expect(dhtValue('x')).to.deep.equal(new Uint8Array([120]))
    expect(() => dhtValue('x'.repeat(16 * 1024 + 1))).to.throw(/at most/)
    expect(() => { validateCliRecord(new Uint8Array(), new Uint8Array(16 * 1024 + 1)) }).to.throw(RangeError)
    validateCliRecord(new Uint8Array(), new Uint8Array(16 * 1024))
  })

  it('makes raw CIDv1s of content and parses CIDs', async () => {
    const cid = await cidOf('hello')
    // `ipfs add --cid-version 1 --raw-leaves` of "hello"
    expect(cid.toString()).to.equal('bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq')
    expect(parseCid(cid.toString()).equals(cid)).to.equal(true)
    expect(() => parseCid('nope')).to.throw().with.property('name', 'UsageError')
  })

  it('describes unsigned messages and truncates huge ones', () => {
    const m = describeMessage({ type: 'unsigned', topic: 't', data: new Uint8Array(70 * 1024).fill(97) })
    expect(m.from).to.equal(undefined)
    expect(m.size).to.equal(70 * 1024)
    expect(String(m.data)).to.have.lengthOf(64 * 1024)
  })
})
