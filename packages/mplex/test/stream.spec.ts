import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { MessageType } from '../src/constants.js'
import { delay, rawPeer } from './fixtures/raw-peer.js'

describe('mplex stream', () => {
  it('an outbound stream sends NewStream, then Initiator messages, close and reset', async () => {
    const peer = rawPeer()
    const stream = await peer.muxer.createStream()
    stream.send(Uint8Array.of(1, 2))
    await stream.close()
    const types = (await peer.waitFor(m => m.type === MessageType.CloseInitiator), peer.messages.map(m => m.type))
    expect(types).to.deep.equal([MessageType.NewStream, MessageType.MessageInitiator, MessageType.CloseInitiator])
    expect([...peer.messages[1].data.subarray()]).to.deep.equal([1, 2])
    const other = await peer.muxer.createStream()
    other.abort(new Error('x'))
    await peer.waitFor(m => m.id === other.streamId && m.type === MessageType.ResetInitiator)
  })

  it('an inbound stream answers with Receiver messages and reads to the remote close', async () => {
    const peer = rawPeer()
    const opened = peer.nextStream()
    peer.send(4, MessageType.NewStream)
    peer.send(4, MessageType.MessageInitiator, Uint8Array.of(9))
    peer.send(4, MessageType.CloseInitiator)
    const stream = await opened
    const got = new Uint8ArrayList()
    for await (const chunk of stream) {
      got.append(chunk)
    }
    expect([...got.subarray()]).to.deep.equal([9])
    stream.send(Uint8Array.of(8))
    await stream.close()
    await peer.waitFor(m => m.id === 4 && m.type === MessageType.CloseReceiver)
    expect(peer.messages.find(m => m.type === MessageType.MessageReceiver)?.data.subarray()).to.deep.equal(Uint8Array.of(8))
    expect(stream.status).to.equal('closed')
  })

  it('splits writes larger than the maximum message size', async () => {
    const peer = rawPeer({ maxMessageSize: 1000 })
    const stream = await peer.muxer.createStream()
    stream.send(new Uint8Array(2500))
    await delay(20)
    expect(peer.messages.filter(m => m.type === MessageType.MessageInitiator).map(m => m.data.byteLength)).to.deep.equal([1000, 1000, 500])
  })

  it('a remote reset ends reads with StreamResetError', async () => {
    const peer = rawPeer()
    const opened = peer.nextStream()
    peer.send(2, MessageType.NewStream)
    const stream = await opened
    peer.send(2, MessageType.ResetInitiator)
    try {
      for await (const _ of stream) {} // eslint-disable-line no-empty
      expect.fail('ended cleanly')
    } catch (err: any) {
      expect(err.name).to.equal('StreamResetError')
    }
  })
})
