import { countingMemoryScope, waitFor } from '@ts-libp2p/test-utils'
import { MUXER_MEMORY_CHUNK } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { MessageType } from '../src/constants.js'
import { delay, rawPeer } from './fixtures/raw-peer.js'

const scope = countingMemoryScope

describe('mplex memory scope', () => {
  it('charges unread bytes in 64 KiB steps, resets a stream whose reservation is refused, and returns everything when streams end', async () => {
    const memory = scope(3 * MUXER_MEMORY_CHUNK)
    const peer = rawPeer({ memoryScope: memory })
    const first = peer.nextStream()
    peer.send(0, MessageType.NewStream)
    const kept = await first
    const second = peer.nextStream()
    peer.send(1, MessageType.NewStream)
    const hog = await second
    peer.send(0, MessageType.MessageInitiator, new Uint8Array(100_000))
    await waitFor(() => kept.readBufferLength === 100_000)
    expect(memory.used).to.equal(2 * MUXER_MEMORY_CHUNK)
    peer.send(1, MessageType.MessageInitiator, new Uint8Array(MUXER_MEMORY_CHUNK + 1))
    await waitFor(() => hog.status !== 'open')
    expect(hog.error?.name).to.equal('ResourceLimitError')
    await peer.waitFor(m => m.id === 1 && m.type === MessageType.ResetReceiver)
    expect(memory.used).to.equal(2 * MUXER_MEMORY_CHUNK)
    expect(kept.status).to.equal('open')
    peer.send(0, MessageType.ResetInitiator)
    await waitFor(() => kept.status === 'reset')
    expect(memory.used).to.equal(0)
  })

  it('returns what open streams hold when the muxer aborts', async () => {
    const memory = scope()
    const peer = rawPeer({ memoryScope: memory })
    const first = peer.nextStream()
    peer.send(0, MessageType.NewStream)
    const stream = await first
    peer.send(0, MessageType.MessageInitiator, new Uint8Array(10))
    await waitFor(() => memory.used === MUXER_MEMORY_CHUNK)
    peer.muxer.abort(new Error('connection gone'))
    expect(stream.status).to.equal('aborted')
    expect(memory.used).to.equal(0)
  })
})

describe('mplex memory scope: outbound write buffers', () => {
  it('charges what writers queue behind a full connection; a writer that waits gets backpressure, one that ignores it is aborted with ResourceLimitError; all is returned when the connection drains', async () => {
    const memory = scope(3 * MUXER_MEMORY_CHUNK)
    const peer = rawPeer({ memoryScope: memory }, { read: false, maxInFlightBytes: 16 * 1024 })
    const opening = peer.nextStream()
    peer.send(0, MessageType.NewStream)
    const polite = await opening
    const opening2 = peer.nextStream()
    peer.send(1, MessageType.NewStream)
    const rude = await opening2
    const chunk = new Uint8Array(48 * 1024)
    // the polite writer stops at the first false
    let writes = 0
    while (polite.send(chunk)) {
      writes++
      await delay(1)
      if (writes > 1000) throw new Error('the connection never filled')
    }
    expect(polite.status).to.equal('open')
    expect(memory.used).to.be.greaterThan(0)
    // the rude one writes on regardless, until the scope refuses it
    let thrown: Error | undefined
    for (let i = 0; i < 100 && thrown == null; i++) {
      try {
        rude.send(chunk)
      } catch (err: any) {
        thrown = err
      }
    }
    expect(thrown?.name).to.equal('ResourceLimitError')
    expect(rude.status).to.equal('aborted')
    expect(polite.status).to.equal('open')
    expect(memory.used).to.be.at.most(3 * MUXER_MEMORY_CHUNK)
    // the raw peer reads: the polite writer's bytes go out, every reservation is returned
    const drained = new Promise(resolve => { polite.addEventListener('drain', resolve, { once: true }) })
    peer.conn.addEventListener('message', () => {})
    await drained
    await waitFor(() => polite.writeBufferLength === 0 && peer.muxer.queuedMemory === 0)
    expect(memory.used).to.equal(0)
    expect(polite.send(new Uint8Array(10))).to.equal(true)
    await polite.close()
    // the close frame may wait in a batch behind the connection a moment: its reservation goes at the drain
    await waitFor(() => memory.used === 0)
    expect(polite.writeStatus).to.equal('closed')
  })

  it('returns the batch and the write buffers when the muxer aborts behind a full connection', async () => {
    const memory = scope()
    const peer = rawPeer({ memoryScope: memory }, { read: false, maxInFlightBytes: 16 * 1024 })
    const opening = peer.nextStream()
    peer.send(0, MessageType.NewStream)
    const stream = await opening
    for (let i = 0; i < 40; i++) {
      stream.send(new Uint8Array(48 * 1024))
      await delay(1)
    }
    expect(peer.muxer.queuedMemory).to.be.greaterThan(0)
    expect(stream.reservedMemory).to.be.greaterThan(0)
    peer.muxer.abort(new Error('connection gone'))
    expect(stream.status).to.equal('aborted')
    expect(memory.used).to.equal(0)
  })
})
