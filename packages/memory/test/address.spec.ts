import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { isDialAddress, isListenAddress, memoryAddress } from '../src/address.js'

const peer = '12D3KooWJRSrypvnpHgc6ZAgyCni4KcSmbV7uGRaMw5LgMKT18fq'

describe('memory addresses', () => {
  it('listens on /memory/<name> only', () => {
    expect(isListenAddress(multiaddr('/memory/a'))).to.equal(true)
    expect(isListenAddress(multiaddr(`/memory/a/p2p/${peer}`))).to.equal(false)
    expect(isListenAddress(multiaddr('/ip4/127.0.0.1/tcp/1'))).to.equal(false)
    expect(isListenAddress(multiaddr('/memory/a/memory/b'))).to.equal(false)
  })

  it('dials /memory/<name> with an optional /p2p/<peer>', () => {
    expect(isDialAddress(multiaddr('/memory/a'))).to.equal(true)
    expect(isDialAddress(multiaddr(`/memory/a/p2p/${peer}`))).to.equal(true)
    expect(isDialAddress(multiaddr(`/p2p/${peer}`))).to.equal(false)
    expect(isDialAddress(multiaddr('/memory/a/tcp/1'))).to.equal(false)
  })

  it('keys the registry by /memory/<name>', () => {
    expect(memoryAddress(multiaddr(`/memory/a/p2p/${peer}`))).to.equal('/memory/a')
    expect(() => memoryAddress(multiaddr('/ip4/127.0.0.1/tcp/1'))).to.throw().with.property('name', 'InvalidMultiaddrError')
  })
})
