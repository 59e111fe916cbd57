import { expect } from 'chai'
import * as errors from '../src/errors.js'

describe('errors', () => {
  for (const [name, ErrorClass] of Object.entries(errors)) {
    it(`${name} has a stable static and instance name`, () => {
      const err = new ErrorClass()
      expect(ErrorClass.name).to.equal(name)
      expect(err.name).to.equal(name)
      expect(err).to.be.an.instanceOf(Error)
      expect(err.message).to.be.a('string').and.not.equal('')
      expect(new ErrorClass('custom').message).to.equal('custom')
    })
  }
})
