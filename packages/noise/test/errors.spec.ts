import { expect } from 'chai'
import { DecryptionError, NonceExhaustedError, TruncatedFrameError } from '../src/errors.js'

describe('errors', () => {
  for (const ErrorClass of [DecryptionError, NonceExhaustedError, TruncatedFrameError]) {
    it(`${ErrorClass.name} has a stable static and instance name`, () => {
      const err = new ErrorClass()
      expect(err).to.be.instanceOf(Error)
      expect(err.name).to.equal(ErrorClass.name)
      expect(err.message).to.be.a('string').that.is.not.empty
      expect(new ErrorClass('custom').message).to.equal('custom')
    })
  }
})
