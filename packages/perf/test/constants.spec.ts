import { expect } from 'chai'
import { HEADER_LENGTH, MAX_DOWNLOAD_BYTES, MAX_UINT64, PROTOCOL, WRITE_BLOCK_SIZE } from '../src/constants.js'

describe('constants', () => {
  it('match the spec', () => {
    expect(PROTOCOL).to.equal('/perf/1.0.0')
    expect(HEADER_LENGTH).to.equal(8)
    expect(MAX_UINT64).to.equal(18446744073709551615n)
    expect(MAX_DOWNLOAD_BYTES).to.be.lessThan(Number(MAX_UINT64))
    expect(WRITE_BLOCK_SIZE).to.equal(65536)
  })
})
