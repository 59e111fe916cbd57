import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes } from '../src/index.js'

describe('fuzz harness', () => {
  it('chunked splits at the cuts and loses no byte', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
      const parts = chunked(bytes, cuts)
      expect(Buffer.concat(parts).equals(Buffer.from(bytes))).to.equal(true)
      for (const part of parts) expect(part.byteLength).to.be.above(0)
    }), params(100))
  })

  it('expectTyped lets only the allowed names through', () => {
    expect(() => { expectTyped({ name: 'InvalidMessageError' }, ['InvalidMessageError']) }).to.not.throw()
    expect(() => { expectTyped(new TypeError('x'), ['InvalidMessageError']) }).to.throw(/untyped or unexpected error TypeError/)
  })

  it('peerBytes draws the seeds as they are, mutated, and random bytes', () => {
    const seed = Uint8Array.from([1, 2, 3, 4])
    const drawn = fc.sample(peerBytes([seed], 16), { numRuns: 300, seed: 1 })
    expect(drawn.some(b => Buffer.from(b).equals(Buffer.from(seed)))).to.equal(true)
    expect(drawn.some(b => !Buffer.from(b).equals(Buffer.from(seed)))).to.equal(true)
    expect(fc.sample(peerBytes([], 16), { numRuns: 100, seed: 1 }).every(b => b.byteLength <= 16)).to.equal(true)
  })

  it('corpus reads the repository seed corpus, and nothing for an unknown target', () => {
    expect(corpus('identify').length).to.be.above(0)
    expect(corpus('no-such-target')).to.deep.equal([])
  })
})
