import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { MemoryTransport, memory } from '../src/index.js'

describe('index', () => {
  it('memory(init) returns a factory of transports', () => {
    const factory = memory({ latency: 1 })
    expect(factory).to.be.a('function')
    expect(factory({ logger: defaultLogger() })).to.be.an.instanceOf(MemoryTransport)
  })
})
