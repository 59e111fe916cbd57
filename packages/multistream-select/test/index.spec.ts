import { expect } from 'chai'
import * as mss from '../src/index.js'

describe('package exports', () => {
  it('exports the dialer and listener functions', () => {
    expect(mss.select).to.be.a('function')
    expect(mss.ls).to.be.a('function')
    expect(mss.handle).to.be.a('function')
  })

  it('exports the protocol id and the limits', () => {
    expect(mss.PROTOCOL_ID).to.equal('/multistream/1.0.0')
    expect(mss.MAX_MESSAGE_LENGTH).to.equal(1024)
    expect(mss.MAX_LS_RESPONSE_LENGTH).to.equal(16383)
    expect(mss.MAX_LS_PROTOCOLS).to.equal(1000)
    expect(mss.MAX_LISTENER_MESSAGES).to.equal(64)
    expect(mss.MAX_DIALER_PROTOCOLS).to.equal(62)
    expect(mss.NEGOTIATION_TIMEOUT).to.equal(10_000)
  })
})
