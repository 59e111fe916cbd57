import { MUXER_MEMORY_CHUNK } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { Flag, FrameType } from '../src/constants.js'
import { delay, rawPeer } from './fixtures/raw-peer.js'
import type { YamuxStream } from '../src/index.js'
import type { MemoryScope } from '@ts-libp2p/interface'

class FullError extends Error {
  override name = 'ResourceLimitError'
}

/** A memory scope with a limit that records what is reserved. */
function scope (limit = Infinity): MemoryScope & { used: number, calls: number } {
  return {
    used: 0,
    calls: 0,
    reserveMemory (bytes) {
      this.calls++
      if (this.used + bytes > limit) throw new FullError(`${this.used} + ${bytes} > ${limit}`)
      this.used += bytes
    },
    releaseMemory (bytes) {
      this.calls++
      this.used -= bytes
      if (this.used < 0) throw new Error('released more than reserved')
    }
  }
}

async function opened (peer: ReturnType<typeof rawPeer>, id: number): Promise<YamuxStream> {
  const got = new Promise<YamuxStream>(resolve => {
    peer.muxer.addEventListener('stream', (evt: CustomEvent<YamuxStream>) => { resolve(evt.detail) }, { once: true })
  })
  peer.send(FrameType.WindowUpdate, Flag.SYN, id, 0)
  return got
}

async function until (predicate: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await delay(5)
  }
}

describe('yamux memory scope', () => {
  it('charges unread bytes in 64 KiB steps, not per frame, and returns them when the remote resets the stream', async () => {
    const memory = scope()
    const peer = rawPeer('server', { memoryScope: memory })
    const stream = await opened(peer, 1)
    for (let i = 0; i < 10; i++) peer.send(FrameType.Data, 0, 1, 10_000, new Uint8Array(10_000))
    await until(() => stream.readBufferLength === 100_000)
    expect(memory.used).to.equal(2 * MUXER_MEMORY_CHUNK)
    expect(memory.calls).to.equal(2)
    peer.send(FrameType.WindowUpdate, Flag.RST, 1, 0)
    await until(() => stream.status === 'reset')
    expect(memory.used).to.equal(0)
  })

  it('a refused reservation resets the stream with the typed error; the other streams keep working', async () => {
    const memory = scope(2 * MUXER_MEMORY_CHUNK)
    const peer = rawPeer('server', { memoryScope: memory })
    const hog = await opened(peer, 1)
    const other = await opened(peer, 3)
    peer.send(FrameType.Data, 0, 3, 1000, new Uint8Array(1000))
    await until(() => other.readBufferLength === 1000)
    peer.send(FrameType.Data, 0, 1, 2 * MUXER_MEMORY_CHUNK, new Uint8Array(2 * MUXER_MEMORY_CHUNK))
    await until(() => hog.status !== 'open')
    expect(hog.error?.name).to.equal('ResourceLimitError')
    await peer.waitFor(f => f.header.streamId === 1 && (f.header.flags & Flag.RST) !== 0)
    expect(memory.used).to.equal(MUXER_MEMORY_CHUNK)
    const got: number[] = []
    other.addEventListener('message', (evt) => { got.push(evt.data.byteLength) })
    peer.send(FrameType.Data, 0, 3, 10, new Uint8Array(10))
    await until(() => got.reduce((a, b) => a + b, 0) === 1010)
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
    await until(() => memory.used === 3 * 4 * MUXER_MEMORY_CHUNK)
    // read a's buffer: the next frame returns all but one step
    a.addEventListener('message', () => {})
    await until(() => a.readBufferLength === 0)
    peer.send(FrameType.Data, 0, 1, 1, new Uint8Array(1))
    await until(() => memory.used === 2 * 4 * MUXER_MEMORY_CHUNK)
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
    await until(() => stream.readBufferLength === 100_000)
    expect(stream.status).to.equal('open')
  })
})
