import { expect } from 'chai'
import { PingMismatchError } from '../src/errors.js'

describe('errors', () => {
  it('PingMismatchError carries its name statically and on instances', () => {
    const err = new PingMismatchError()
    expect(err).to.be.an.instanceOf(Error)
    expect(err.name).to.equal('PingMismatchError')
    expect(PingMismatchError.name).to.equal('PingMismatchError')
    expect(err.message).to.match(/different/)
    expect(new PingMismatchError('other').message).to.equal('other')
  })
})
