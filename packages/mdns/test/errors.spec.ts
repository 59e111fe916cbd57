import { InvalidMessageError } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { InvalidMdnsPacketError } from '../src/errors.js'

describe('errors', () => {
  it('InvalidMdnsPacketError is an InvalidMessageError with its own name', () => {
    const err = new InvalidMdnsPacketError('bad')
    expect(err).to.be.instanceOf(InvalidMessageError)
    expect(err.name).to.equal('InvalidMdnsPacketError')
    expect(InvalidMdnsPacketError.name).to.equal('InvalidMdnsPacketError')
    expect(err.message).to.equal('bad')
  })
})
