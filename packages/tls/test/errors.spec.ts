import { expect } from 'chai'
import { HandshakeTimeoutError, InvalidCertificateError } from '../src/errors.js'

describe('errors', () => {
  for (const ErrorClass of [InvalidCertificateError, HandshakeTimeoutError]) {
    it(`${ErrorClass.name} has a static and an instance name, a default message and a cause`, () => {
      const cause = new Error('inner')
      const err = new ErrorClass(undefined, { cause })
      expect(err).to.be.an.instanceOf(Error)
      expect(err.name).to.equal(ErrorClass.name)
      expect(ErrorClass.name).to.be.oneOf(['InvalidCertificateError', 'HandshakeTimeoutError'])
      expect(err.message).to.have.length.greaterThan(0)
      expect(err.cause).to.equal(cause)
      expect(new ErrorClass('custom').message).to.equal('custom')
    })
  }
})
