import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { streamPair, waitFor } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { encodeRpcFrame } from '../src/pb/rpc.js'
import { PeerStreams } from '../src/peer-streams.js'
import type { PeerStreamsHandlers } from '../src/peer-streams.js'
import type { PeerId } from '@ts-libp2p/interface'

function frameOf (n: number, size = 1): Uint8Array {
  return encodeRpcFrame({ subscriptions: [], messages: [{ topic: String(n), data: new Uint8Array(size) }] })
}

interface Recorder extends PeerStreamsHandlers {
  frames: Uint8Array[]
  inboundErrors: Array<Error | undefined>
  outboundCloses: Array<Error | undefined>
}

function recorder (onFrame?: (frame: Uint8Array) => void): Recorder {
  const r: Recorder = {
    frames: [],
    inboundErrors: [],
    outboundCloses: [],
    onFrame: (_p, frame) => { onFrame?.(frame); r.frames.push(frame) },
    onInboundClose: (_p, err) => { r.inboundErrors.push(err) },
    onOutboundClose: (_p, err) => { r.outboundCloses.push(err) }
  }
  return r
}

describe('peer-streams', () => {
  let peerId: PeerId

  before(async () => {
    peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  })

  it('carries frames from a writer to a reader, queued ones first-frame first', async () => {
    const [out, inn] = streamPair()
    const writer = new PeerStreams(peerId, recorder())
    const reader = recorder()
    const readerStreams = new PeerStreams(peerId, reader)
    readerStreams.attachInbound(inn)
    // written before the stream exists: queued
    expect(writer.write(frameOf(1))).to.equal(true)
    expect(writer.write(frameOf(2))).to.equal(true)
    expect(writer.queuedBytes).to.be.greaterThan(0)
    writer.attachOutbound(out, frameOf(0))
    for (let i = 3; i < 100; i++) writer.write(frameOf(i, i * 37))
    await waitFor(() => reader.frames.length === 100)
    expect(writer.queuedBytes).to.equal(0)
    // the topic field of frame n is String(n): check order
    const { decodeRpc } = await import('../src/pb/decode.js')
    expect(reader.frames.map(f => decodeRpc(f).messages[0].topic)).to.deep.equal(Array.from({ length: 100 }, (_, i) => String(i)))
    await writer.close()
    await waitFor(() => reader.inboundErrors.length === 1)
    expect(reader.inboundErrors[0]).to.equal(undefined)
  })

  it('resets the inbound stream on an over-size length prefix', async () => {
    const [out, inn] = streamPair()
    const reader = recorder()
    new PeerStreams(peerId, reader, { maxRpcSize: 1000 }).attachInbound(inn)
    out.send(Uint8Array.of(0xe9, 0x07)) // 1001
    await waitFor(() => reader.inboundErrors.length === 1)
    expect(reader.inboundErrors[0]).to.have.property('name', 'RpcTooLargeError')
    expect(inn.status).to.equal('aborted')
    await waitFor(() => out.status === 'reset')
  })

  it('resets on an over-long varint prefix and on a stream ending inside a frame', async () => {
    for (const [bytes, name] of [[Uint8Array.of(0xff, 0xff, 0xff, 0xff), 'InvalidRpcError'], [Uint8Array.of(10, 1, 2), 'InvalidRpcError']] as const) {
      const [out, inn] = streamPair()
      const reader = recorder()
      new PeerStreams(peerId, reader, { maxRpcSize: 1000 }).attachInbound(inn)
      out.send(bytes)
      await out.close().catch(() => {})
      await waitFor(() => reader.inboundErrors.length === 1)
      expect(reader.inboundErrors[0]).to.have.property('name', name)
    }
  })

  it('resets the inbound stream when the frame handler throws (a malformed RPC)', async () => {
    const [out, inn] = streamPair()
    const reader = recorder(() => { throw Object.assign(new Error('bad rpc'), { name: 'InvalidRpcError' }) })
    new PeerStreams(peerId, reader).attachInbound(inn)
    out.send(frameOf(1))
    await waitFor(() => reader.inboundErrors.length === 1)
    expect(reader.inboundErrors[0]).to.have.property('name', 'InvalidRpcError')
    await waitFor(() => out.status === 'reset')
  })

  it('bounds the queue while the remote does not read: drops (default) or closes', async () => {
    for (const overflow of ['drop', 'close'] as const) {
      const [out] = streamPair({ maxInFlightBytes: 1024 })
      const handlers = recorder()
      const writer = new PeerStreams(peerId, handlers, { maxQueuedBytes: 10_000, overflow })
      writer.attachOutbound(out)
      let accepted = 0
      let refused = 0
      for (let i = 0; i < 200; i++) {
        if (writer.write(frameOf(i, 500))) accepted++
        else refused++
      }
      expect(refused).to.be.greaterThan(0)
      expect(writer.dropped).to.equal(refused)
      expect(writer.queuedBytes).to.be.at.most(10_000)
      if (overflow === 'close') {
        await waitFor(() => handlers.outboundCloses.length === 1)
        expect(handlers.outboundCloses[0]).to.have.property('name', 'SendQueueFullError')
        expect(out.status).to.equal('aborted')
        // what was written after the overflow waits (bounded) for a replacement stream
        expect(writer.queuedBytes).to.be.at.most(10_000)
        writer.abort(new Error('done'))
        expect(writer.queuedBytes).to.equal(0)
      } else {
        expect(writer.isWritable).to.equal(true)
        writer.abort(new Error('done'))
      }
      expect(accepted).to.be.greaterThan(0)
    }
  })

  it('refuses to send a frame over the size limit (caller bug)', () => {
    const writer = new PeerStreams(peerId, recorder(), { maxRpcSize: 100 })
    expect(() => writer.write(frameOf(1, 200))).to.throw().with.property('name', 'RpcTooLargeError')
  })

  it('a newer inbound stream becomes current; the older one is still read until the remote ends it', async () => {
    const reader = recorder()
    const streams = new PeerStreams(peerId, reader)
    const [out1, in1] = streamPair()
    const [out2, in2] = streamPair()
    streams.attachInbound(in1)
    streams.attachInbound(in2)
    expect(streams.inbound).to.equal(in2)
    out1.send(frameOf(1))
    out2.send(frameOf(2))
    await waitFor(() => reader.frames.length === 2)
    // the old stream ending is not the current one ending
    await out1.close()
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(reader.inboundErrors).to.have.length(0)
    await streams.close()
    expect(streams.closed).to.equal(true)
    expect(streams.write(frameOf(3))).to.equal(false)
    await out2.close().catch(() => {})
  })
})
