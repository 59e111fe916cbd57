import { expect } from 'chai'
import { DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_EXCHANGE_LENGTH, PROTOCOL } from '../src/constants.js'

describe('constants', () => {
  it('names the spec protocol id', () => {
    expect(PROTOCOL).to.equal('/plaintext/2.0.0')
  })

  it('bounds the exchange message and the handshake time', () => {
    // an RSA 8192 key's PublicKey message (about 1.1 KiB) must fit
    expect(DEFAULT_MAX_EXCHANGE_LENGTH).to.be.within(1200, 65536)
    expect(DEFAULT_HANDSHAKE_TIMEOUT).to.be.greaterThan(0)
  })
})
