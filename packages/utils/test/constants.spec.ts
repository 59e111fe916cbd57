import { expect } from 'chai'
import * as constants from '../src/constants.js'

describe('constants', () => {
  it('pauses the source well before the read buffer limit aborts the stream', () => {
    expect(constants.DEFAULT_READ_HIGH_WATER_MARK).to.be.lessThan(constants.DEFAULT_MAX_READ_BUFFER_LENGTH)
  })

  it('lets the largest default frame fit in a stream\'s read buffer', () => {
    expect(constants.DEFAULT_MAX_DATA_LENGTH).to.be.at.most(constants.DEFAULT_MAX_READ_BUFFER_LENGTH)
  })

  it('caps varints at 63 bits worth of 7-bit groups', () => {
    expect(constants.MAX_VARINT_LENGTH * 7).to.equal(63)
  })

  it('logs under the ts-libp2p prefix', () => {
    expect(constants.LOG_PREFIX).to.equal('ts-libp2p')
  })
})
