import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { MplexMuxer, PROTOCOL_ID, mplex } from '../src/index.js'
import type { StreamMuxerFactory } from '@ts-libp2p/interface'

describe('mplex factory', () => {
  it('is a StreamMuxerFactory for /mplex/6.7.0', async () => {
    const factory: StreamMuxerFactory = mplex()({ logger: defaultLogger() })
    expect(factory.protocol).to.equal('/mplex/6.7.0').and.to.equal(PROTOCOL_ID)
    const [a] = multiaddrConnectionPair()
    const muxer = factory.createStreamMuxer(a)
    expect(muxer).to.be.an.instanceOf(MplexMuxer)
    expect(muxer.protocol).to.equal(PROTOCOL_ID)
    await muxer.close()
    expect(muxer.status).to.equal('closed')
  })

  it('registers its stream counter with the optional metrics component', async () => {
    const counted: Array<Record<string, unknown>> = []
    const metrics: any = { registerCounterGroup: () => ({ increment: (v: Record<string, unknown>) => counted.push(v), reset () {} }) }
    const [a] = multiaddrConnectionPair()
    const muxer = mplex()({ logger: defaultLogger(), metrics }).createStreamMuxer(a)
    const stream = await muxer.createStream()
    stream.abort(new Error('x'))
    expect(counted).to.deep.equal([{ outbound_open: true }, { outbound_reset: true }])
  })
})
