import { expect } from 'chai'
import { ControlBacklogError, InvalidFlagError, InvalidVarintError, MessageTooLargeError, MplexProtocolError, StreamBufferExceededError, StreamIdReuseError, isMplexProtocolError } from '../src/errors.js'

describe('mplex errors', () => {
  for (const ErrorClass of [MplexProtocolError, InvalidVarintError, InvalidFlagError, MessageTooLargeError, StreamIdReuseError]) {
    it(`${ErrorClass.name} has a stable name and passes the guard`, () => {
      const err = new ErrorClass('x')
      expect(err.name).to.equal(ErrorClass.name)
      expect(isMplexProtocolError(err)).to.equal(true)
      // a copy from another package instance is recognised by name
      const foreign = new Error('x')
      foreign.name = ErrorClass.name
      expect(isMplexProtocolError(foreign)).to.equal(true)
    })
  }

  it('the guard refuses other errors', () => {
    expect(isMplexProtocolError(new StreamBufferExceededError())).to.equal(false)
    expect(isMplexProtocolError(new ControlBacklogError())).to.equal(false)
    expect(isMplexProtocolError(new Error('x'))).to.equal(false)
    expect(isMplexProtocolError(undefined)).to.equal(false)
  })
})
