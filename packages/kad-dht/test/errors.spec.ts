import { expect } from 'chai'
import { InvalidDHTMessageError, InvalidRecordError, MissingValidatorError, QuorumNotMetError } from '../src/errors.js'

describe('errors', () => {
  for (const E of [InvalidDHTMessageError, InvalidRecordError, MissingValidatorError, QuorumNotMetError]) {
    it(`${E.name} has a static and instance name and a default message`, () => {
      const err = new E()
      expect(err).to.be.an.instanceOf(Error)
      expect(err.name).to.equal(E.name)
      expect(err.message.length).to.be.greaterThan(0)
      expect(new E('custom').message).to.equal('custom')
    })
  }
})
