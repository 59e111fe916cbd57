import { InvalidParametersError } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { InvalidBootstrapListError } from '../src/errors.js'

describe('errors', () => {
  it('InvalidBootstrapListError carries its name statically and on instances, and is an InvalidParametersError', () => {
    const err = new InvalidBootstrapListError()
    expect(err).to.be.an.instanceOf(InvalidParametersError)
    expect(err.name).to.equal('InvalidBootstrapListError')
    expect(InvalidBootstrapListError.name).to.equal('InvalidBootstrapListError')
    expect(new InvalidBootstrapListError('other').message).to.equal('other')
  })
})
