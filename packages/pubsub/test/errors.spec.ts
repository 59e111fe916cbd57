import { expect } from 'chai'
import * as errors from '../src/errors.js'

describe('errors', () => {
  for (const [name, ErrorClass] of Object.entries(errors)) {
    it(`${name} carries its name statically and on instances`, () => {
      expect(ErrorClass.name).to.equal(name)
      const err = new ErrorClass()
      expect(err).to.be.instanceOf(Error)
      expect(err.name).to.equal(name)
      expect(err.message).to.be.a('string').and.not.equal('')
      expect(new ErrorClass('custom').message).to.equal('custom')
    })
  }
})
