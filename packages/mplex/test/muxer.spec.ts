import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_MAX_MESSAGE_SIZE, MessageType } from '../src/constants.js'
import { encodeHeader } from '../src/message.js'
import { delay, rawPeer } from './fixtures/raw-peer.js'
import type { MplexStream } from '../src/index.js'

describe('mplex muxer', () => {
  describe('malformed input aborts the connection with a typed error', () => {
    it('an oversize message, refused from its header', async () => {
      const peer = rawPeer()
      const opened = peer.nextStream()
      peer.send(0, MessageType.NewStream)
      const stream = await opened
      peer.conn.send(encodeHeader(0, MessageType.MessageInitiator, DEFAULT_MAX_MESSAGE_SIZE + 1).slice())
      await delay(20)
      expect(stream.error?.name).to.equal('MessageTooLargeError')
      expect(peer.muxer.status).to.equal('closed')
      expect(peer.muxerConn.status).to.equal('aborted')
    })

    it('a smaller configured maximum applies', async () => {
      const peer = rawPeer({ maxMessageSize: 1024 })
      peer.send(0, MessageType.NewStream)
      peer.send(0, MessageType.MessageInitiator, new Uint8Array(1025))
      await delay(20)
      expect(peer.muxerConn.error?.name).to.equal('MessageTooLargeError')
    })

    it('flag 7 and an overlong varint', async () => {
      for (const bytes of [Uint8Array.of(7, 0), new Uint8Array(12).fill(0x80)]) {
        const peer = rawPeer()
        peer.conn.send(bytes)
        await delay(20)
        expect(peer.muxerConn.error?.name).to.be.oneOf(['InvalidFlagError', 'InvalidVarintError'])
      }
    })

    it('NewStream for an id that is open', async () => {
      const peer = rawPeer()
      const opened = peer.nextStream()
      peer.send(3, MessageType.NewStream)
      const stream = await opened
      peer.send(3, MessageType.NewStream)
      await delay(20)
      expect(stream.error?.name).to.equal('StreamIdReuseError')
    })
  })

  it('leaves a new stream without a protocol even when the caller names one (the node must negotiate it)', async () => {
    const peer = rawPeer()
    const stream = await peer.muxer.createStream({ protocol: '/ipfs/ping/1.0.0' })
    expect(stream.protocol).to.equal('')
  })

  it('ignores messages for streams it does not know (ended or refused)', async () => {
    const peer = rawPeer()
    peer.send(5, MessageType.MessageInitiator, Uint8Array.of(1))
    peer.send(5, MessageType.CloseReceiver)
    await delay(20)
    expect(peer.muxer.status).to.equal('open')
  })

  it('keeps streams of both initiators apart when they share an id', async () => {
    const peer = rawPeer()
    peer.muxer.addEventListener('stream', () => {})
    const ours = await peer.muxer.createStream()
    expect(ours.streamId).to.equal(0)
    const opened = peer.nextStream()
    peer.send(0, MessageType.NewStream)
    const theirs = await opened
    peer.send(0, MessageType.MessageReceiver, Uint8Array.of(1))
    peer.send(0, MessageType.MessageInitiator, Uint8Array.of(2))
    await delay(20)
    expect(ours.id).to.not.equal(theirs.id)
    expect(ours.readBufferLength).to.equal(1)
    expect(theirs.readBufferLength).to.equal(1)
  })

  it('resets inbound streams past maxInboundStreams (a flood of opens stays bounded)', async () => {
    const peer = rawPeer({ maxInboundStreams: 10 })
    peer.muxer.addEventListener('stream', () => {})
    for (let id = 0; id < 50; id++) {
      peer.send(id, MessageType.NewStream)
    }
    await delay(30)
    expect(peer.muxer.streams).to.have.lengthOf(10)
    expect(peer.messages.filter(m => m.type === MessageType.ResetReceiver)).to.have.lengthOf(40)
  })

  it('resets a stream whose reader falls behind past maxStreamBufferSize', async () => {
    const peer = rawPeer({ maxStreamBufferSize: 10_000 })
    const opened = peer.nextStream()
    peer.send(1, MessageType.NewStream)
    const stream = await opened
    for (let i = 0; i < 20; i++) {
      peer.send(1, MessageType.MessageInitiator, new Uint8Array(1000))
    }
    await peer.waitFor(m => m.id === 1 && m.type === MessageType.ResetReceiver)
    expect(stream.error?.name).to.equal('StreamBufferError')
    expect(peer.muxer.status).to.equal('open')
  })

  it('closes the connection instead when configured to', async () => {
    const peer = rawPeer({ maxStreamBufferSize: 10_000, disconnectOnBufferExceeded: true })
    const opened = peer.nextStream()
    peer.send(1, MessageType.NewStream)
    await opened
    for (let i = 0; i < 20; i++) {
      peer.send(1, MessageType.MessageInitiator, new Uint8Array(1000))
    }
    await delay(30)
    expect(peer.muxerConn.error?.name).to.equal('StreamBufferExceededError')
    expect(peer.muxer.status).to.equal('closed')
  })

  it('holds early streams up to maxEarlyStreams while nobody listens', async () => {
    const peer = rawPeer({ maxEarlyStreams: 2 })
    for (let id = 0; id < 5; id++) {
      peer.send(id, MessageType.NewStream)
    }
    await delay(20)
    expect(peer.messages.filter(m => m.type === MessageType.ResetReceiver)).to.have.lengthOf(3)
    const got: MplexStream[] = []
    peer.muxer.addEventListener('stream', (evt: CustomEvent<MplexStream>) => { got.push(evt.detail) })
    await delay(5)
    expect(got).to.have.lengthOf(2)
  })

  it('refuses outbound streams past maxOutboundStreams, and all after close', async () => {
    const peer = rawPeer({ maxOutboundStreams: 1 })
    await peer.muxer.createStream()
    await peer.muxer.createStream().then(() => expect.fail('opened'), (err) => { expect(err.name).to.equal('LimitExceededError') })
    await peer.muxer.close()
    await peer.muxer.createStream().then(() => expect.fail('opened'), (err) => { expect(err.name).to.equal('MuxerClosedError') })
  })

  it('a reset while the stream is being written rejects the writer', async () => {
    const peer = rawPeer({ connectionHighWaterMark: 0 }, { read: false })
    peer.conn.pause()
    const stream = await peer.muxer.createStream()
    while (stream.send(new Uint8Array(64 * 1024))) {}
    const waiting = stream.onDrain()
    peer.send(0, MessageType.ResetReceiver)
    await waiting.then(() => expect.fail('drained'), (err) => { expect(err.name).to.equal('StreamResetError') })
    expect(peer.muxer.streams).to.not.include(stream)
  })

  it('aborts when resets for refused streams pile up for a peer that does not read', async () => {
    const peer = rawPeer({ maxInboundStreams: 1, connectionHighWaterMark: 0 }, { read: false })
    peer.conn.pause()
    peer.muxer.addEventListener('stream', () => {})
    const opened = peer.nextStream()
    peer.send(0, MessageType.NewStream)
    const stream = await opened
    while (stream.send(new Uint8Array(64 * 1024))) {}
    const wire = new Uint8ArrayList()
    for (let id = 1; id < 40_000; id++) {
      wire.append(encodeHeader(id, MessageType.NewStream, 0).slice())
    }
    peer.conn.send(wire)
    await delay(50)
    expect(peer.muxer.status).to.equal('closed')
    expect(stream.error?.name).to.equal('ControlBacklogError')
  })
})
