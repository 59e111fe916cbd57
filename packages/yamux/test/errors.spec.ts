import { expect } from 'chai'
import { GoAwayCode } from '../src/constants.js'
import { ControlBacklogError, GoAwayError, InvalidFrameTypeError, InvalidStreamIdError, InvalidVersionError, KeepAliveTimeoutError, ReceiveWindowExceededError, StreamIdReuseError, UnknownStreamError, WindowOverflowError, YamuxProtocolError, isYamuxProtocolError } from '../src/errors.js'

describe('yamux errors', () => {
  const protocolErrors = [YamuxProtocolError, InvalidVersionError, InvalidFrameTypeError, WindowOverflowError, ReceiveWindowExceededError, UnknownStreamError, StreamIdReuseError, InvalidStreamIdError]

  for (const ErrorClass of protocolErrors) {
    it(`${ErrorClass.name} has a stable name, the protocol error code and passes the guard`, () => {
      const err = new ErrorClass('x')
      expect(err.name).to.equal(ErrorClass.name)
      expect(err.goAwayCode).to.equal(GoAwayCode.ProtocolError)
      expect(isYamuxProtocolError(err)).to.equal(true)
    })
  }

  it('the guard refuses other errors', () => {
    expect(isYamuxProtocolError(new Error('x'))).to.equal(false)
    expect(isYamuxProtocolError(new GoAwayError(2))).to.equal(false)
    expect(isYamuxProtocolError('nope')).to.equal(false)
  })

  it('GoAwayError carries the code', () => {
    const err = new GoAwayError(GoAwayCode.InternalError)
    expect(err.name).to.equal('GoAwayError')
    expect(err.code).to.equal(2)
  })

  it('the session errors have names', () => {
    expect(new KeepAliveTimeoutError().name).to.equal('KeepAliveTimeoutError')
    expect(new ControlBacklogError().name).to.equal('ControlBacklogError')
  })
})
