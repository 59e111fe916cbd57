import { expect } from 'chai'
import { listenerCount, lookup, register, unregister } from '../src/registry.js'
import { uniqueAddress } from './fixtures/upgrader.js'
import type { MemoryListener } from '../src/listener.js'

describe('registry', () => {
  it('gives an address to one listener at a time', () => {
    const address = uniqueAddress('registry')
    const a = {} as unknown as MemoryListener
    const b = {} as unknown as MemoryListener
    const before = listenerCount()
    expect(register(address, a)).to.equal(true)
    expect(register(address, b)).to.equal(false)
    expect(lookup(address)).to.equal(a)
    expect(listenerCount()).to.equal(before + 1)
    unregister(address, b)
    expect(lookup(address)).to.equal(a, 'only the holder can release it')
    unregister(address, a)
    expect(lookup(address)).to.equal(undefined)
    expect(register(address, b)).to.equal(true)
    unregister(address, b)
  })
})
