import { expect } from 'chai'
import { BUFFER_MEMORY_STEP } from '../src/constants.js'
import { MemoryReservation } from '../src/memory-reservation.js'
import { TestMessageStream, TestStream, bytes } from './fixtures/test-streams.js'
import type { MemoryScope } from '@ts-libp2p/interface'

class FullError extends Error {
  override name = 'ResourceLimitError'
}

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

const STEP = BUFFER_MEMORY_STEP

describe('MemoryReservation', () => {
  it('reserves in steps as the held bytes grow, keeps a reservation within two steps, returns all when nothing is held', () => {
    const memory = scope()
    const r = new MemoryReservation(memory)
    expect(r.update(1)).to.equal(undefined)
    expect(memory.used).to.equal(STEP)
    r.update(STEP)
    r.update(10)
    expect(memory.calls).to.equal(1)
    r.update(3 * STEP + 1)
    expect(memory.used).to.equal(4 * STEP)
    // two steps below: returned down to the rounded size
    r.update(STEP + 1)
    expect(memory.used).to.equal(2 * STEP)
    r.update(0)
    expect(memory.used).to.equal(0)
    expect(r.reserved).to.equal(0)
  })

  it('returns the scope\'s error and changes nothing when refused; releaseAll is idempotent', () => {
    const memory = scope(STEP)
    const r = new MemoryReservation(memory)
    r.update(100)
    const err = r.update(STEP + 1)
    expect(err?.name).to.equal('ResourceLimitError')
    expect(r.reserved).to.equal(STEP)
    expect(memory.used).to.equal(STEP)
    r.releaseAll()
    r.releaseAll()
    expect(memory.used).to.equal(0)
  })
})

describe('AbstractMessageStream memory scope', () => {
  it('charges the write buffer while the resource is full and returns it when it drains', () => {
    const memory = scope()
    const stream = new TestMessageStream({ memoryScope: memory })
    stream.controls.canSendMore = false
    expect(stream.send(new Uint8Array(10))).to.equal(false)
    expect(memory.used).to.equal(0)
    stream.send(new Uint8Array(100_000))
    expect(stream.reservedMemory).to.equal(2 * STEP)
    expect(memory.used).to.equal(2 * STEP)
    stream.controls.canSendMore = true
    stream.onSendReady()
    expect(stream.writeBufferLength).to.equal(0)
    expect(memory.used).to.equal(0)
  })

  it('a refusal is backpressure for a writer not yet told to wait, an abort with the scope\'s error for one that was', () => {
    const memory = scope(STEP)
    const stream = new TestStream({ memoryScope: memory })
    stream.controls.accept = 0
    stream.controls.canSendMore = false
    expect(stream.send(new Uint8Array(STEP + 1))).to.equal(false)
    expect(stream.status).to.equal('open')
    expect(memory.used).to.equal(0)
    expect(() => stream.send(new Uint8Array(STEP + 1))).to.throw().with.property('name', 'ResourceLimitError')
    expect(stream.status).to.equal('aborted')
    expect(stream.error?.name).to.equal('ResourceLimitError')
    expect(stream.controls.resets.map(e => e.name)).to.deep.equal(['ResourceLimitError'])
    expect(memory.used).to.equal(0)
  })

  it('charges the read buffer only with chargeReadBuffer, returns it as it is read and everything on abort', async () => {
    const reads = scope()
    const plain = scope()
    const charged = new TestMessageStream({ memoryScope: reads, chargeReadBuffer: true })
    const uncharged = new TestMessageStream({ memoryScope: plain })
    for (const s of [charged, uncharged]) s.onData(new Uint8Array(70_000))
    expect(reads.used).to.equal(2 * STEP)
    expect(plain.used).to.equal(0)
    for await (const chunk of charged) {
      expect(chunk.byteLength).to.equal(70_000)
      break
    }
    expect(reads.used).to.equal(0)
    charged.onData(bytes(1, 2, 3))
    expect(reads.used).to.equal(STEP)
    charged.abort(new Error('gone'))
    expect(reads.used).to.equal(0)
  })

  it('aborts with the scope\'s error when unread bytes do not fit', () => {
    const memory = scope(STEP)
    const stream = new TestMessageStream({ memoryScope: memory, chargeReadBuffer: true })
    stream.onData(new Uint8Array(STEP))
    stream.onData(new Uint8Array(1))
    expect(stream.status).to.equal('aborted')
    expect(stream.error?.name).to.equal('ResourceLimitError')
    expect(memory.used).to.equal(0)
  })

  it('returns the write buffer\'s charge when the transport closes', () => {
    const memory = scope()
    const stream = new TestStream({ memoryScope: memory })
    stream.controls.accept = 0
    stream.controls.canSendMore = false
    stream.send(new Uint8Array(1000))
    expect(memory.used).to.equal(STEP)
    stream.onTransportClosed()
    expect(memory.used).to.equal(0)
  })
})
