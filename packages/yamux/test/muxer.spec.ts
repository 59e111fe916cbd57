import { defaultLogger } from '@ts-libp2p/utils'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { FLUSH_THRESHOLD, Flag, FrameType, GoAwayCode, INITIAL_STREAM_WINDOW, MAX_CONTROL_BACKLOG } from '../src/constants.js'
import { yamux } from '../src/index.js'
import { delay, isGoAway, rawPeer } from './fixtures/raw-peer.js'
import type { Frame } from '../src/frame.js'
import type { YamuxStream } from '../src/index.js'

async function nextStream (peer: ReturnType<typeof rawPeer>): Promise<YamuxStream> {
  return new Promise(resolve => {
    peer.muxer.addEventListener('stream', (evt: CustomEvent<YamuxStream>) => { resolve(evt.detail) }, { once: true })
  })
}

describe('yamux muxer', () => {
  describe('protocol violations end the session with go-away (protocol error)', () => {
    it('a window update that overflows the send window', async () => {
      const peer = rawPeer('server')
      const opened = nextStream(peer)
      peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
      const stream = await opened
      peer.send(FrameType.WindowUpdate, 0, 1, 0xffffffff)
      await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
      expect(stream.status).to.equal('aborted')
      expect(stream.error?.name).to.equal('WindowOverflowError')
      expect(peer.muxer.status).to.equal('closed')
    })

    it('a data frame beyond the receive window, before its payload is buffered', async () => {
      const peer = rawPeer('server')
      const opened = nextStream(peer)
      peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
      const stream = await opened
      // only the header: the length alone must be refused
      peer.send(FrameType.Data, 0, 1, INITIAL_STREAM_WINDOW + 1)
      await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
      expect(stream.error?.name).to.equal('ReceiveWindowExceededError')
    })

    it('data past the window over several frames', async () => {
      const peer = rawPeer('server')
      const opened = nextStream(peer)
      peer.send(FrameType.Data, Flag.SYN, 1, INITIAL_STREAM_WINDOW, new Uint8Array(INITIAL_STREAM_WINDOW))
      const stream = await opened
      stream.pause() // never read: no credit returns
      peer.send(FrameType.Data, 0, 1, 1, new Uint8Array(1))
      await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
      expect(stream.error?.name).to.equal('ReceiveWindowExceededError')
    })

    it('a data frame for a stream that was never opened', async () => {
      const peer = rawPeer('server')
      peer.send(FrameType.Data, 0, 7, 3, new Uint8Array(3))
      await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
      expect(peer.muxer.status).to.equal('closed')
    })

    it('a SYN for a stream id that is open', async () => {
      const peer = rawPeer('server')
      const opened = nextStream(peer)
      peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
      const stream = await opened
      peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
      await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
      expect(stream.error?.name).to.equal('StreamIdReuseError')
    })

    it('a SYN with the wrong parity', async () => {
      const peer = rawPeer('server')
      peer.send(FrameType.WindowUpdate, Flag.SYN, 2, 0)
      await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
    })

    it('a bad version and an unknown type', async () => {
      for (const [index, value] of [[0, 1], [1, 9]]) {
        const peer = rawPeer('server')
        const header = new Uint8Array(12)
        header[index] = value
        peer.conn.send(header)
        await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
      }
    })

    it('a ping on a stream', async () => {
      const peer = rawPeer('server')
      peer.send(FrameType.Ping, Flag.SYN, 3, 1)
      await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
    })

    it('closes the connection after the go-away', async () => {
      const peer = rawPeer('server', { closeTimeout: 200 })
      peer.send(FrameType.Data, 0, 9, 0)
      await peer.waitFor(isGoAway(GoAwayCode.ProtocolError))
      await delay(300)
      expect(peer.muxerConn.status).to.be.oneOf(['closed', 'aborted'])
    })
  })

  it('ignores late frames for a stream that has ended', async () => {
    const peer = rawPeer('server')
    const opened = nextStream(peer)
    peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
    const stream = await opened
    stream.abort(new Error('done'))
    await peer.waitFor(f => f.header.streamId === 1 && (f.header.flags & Flag.RST) !== 0)
    peer.send(FrameType.Data, 0, 1, 4, new Uint8Array(4))
    await delay(20)
    expect(peer.muxer.status).to.equal('open')
    expect(peer.frames.some(isGoAway(GoAwayCode.ProtocolError))).to.equal(false)
  })

  it('resets inbound streams past maxInboundStreams (a flood of opens stays bounded)', async () => {
    const peer = rawPeer('server', { maxInboundStreams: 10 })
    peer.muxer.addEventListener('stream', () => {})
    for (let id = 1; id < 100; id += 2) {
      peer.send(FrameType.WindowUpdate, Flag.SYN, id, 0)
    }
    await delay(50)
    expect(peer.muxer.streams).to.have.lengthOf(10)
    const resets = peer.frames.filter(f => (f.header.flags & Flag.RST) !== 0)
    expect(resets).to.have.lengthOf(40)
    expect(peer.muxer.status).to.equal('open')
  })

  it('resets inbound streams past maxEarlyStreams while nobody listens', async () => {
    const peer = rawPeer('server', { maxEarlyStreams: 3 })
    for (let id = 1; id < 12; id += 2) {
      peer.send(FrameType.WindowUpdate, Flag.SYN, id, 0)
    }
    await delay(30)
    expect(peer.frames.filter(f => (f.header.flags & Flag.RST) !== 0)).to.have.lengthOf(3)
    const got: YamuxStream[] = []
    peer.muxer.addEventListener('stream', (evt: CustomEvent<YamuxStream>) => { got.push(evt.detail) })
    await delay(10)
    expect(got).to.have.lengthOf(3)
  })

  it('answers pings with the same opaque value, and measures the RTT from its own', async () => {
    const peer = rawPeer('server')
    peer.send(FrameType.Ping, Flag.SYN, 0, 0xdeadbeef)
    await peer.waitFor(f => f.header.type === FrameType.Ping && f.header.flags === Flag.ACK && f.header.length === 0xdeadbeef)
    const ping = await peer.waitFor(f => f.header.type === FrameType.Ping && f.header.flags === Flag.SYN)
    expect(peer.muxer.rtt).to.equal(0)
    peer.send(FrameType.Ping, Flag.ACK, 0, ping.header.length)
    await delay(20)
    expect(peer.muxer.rtt).to.be.greaterThan(0)
  })

  it('ends the session when a keep-alive ping goes unanswered', async () => {
    const peer = rawPeer('server', { enableKeepAlive: true, keepAliveInterval: 50, closeTimeout: 200 })
    const opened = nextStream(peer)
    peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
    const stream = await opened
    await delay(150)
    expect(stream.error?.name).to.equal('KeepAliveTimeoutError')
    await peer.waitFor(isGoAway(GoAwayCode.InternalError))
    // and the connection beneath ends with the session: nothing could open a stream on it again
    await delay(300)
    expect(peer.muxerConn.status).to.be.oneOf(['closed', 'aborted'])
  })

  it('keeps streams in flight after a normal go-away but opens no new ones', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream()
    stream.send(Uint8Array.of(1))
    peer.send(FrameType.GoAway, 0, 0, GoAwayCode.NormalTermination)
    await delay(10)
    await peer.muxer.createStream().then(() => expect.fail('opened a stream after go-away'), (err) => {
      expect(err.name).to.equal('MuxerClosedError')
    })
    peer.send(FrameType.Data, Flag.ACK, 1, 2, Uint8Array.of(7, 8))
    peer.send(FrameType.WindowUpdate, Flag.FIN, 1, 0)
    const received = new Uint8ArrayList()
    for await (const chunk of stream) {
      received.append(chunk)
    }
    expect([...received.subarray()]).to.deep.equal([7, 8])
    expect(stream.status).to.equal('open')
  })

  it('ends streams in flight on a go-away with an error code', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream()
    stream.send(Uint8Array.of(1))
    peer.send(FrameType.GoAway, 0, 0, GoAwayCode.InternalError)
    await delay(10)
    expect(stream.error?.name).to.equal('GoAwayError')
    expect(peer.muxer.status).to.equal('closed')
    // and says nothing back
    expect(peer.frames.some(f => f.header.type === FrameType.GoAway)).to.equal(false)
    // the connection beneath ends with the session
    await delay(300)
    expect(peer.muxerConn.status).to.be.oneOf(['closed', 'aborted'])
  })

  it('sends go-away (normal) on close and refuses inbound streams after it', async () => {
    const peer = rawPeer('server')
    await peer.muxer.close()
    await peer.waitFor(isGoAway(GoAwayCode.NormalTermination))
    peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
    await peer.waitFor(f => f.header.streamId === 1 && (f.header.flags & Flag.RST) !== 0)
  })

  it('leaves a new stream without a protocol even when the caller names one (the node must negotiate it)', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream({ protocol: '/ipfs/ping/1.0.0' })
    expect(stream.protocol).to.equal('')
  })

  it('uses odd stream ids as the client and even ones as the server', async () => {
    const [a, b] = multiaddrConnectionPair()
    const factory = yamux({ enableKeepAlive: false })({ logger: defaultLogger() })
    const client = factory.createStreamMuxer(a)
    const server = factory.createStreamMuxer(b)
    client.addEventListener('stream', () => {})
    server.addEventListener('stream', () => {})
    const ids = [(await client.createStream()).streamId, (await client.createStream()).streamId, (await server.createStream()).streamId, (await server.createStream()).streamId]
    expect(ids).to.deep.equal([1, 3, 2, 4])
    await client.close()
    await server.close()
  })

  it('refuses outbound streams past maxOutboundStreams', async () => {
    const peer = rawPeer('client', { maxOutboundStreams: 2 })
    await peer.muxer.createStream()
    await peer.muxer.createStream()
    await peer.muxer.createStream().then(() => expect.fail('opened a third stream'), (err) => {
      expect(err.name).to.equal('LimitExceededError')
    })
  })

  it('stays bounded when the peer never reads: no data past the window, no pongs past the backlog', async () => {
    const peer = rawPeer('server', { connectionHighWaterMark: 64 * 1024 }, { read: false })
    peer.conn.pause()
    const opened = nextStream(peer)
    peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
    const stream = await opened
    let sent = 0
    while (stream.send(new Uint8Array(16 * 1024))) {
      sent += 16 * 1024
    }
    await delay(20)
    for (let i = 0; i < 20_000; i++) {
      peer.send(FrameType.Ping, Flag.SYN, 0, i)
      if (i % 500 === 0) {
        await delay(1)
      }
    }
    await delay(20)
    // what our muxer queued on the connection: at most one window of data plus a bounded control backlog
    const queued = peer.muxerConn.writeBufferLength + peer.muxer.queuedBytes
    expect(queued).to.be.at.most(INITIAL_STREAM_WINDOW + 64 * 1024 + MAX_CONTROL_BACKLOG + FLUSH_THRESHOLD)
    expect(peer.muxer.queuedBytes).to.be.at.most(64 * 1024 + MAX_CONTROL_BACKLOG)
    expect(sent).to.be.at.most(INITIAL_STREAM_WINDOW)
    expect(peer.muxer.status).to.equal('open')
  })

  it('aborts when RSTs for refused streams pile up for a peer that does not read', async () => {
    const peer = rawPeer('server', { maxInboundStreams: 1, connectionHighWaterMark: 64 * 1024 }, { read: false })
    peer.conn.pause()
    peer.muxer.addEventListener('stream', () => {})
    const opened = nextStream(peer)
    peer.send(FrameType.WindowUpdate, Flag.SYN, 1, 0)
    const stream = await opened
    while (stream.send(new Uint8Array(16 * 1024))) {}
    await delay(20)
    for (let id = 3; id < 40_000 && peer.muxer.status === 'open'; id += 2) {
      peer.send(FrameType.WindowUpdate, Flag.SYN, id, 0)
      if (id % 1000 === 1) {
        await delay(1)
      }
    }
    await delay(20)
    expect(peer.muxer.status).to.equal('closed')
    expect(stream.error?.name).to.equal('ControlBacklogError')
  })

  it('hands the reader the received payload arrays themselves: no copy of payload bytes on the way', async () => {
    const peer = rawPeer('server')
    const opened = nextStream(peer)
    const payloads = [new Uint8Array(64 * 1024).fill(1), new Uint8Array(1000).fill(2), new Uint8Array(3).fill(3)]
    peer.send(FrameType.Data, Flag.SYN, 1, payloads[0].byteLength, payloads[0])
    for (const payload of payloads.slice(1)) {
      peer.send(FrameType.Data, 0, 1, payload.byteLength, payload)
    }
    peer.send(FrameType.WindowUpdate, Flag.FIN, 1, 0)
    const stream = await opened
    const received: Uint8Array[] = []
    for await (const chunk of stream) {
      received.push(...(chunk instanceof Uint8ArrayList ? chunk : [chunk]))
    }
    expect(received.reduce((n, array) => n + array.byteLength, 0)).to.equal(payloads.reduce((n, array) => n + array.byteLength, 0))
    // every array read is a view of the memory of the payload that was sent (the pair passes arrays through)
    for (const array of received) {
      const source = payloads.find(payload => payload.buffer === array.buffer)
      expect(source, 'a view of a sent payload, not a copy').to.not.equal(undefined)
      expect(array.every(byte => byte === source?.[0])).to.equal(true)
    }
    // ... each payload as one array, neither split nor merged
    expect(received).to.have.lengthOf(payloads.length)
  })

  it('puts the sender\'s payload arrays on the connection themselves: no copy of large payloads on the way out', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream()
    const payloads = [new Uint8Array(64 * 1024).fill(1), new Uint8Array(100 * 1024).fill(2)]
    for (const payload of payloads) {
      stream.send(payload)
    }
    const isData = (frame: Frame): boolean => frame.header.type === FrameType.Data && frame.header.streamId === stream.streamId
    await peer.waitFor(frame => isData(frame) && frame.data?.byteLength === payloads[1].byteLength)
    const arrays = peer.frames.filter(isData).flatMap(frame => [...(frame.data ?? [])])
    expect(arrays.map(array => array.byteLength)).to.deep.equal(payloads.map(payload => payload.byteLength))
    arrays.forEach((array, i) => { expect(array.buffer).to.equal(payloads[i].buffer, `payload ${i} copied`) })
  })

  it('merges a stream\'s data frames queued behind a full connection into one frame (up to maxFramePayload), without copying payloads', async () => {
    const maxFramePayload = 64 * 1024
    const peer = rawPeer('client', { maxFramePayload }, { maxInFlightBytes: 16 * 1024 })
    const stream = await peer.muxer.createStream()
    const isData = (frame: Frame): boolean => frame.header.type === FrameType.Data && frame.header.streamId === stream.streamId
    // goes out at once and fills the connection
    const first = new Uint8Array(FLUSH_THRESHOLD).fill(1)
    stream.send(first)
    // queued behind it: 2 KiB writes, more than one frame's worth
    const writes = Array.from({ length: 48 }, (_, i) => new Uint8Array(2 * 1024).fill(i + 2))
    for (const write of writes) {
      stream.send(write)
    }
    const total = first.byteLength + writes.length * 2048
    await peer.waitFor(() => peer.frames.filter(isData).reduce((n, frame) => n + frame.header.length, 0) === total)
    const frames = peer.frames.filter(isData)
    // the first write alone, then 32 writes (64 KiB) in one frame and the last 16 in another
    expect(frames.map(frame => frame.header.length)).to.deep.equal([first.byteLength, maxFramePayload, 16 * 2048])
    const arrays = frames.flatMap(frame => [...(frame.data ?? [])])
    expect(arrays).to.have.lengthOf(1 + writes.length)
    ;[first, ...writes].forEach((write, i) => {
      expect(arrays[i].buffer).to.equal(write.buffer, `write ${i} copied`)
    })
  })

  it('keeps writes that go out at once in frames of their own', async () => {
    const peer = rawPeer('client')
    const stream = await peer.muxer.createStream()
    const isData = (frame: Frame): boolean => frame.header.type === FrameType.Data && frame.header.streamId === stream.streamId
    stream.send(Uint8Array.from([0, 1, 2, 3, 4]))
    stream.send(Uint8Array.from([5, 6, 7, 8, 9]))
    await peer.waitFor(() => peer.frames.filter(isData).length === 2)
    expect(peer.frames.filter(isData).map(frame => frame.header.length)).to.deep.equal([5, 5])
  })
})
