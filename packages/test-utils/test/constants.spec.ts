import { expect } from 'chai'
import { DEFAULT_DELAY, DEFAULT_MAX_IN_FLIGHT_BYTES } from '../src/constants.js'

describe('constants', () => {
  it('lets a whole noise transport message (65535 bytes) be in flight', () => {
    expect(DEFAULT_MAX_IN_FLIGHT_BYTES).to.be.at.least(65_535)
  })

  it('delivers on the next macrotask by default', () => {
    expect(DEFAULT_DELAY).to.equal(0)
  })
})
