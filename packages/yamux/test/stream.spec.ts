import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_MAX_STREAM_WINDOW, Flag, FrameType, INITIAL_STREAM_WINDOW } from '../src/constants.js'
import { yamux } from '../src/index.js'
import { delay, rawPeer } from './fixtures/raw-peer.js'
import type { YamuxStream } from '../src/index.js'

async function nextStream (peer: ReturnType<typeof rawPeer>): Promise<YamuxStream> {
  return new Promise(resolve => {
    peer.muxer.addEventListener('stream', (evt: CustomEvent<YamuxStream>) => { resolve(evt.detail) }, { once: true })
  })
}

describe('yamux stream', () => {
  it('sends its SYN on the first data frame when data is written in the same tick', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream()
    stream.send(Uint8Array.of(1, 2, 3))
    const first = await peer.waitFor(f => f.header.streamId === stream.streamId)
    expect(first.header.type).to.equal(FrameType.Data)
    expect(first.header.flags).to.equal(Flag.SYN)
    expect([...first.data?.subarray() ?? []]).to.deep.equal([1, 2, 3])
    expect(peer.frames.filter(f => f.header.streamId === stream.streamId)).to.have.lengthOf(1)
  })

  it('sends a bare SYN window update when nothing is written', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream()
    const first = await peer.waitFor(f => f.header.streamId === stream.streamId)
    expect(first.header.type).to.equal(FrameType.WindowUpdate)
    expect(first.header.flags).to.equal(Flag.SYN)
  })

  it('sends nothing for a stream aborted before its SYN went out', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream()
    stream.abort(new Error('never mind'))
    await delay(20)
    expect(peer.frames.filter(f => f.header.streamId === stream.streamId)).to.have.lengthOf(0)
  })

  it('ACKs an inbound stream with its first send', async () => {
    const peer = rawPeer('server')
    const opened = nextStream(peer)
    peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
    const stream = await opened
    await delay(10)
    expect(peer.frames.filter(f => f.header.streamId === 1)).to.have.lengthOf(0)
    stream.send(Uint8Array.of(9))
    const frame = await peer.waitFor(f => f.header.streamId === 1)
    expect(frame.header.type).to.equal(FrameType.Data)
    expect(frame.header.flags).to.equal(Flag.ACK)
  })

  it('ACKs an inbound stream once its first data is read', async () => {
    const peer = rawPeer('server')
    const opened = nextStream(peer)
    peer.send(FrameType.Data, Flag.SYN, 1, 3, Uint8Array.of(1, 2, 3))
    const stream = await opened
    await delay(10)
    expect(peer.frames.filter(f => f.header.streamId === 1)).to.have.lengthOf(0)
    const reader = stream[Symbol.asyncIterator]()
    const { value } = await reader.next()
    expect([...(value as Uint8Array | Uint8ArrayList).subarray()]).to.deep.equal([1, 2, 3])
    const frame = await peer.waitFor(f => f.header.streamId === 1)
    expect(frame.header.type).to.equal(FrameType.WindowUpdate)
    expect(frame.header.flags).to.equal(Flag.ACK)
    expect(frame.header.length).to.equal(3)
  })

  it('stops at the send window, then drains on the window update', async () => {
    const peer = rawPeer('client', {}, { maxInFlightBytes: 1024 * 1024 })
    const stream = await peer.muxer.createStream()
    let sent = 0
    while (stream.send(new Uint8Array(1024))) {
      sent += 1024
    }
    sent += 1024
    expect(sent).to.equal(INITIAL_STREAM_WINDOW)
    expect(stream.sendWindow).to.equal(0)
    const drained = new Promise(resolve => { stream.addEventListener('drain', resolve, { once: true }) })
    peer.send(FrameType.WindowUpdate, Flag.ACK, stream.streamId, 4096)
    await drained
    expect(stream.sendWindow).to.equal(4096)
    expect(stream.acknowledged).to.equal(true)
    const dataBytes = peer.frames.filter(f => f.header.type === FrameType.Data).reduce((n, f) => n + f.header.length, 0)
    expect(dataBytes).to.equal(INITIAL_STREAM_WINDOW)
  })

  it('withholds credit while the reader is paused, and returns it once read', async () => {
    const peer = rawPeer('server')
    const opened = nextStream(peer)
    peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
    const stream = await opened
    stream.pause()
    const half = INITIAL_STREAM_WINDOW / 2
    peer.send(FrameType.Data, 0, 1, half, new Uint8Array(half))
    peer.send(FrameType.Data, 0, 1, half, new Uint8Array(half))
    await delay(20)
    expect(stream.recvWindow).to.equal(0)
    expect(peer.frames.filter(f => f.header.streamId === 1 && f.header.type === FrameType.WindowUpdate)).to.have.lengthOf(0)
    stream.resume()
    let read = 0
    for await (const chunk of stream) {
      read += chunk.byteLength
      if (read === INITIAL_STREAM_WINDOW) {
        break
      }
    }
    const update = await peer.waitFor(f => f.header.streamId === 1 && f.header.type === FrameType.WindowUpdate)
    expect(update.header.length).to.be.at.least(half)
  })

  it('keeps crediting after closeRead so the remote does not stall', async () => {
    const peer = rawPeer('server')
    const opened = nextStream(peer)
    peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
    const stream = await opened
    await stream.closeRead()
    for (let i = 0; i < 4; i++) {
      peer.send(FrameType.Data, 0, 1, INITIAL_STREAM_WINDOW / 2, new Uint8Array(INITIAL_STREAM_WINDOW / 2))
      await peer.waitFor(f => f.header.streamId === 1 && f.header.type === FrameType.WindowUpdate && peer.frames.filter(g => g.header.type === FrameType.WindowUpdate).length > i)
    }
    expect(peer.muxer.status).to.equal('open')
    expect(stream.readBufferLength).to.equal(0)
  })

  it('rejects the writer when the remote resets the stream while it is being written', async () => {
    const peer = rawPeer('client', {}, { maxInFlightBytes: 1024 * 1024 })
    const stream = await peer.muxer.createStream()
    while (stream.send(new Uint8Array(8192))) {}
    const waiting = stream.onDrain()
    peer.send(FrameType.WindowUpdate, Flag.RST, stream.streamId, 0)
    await waiting.then(() => expect.fail('drained'), (err) => {
      expect(err.name).to.equal('StreamResetError')
    })
    expect(stream.status).to.equal('reset')
    expect(() => stream.send(Uint8Array.of(1))).to.throw().with.property('name', 'StreamStateError')
    expect(peer.muxer.streams).to.not.include(stream)
  })

  it('half-closes with FIN and ends once the remote FINs too', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream()
    stream.send(Uint8Array.of(1))
    await stream.close()
    const fin = await peer.waitFor(f => f.header.streamId === stream.streamId && (f.header.flags & Flag.FIN) !== 0)
    expect(fin.header.type).to.equal(FrameType.WindowUpdate)
    expect(stream.writeStatus).to.equal('closed')
    peer.send(FrameType.Data, Flag.ACK | Flag.FIN, stream.streamId, 2, Uint8Array.of(4, 5))
    const chunks = new Uint8ArrayList()
    for await (const chunk of stream) {
      chunks.append(chunk)
    }
    expect([...chunks.subarray()]).to.deep.equal([4, 5])
    expect(stream.status).to.equal('closed')
    expect(stream.timeline.close).to.be.a('number')
    expect(stream.bytesSent).to.equal(1)
    expect(stream.bytesReceived).to.equal(2)
  })

  it('auto-tunes the receive window toward the maximum for a reader that keeps up', async () => {
    const [a, b] = multiaddrConnectionPair({ maxInFlightBytes: 4 * 1024 * 1024 })
    const factory = yamux({ enableKeepAlive: false })({ logger: defaultLogger() })
    const client = factory.createStreamMuxer(a)
    const server = factory.createStreamMuxer(b)
    const inbound = new Promise<YamuxStream>(resolve => { server.addEventListener('stream', (evt: CustomEvent<YamuxStream>) => { resolve(evt.detail) }, { once: true }) })
    // let the first ping measure the RTT
    await delay(20)
    expect(server.rtt).to.be.greaterThan(0)
    const stream = await client.createStream()
    const total = 8 * 1024 * 1024
    const writing = (async () => {
      const chunk = new Uint8Array(64 * 1024)
      for (let sent = 0; sent < total; sent += chunk.byteLength) {
        if (!stream.send(chunk)) {
          await stream.onDrain()
        }
      }
      await stream.close()
    })()
    const remote = await inbound
    let received = 0
    for await (const chunk of remote) {
      received += chunk.byteLength
    }
    await writing
    expect(received).to.equal(total)
    expect(remote.windowSize).to.be.greaterThan(INITIAL_STREAM_WINDOW)
    expect(remote.windowSize).to.be.at.most(DEFAULT_MAX_STREAM_WINDOW)
    await client.close()
    await server.close()
  })
})
