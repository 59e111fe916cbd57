import { expect } from 'chai'
import { GOSSIPSUB_V13 } from '../src/index.js'
import { connect, gossipNode, stopNodes, text, until } from './fixtures.js'
import type { Message } from '@ts-libp2p/interface'

describe('gossipsub service', () => {
  afterEach(stopNodes)

  it('two nodes: subscribe, mesh forms on /meshsub/1.3.0, a message arrives', async () => {
    const a = await gossipNode()
    const b = await gossipNode()
    await connect(a, b)
    a.services.pubsub.subscribe('t')
    b.services.pubsub.subscribe('t')
    await until(() => a.services.pubsub.getMeshPeers('t').length === 1 && b.services.pubsub.getMeshPeers('t').length === 1, 5000, 'mesh')
    expect(a.services.pubsub.getPeerExtensions(b.peerId)?.protocol).to.equal(GOSSIPSUB_V13)
    const got: Message[] = []
    b.services.pubsub.addEventListener('message', (evt) => { got.push(evt.detail) })
    const result = await a.services.pubsub.publish('t', text('hello'))
    expect(result.recipients.map(String)).to.deep.equal([b.peerId.toString()])
    await until(() => got.length === 1, 2000, 'message')
    expect(new TextDecoder().decode(got[0].data)).to.equal('hello')
    expect(got[0].type).to.equal('signed')
  })
})
