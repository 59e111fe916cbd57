import { expect } from 'chai'
import { InvalidEnvelopeError, InvalidPeerRecordError, InvalidSignatureError, WrongPayloadTypeError } from '../src/errors.js'

describe('errors', () => {
  for (const ErrorClass of [InvalidEnvelopeError, InvalidPeerRecordError, InvalidSignatureError, WrongPayloadTypeError]) {
    it(`${ErrorClass.name} names itself statically and on instances`, () => {
      const err = new ErrorClass()
      expect(err).to.be.instanceOf(Error)
      expect(err.name).to.equal(ErrorClass.name)
      expect(err.message).to.be.a('string').and.not.equal('')
      expect(new ErrorClass('custom').message).to.equal('custom')
    })
  }
})
