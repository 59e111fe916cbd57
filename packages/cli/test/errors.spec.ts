import { expect } from 'chai'
import { ConfigError, IdentityFileError, NotInRepositoryError, UsageError } from '../src/errors.js'

describe('errors', () => {
  it('carry their name on the class and on each instance', () => {
    for (const E of [UsageError, ConfigError, IdentityFileError, NotInRepositoryError]) {
      const err = new E('boom')
      expect(E.name).to.equal(err.name)
      expect(err).to.be.instanceOf(Error)
      expect(err.message).to.equal('boom')
    }
  })
})
