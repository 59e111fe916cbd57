import { expect } from 'chai'
import { CellCheckError, ChildProcessError } from '../src/errors.js'

describe('errors', () => {
  it('carry their name statically and on instances', () => {
    for (const [Class, name] of [[CellCheckError, 'CellCheckError'], [ChildProcessError, 'ChildProcessError']] as const) {
      const err = new Class('boom')
      expect(Class.name).to.equal(name)
      expect(err.name).to.equal(name)
      expect(err.message).to.equal('boom')
      expect(err).to.be.instanceOf(Error)
    }
  })
})
