import { countingMemoryScope, waitFor } from '@ts-libp2p/test-utils'
import { MUXER_MEMORY_CHUNK } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { Flag, FrameType } from '../src/constants.js'
import { delay, rawPeer } from './fixtures/raw-peer.js'
import type { YamuxStream } from '../src/index.js'

const scope = countingMemoryScope

async function opened (peer: ReturnType<typeof rawPeer>, id: number): Promise<YamuxStream> {
  const got = new Promise<YamuxStream>(resolve => {
    peer.muxer.addEventListener('stream', (evt: CustomEvent<YamuxStream>) => { resolve(evt.detail) }, { once: true })
  })
  peer.send(FrameType.WindowUpdate, Flag.SYN, id, 0)
  return got
}

describe('yamux memory scope', () => {
  it('charges unread bytes in 64 KiB steps, not per frame, and returns them when the remote resets the stream', async () => {
    const memory = scope()
    const peer = rawPeer('server', { memoryScope: memory })
    const stream = await opened(peer, 1)
    for (let i = 0; i < 10; i++) peer.send(FrameType.Data, 0, 1, 10_000, new Uint8Array(10_000))
    await waitFor(() => stream.readBufferLength === 100_000)
    expect(memory.used).to.equal(2 * MUXER_MEMORY_CHUNK)
    expect(memory.calls).to.equal(2)
    peer.send(FrameType.WindowUpdate, Flag.RST, 1, 0)
    await waitFor(() => stream.status === 'reset')
    expect(memory.used).to.equal(0)
  })

  it('a refused reservation resets the stream with the typed error; the other streams keep working', async () => {
    const memory = scope(2 * MUXER_MEMORY_CHUNK)
    const peer = rawPeer('server', { memoryScope: memory })
    const hog = await opened(peer, 1)
    const other = await opened(peer, 3)
    peer.send(FrameType.Data, 0, 3, 1000, new Uint8Array(1000))
    await waitFor(() => other.readBufferLength === 1000)
    peer.send(FrameType.Data, 0, 1, 2 * MUXER_MEMORY_CHUNK, new Uint8Array(2 * MUXER_MEMORY_CHUNK))
    await waitFor(() => hog.status !== 'open')
    expect(hog.error?.name).to.equal('ResourceLimitError')
    await peer.waitFor(f => f.header.streamId === 1 && (f.header.flags & Flag.RST) !== 0)
    expect(memory.used).to.equal(MUXER_MEMORY_CHUNK)
    const got: number[] = []
    other.addEventListener('message', (evt) => { got.push(evt.data.byteLength) })
    peer.send(FrameType.Data, 0, 3, 10, new Uint8Array(10))
    await waitFor(() => got.reduce((a, b) => a + b, 0) === 1010)
    expect(other.status).to.equal('open')
    expect(peer.muxer.status).to.equal('open')
  })

  it('returns a drained buffer at the next frame, and everything on a local abort and when the muxer aborts', async () => {
    const memory = scope()
    const peer = rawPeer('server', { memoryScope: memory })
    const a = await opened(peer, 1)
    const b = await opened(peer, 3)
    const c = await opened(peer, 5)
    for (const id of [1, 3, 5]) peer.send(FrameType.Data, 0, id, 200_000, new Uint8Array(200_000))
    await waitFor(() => memory.used === 3 * 4 * MUXER_MEMORY_CHUNK)
    // read a's buffer: the next frame returns all but one step
    a.addEventListener('message', () => {})
    await waitFor(() => a.readBufferLength === 0)
    peer.send(FrameType.Data, 0, 1, 1, new Uint8Array(1))
    await waitFor(() => memory.used === 2 * 4 * MUXER_MEMORY_CHUNK)
    b.abort(new Error('local abort'))
    expect(memory.used).to.equal(4 * MUXER_MEMORY_CHUNK)
    peer.muxer.abort(new Error('connection gone'))
    expect(c.status).to.equal('aborted')
    expect(memory.used).to.equal(0)
  })

  it('without a memory scope nothing is charged (and nothing breaks)', async () => {
    const peer = rawPeer('server')
    const stream = await opened(peer, 1)
    peer.send(FrameType.Data, 0, 1, 100_000, new Uint8Array(100_000))
    await waitFor(() => stream.readBufferLength === 100_000)
    expect(stream.status).to.equal('open')
  })
})

describe('yamux memory scope: outbound write buffers', () => {
  const WINDOW = 256 * 1024

  it('charges what a writer queued behind the send window in 64 KiB steps and returns it when the window opens (drain)', async () => {
    const memory = scope()
    const peer = rawPeer('server', { memoryScope: memory }, { maxInFlightBytes: 16 * 1024 * 1024 })
    const stream = await opened(peer, 1)
    expect(stream.send(new Uint8Array(WINDOW))).to.equal(false)
    expect(memory.used).to.equal(0)
    // a writer that keeps going while it still has budget: its bytes wait for the window
    stream.send(new Uint8Array(100_000))
    expect(stream.writeBufferLength).to.equal(100_000)
    expect(memory.used).to.equal(2 * MUXER_MEMORY_CHUNK)
    const drained = new Promise(resolve => { stream.addEventListener('drain', resolve, { once: true }) })
    // more credit than is queued: a window used up exactly would block the stream again
    peer.send(FrameType.WindowUpdate, 0, 1, 200_000)
    await drained
    expect(stream.writeBufferLength).to.equal(0)
    expect(memory.used).to.equal(0)
    expect(stream.status).to.equal('open')
  })

  it('past the limit a writer that waits gets backpressure (send() false) and carries on after drain; one that ignores it is aborted with ResourceLimitError', async () => {
    const memory = scope(MUXER_MEMORY_CHUNK)
    const peer = rawPeer('server', { memoryScope: memory }, { maxInFlightBytes: 16 * 1024 * 1024 })
    const polite = await opened(peer, 1)
    // one write past the window by more than the scope allows: backpressure, not an error
    expect(polite.send(new Uint8Array(WINDOW + 100_000))).to.equal(false)
    expect(polite.status).to.equal('open')
    expect(polite.writeBufferLength).to.equal(100_000)
    expect(memory.used).to.equal(0)
    const drained = new Promise(resolve => { polite.addEventListener('drain', resolve, { once: true }) })
    peer.send(FrameType.WindowUpdate, 0, 1, 200_000)
    await drained
    expect(polite.send(new Uint8Array(1000))).to.equal(true)
    expect(polite.status).to.equal('open')
    expect(memory.used).to.equal(0)

    const rude = await opened(peer, 3)
    expect(rude.send(new Uint8Array(WINDOW + 1000))).to.equal(false)
    expect(memory.used).to.equal(MUXER_MEMORY_CHUNK)
    // ignores the false and writes on past the scope
    let thrown: Error | undefined
    try {
      rude.send(new Uint8Array(100_000))
    } catch (err: any) {
      thrown = err
    }
    expect(thrown?.name).to.equal('ResourceLimitError')
    expect(rude.status).to.equal('aborted')
    expect(rude.error?.name).to.equal('ResourceLimitError')
    await peer.waitFor(f => f.header.streamId === 3 && (f.header.flags & Flag.RST) !== 0)
    expect(memory.used).to.equal(0)
    expect(polite.status).to.equal('open')
  })

  it('returns queued bytes when the stream is reset by the remote, closed locally after flushing, and when the muxer aborts', async () => {
    const memory = scope()
    const peer = rawPeer('server', { memoryScope: memory }, { maxInFlightBytes: 16 * 1024 * 1024 })
    const a = await opened(peer, 1)
    const b = await opened(peer, 3)
    const c = await opened(peer, 5)
    for (const s of [a, b, c]) {
      s.send(new Uint8Array(WINDOW))
      s.send(new Uint8Array(70_000))
    }
    expect(memory.used).to.equal(3 * 2 * MUXER_MEMORY_CHUNK)
    peer.send(FrameType.WindowUpdate, Flag.RST, 1, 0)
    await waitFor(() => a.status === 'reset')
    expect(memory.used).to.equal(2 * 2 * MUXER_MEMORY_CHUNK)
    const closing = b.close()
    peer.send(FrameType.WindowUpdate, 0, 3, 70_000)
    await closing
    expect(b.writeStatus).to.equal('closed')
    expect(memory.used).to.equal(2 * MUXER_MEMORY_CHUNK)
    peer.muxer.abort(new Error('connection gone'))
    expect(c.status).to.equal('aborted')
    expect(memory.used).to.equal(0)
  })

  it('charges frames batched behind a full connection; past the limit streams wait; all is returned when it drains', async () => {
    const memory = scope(MUXER_MEMORY_CHUNK)
    const peer = rawPeer('server', { memoryScope: memory, streamOptions: {} }, { read: false, maxInFlightBytes: 16 * 1024 })
    const streams = [await opened(peer, 1), await opened(peer, 3), await opened(peer, 5)]
    for (let i = 0; i < 20; i++) {
      for (const s of streams) {
        if (s.writableNeedsDrain) continue
        s.send(new Uint8Array(16 * 1024))
      }
      await delay(1)
    }
    expect(peer.muxer.queuedMemory).to.be.greaterThan(0)
    expect(memory.used).to.be.at.most(MUXER_MEMORY_CHUNK)
    expect(memory.used).to.equal(MUXER_MEMORY_CHUNK)
    // the limit made the streams wait (no error): every stream is open
    for (const s of streams) expect(s.status).to.equal('open')
    // the raw peer starts reading: the batch drains and its reservation is returned
    peer.conn.addEventListener('message', () => {})
    await waitFor(() => peer.muxer.queuedMemory === 0 && streams.every(s => s.writeBufferLength === 0))
    for (const s of streams) expect(s.status).to.equal('open')
    expect(memory.used).to.equal(0)
  })
})
