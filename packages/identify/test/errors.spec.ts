import { expect } from 'chai'
import { MessageTooLargeError, PublicKeyMismatchError } from '../src/errors.js'

describe('errors', () => {
  for (const [Class, name] of [[MessageTooLargeError, 'MessageTooLargeError'], [PublicKeyMismatchError, 'PublicKeyMismatchError']] as const) {
    it(`${name} carries its name statically and on instances`, () => {
      const err = new Class()
      expect(err).to.be.an.instanceOf(Error)
      expect(err.name).to.equal(name)
      expect(Class.name).to.equal(name)
      expect(err.message).to.be.a('string').and.not.equal('')
      expect(new Class('custom').message).to.equal('custom')
    })
  }
})
