import { LimitExceededError } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { DownloadTooLargeError } from '../src/errors.js'

describe('errors', () => {
  it('DownloadTooLargeError carries its name statically and on instances, and is a LimitExceededError', () => {
    const err = new DownloadTooLargeError()
    expect(err).to.be.an.instanceOf(LimitExceededError)
    expect(err.name).to.equal('DownloadTooLargeError')
    expect(DownloadTooLargeError.name).to.equal('DownloadTooLargeError')
    expect(err.message).to.match(/limit/)
    expect(new DownloadTooLargeError('other').message).to.equal('other')
  })
})
