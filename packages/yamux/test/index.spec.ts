import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { PROTOCOL_ID, YamuxMuxer, yamux } from '../src/index.js'
import type { StreamMuxerFactory } from '@ts-libp2p/interface'

describe('yamux factory', () => {
  it('is a StreamMuxerFactory for /yamux/1.0.0', async () => {
    const factory: StreamMuxerFactory = yamux()({ logger: defaultLogger() })
    expect(factory.protocol).to.equal('/yamux/1.0.0').and.to.equal(PROTOCOL_ID)
    const [a] = multiaddrConnectionPair()
    const muxer = factory.createStreamMuxer(a)
    expect(muxer).to.be.an.instanceOf(YamuxMuxer)
    expect(muxer.protocol).to.equal(PROTOCOL_ID)
    await muxer.close()
  })

  it('refuses windows the spec does not allow', () => {
    const [a] = multiaddrConnectionPair()
    expect(() => yamux({ initialStreamWindowSize: 1024 })({ logger: defaultLogger() }).createStreamMuxer(a)).to.throw(RangeError)
    expect(() => yamux({ maxStreamWindowSize: 2 ** 32 })({ logger: defaultLogger() }).createStreamMuxer(a)).to.throw(RangeError)
  })

  it('registers its stream counter with the optional metrics component', async () => {
    const counted: Array<Record<string, unknown>> = []
    const metrics: any = { registerCounterGroup: () => ({ increment: (v: Record<string, unknown>) => counted.push(v), reset () {} }) }
    const [a, b] = multiaddrConnectionPair()
    const client = yamux({ enableKeepAlive: false })({ logger: defaultLogger(), metrics }).createStreamMuxer(a)
    const server = yamux({ enableKeepAlive: false })({ logger: defaultLogger() }).createStreamMuxer(b)
    server.addEventListener('stream', () => {})
    const stream = await client.createStream()
    stream.abort(new Error('x'))
    expect(counted).to.deep.equal([{ outbound_open: true }, { outbound_reset: true }])
    await client.close()
    await server.close()
  })
})
