import { StreamCloseEvent, TypedEventEmitter } from '@ts-libp2p/interface'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { OutboundStream } from '../src/peer-streams.js'
import { connect, gossipNode, stopNodes, until } from './fixtures.js'
import type { MemoryScope, Stream } from '@ts-libp2p/interface'

class FullError extends Error {
  override name = 'ResourceLimitError'
}

function scope (limit: number): MemoryScope & { used: number, refused: string[] } {
  return {
    used: 0,
    refused: [],
    reserveMemory (bytes) {
      if (this.used + bytes > limit) {
        const err = new FullError(`${this.used} + ${bytes} > ${limit}`)
        this.refused.push(err.name)
        throw err
      }
      this.used += bytes
    },
    releaseMemory (bytes) {
      this.used -= bytes
      if (this.used < 0) throw new Error('released more than reserved')
    }
  }
}

/** A stream that accepts one frame and then asks the writer to wait for `drain`. */
class SlowStream extends TypedEventEmitter<any> {
  status = 'open'
  writeStatus = 'writable'
  protocol = '/meshsub/1.1.0'
  sent: Uint8Array[] = []
  full = false
  send (frame: Uint8Array): boolean {
    this.sent.push(frame)
    return !this.full
  }

  drain (): void {
    this.full = false
    this.dispatchEvent(new Event('drain'))
  }

  abort (err: Error): void {
    this.status = 'aborted'
    this.dispatchEvent(new StreamCloseEvent(true, err))
  }
}

describe('gossipsub outbound stream memory', () => {
  const log = defaultLogger().forComponent('test')

  it('charges queued frames to the memory scope, drops a frame it refuses, releases on drain and on close', () => {
    const memory = scope(250)
    let dropped = 0
    const raw = new SlowStream()
    const out = new OutboundStream(raw as unknown as Stream, { maxQueueBytes: 10_000, log, memory, onDrop: () => { dropped++ } })
    raw.full = true
    expect(out.push(new Uint8Array(10))).to.equal(true) // sent, the stream now asks us to wait
    expect(memory.used).to.equal(0)
    expect(out.push(new Uint8Array(100))).to.equal(true)
    expect(out.push(new Uint8Array(100))).to.equal(true)
    expect(memory.used).to.equal(200)
    expect(out.push(new Uint8Array(100))).to.equal(false)
    expect(memory.refused).to.deep.equal(['ResourceLimitError'])
    expect(dropped).to.equal(1)
    expect(memory.used).to.equal(200)
    raw.drain()
    expect(memory.used).to.equal(0)
    expect(raw.sent.map(f => f.byteLength)).to.deep.equal([10, 100, 100])
    raw.full = true
    out.push(new Uint8Array(5))
    out.push(new Uint8Array(50))
    expect(memory.used).to.equal(50)
    raw.abort(new Error('reset'))
    expect(memory.used).to.equal(0)
    expect(out.push(new Uint8Array(1))).to.equal(false)
  })
})

describe('gossipsub in a node with a resource manager', () => {
  afterEach(stopNodes)

  it('charges the message cache to its service scope (usage in the node stats) and returns it all when it stops', async () => {
    const a = await gossipNode()
    const b = await gossipNode()
    await connect(a, b)
    const got: number[] = []
    b.services.pubsub.addEventListener('message', (evt: any) => { got.push(evt.detail.data.byteLength) })
    b.services.pubsub.subscribe('t')
    a.services.pubsub.subscribe('t')
    await until(() => a.services.pubsub.getSubscribers('t').length === 1, 5000, 'subscription')
    for (let i = 0; i < 20; i++) await a.services.pubsub.publish('t', new Uint8Array(1000 + i))
    await until(() => got.length === 20, 5000, 'messages')
    const rm = (a as any).components.resourceManager
    // the 20 published messages (over 20 000 bytes) are in a's message cache, no frame is queued
    expect(rm.stat().services.gossipsub.memory).to.be.greaterThan(20_000)
    await a.stop()
    expect(rm.stat().services.gossipsub.memory).to.equal(0)
    expect(rm.stat().system.memory).to.equal(0)
  })
})
