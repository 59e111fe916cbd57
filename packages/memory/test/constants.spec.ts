import { CODE_MEMORY as MULTIADDR_CODE_MEMORY, CODE_P2P as MULTIADDR_CODE_P2P } from '@multiformats/multiaddr'
import { expect } from 'chai'
import * as constants from '../src/constants.js'

describe('constants', () => {
  it('uses the multiaddr table\'s codes for memory and p2p', () => {
    expect(constants.CODE_MEMORY).to.equal(MULTIADDR_CODE_MEMORY)
    expect(constants.CODE_P2P).to.equal(MULTIADDR_CODE_P2P)
  })

  it('lets a whole noise message be in flight', () => {
    expect(constants.MAX_IN_FLIGHT_BYTES).to.be.at.least(65_535)
  })

  it('bounds listeners and buffers, with no latency by default', () => {
    expect(constants.MAX_CONNECTIONS_PER_LISTENER).to.be.greaterThan(0)
    expect(constants.MAX_READ_BUFFER_LENGTH).to.be.greaterThan(constants.MAX_IN_FLIGHT_BYTES)
    expect(constants.DEFAULT_LATENCY).to.equal(0)
  })
})
