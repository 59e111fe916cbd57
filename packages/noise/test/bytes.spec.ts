import { expect } from 'chai'
import { EMPTY, concat } from '../src/bytes.js'

describe('bytes', () => {
  it('concat joins parts in order and returns a single part as it is', () => {
    expect([...concat([Uint8Array.of(1, 2), EMPTY, Uint8Array.of(3)])]).to.deep.equal([1, 2, 3])
    const one = Uint8Array.of(9)
    expect(concat([one])).to.equal(one)
    expect(concat([]).byteLength).to.equal(0)
    expect(EMPTY.byteLength).to.equal(0)
  })
})
