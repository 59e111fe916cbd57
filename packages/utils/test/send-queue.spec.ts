import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { SendQueue } from '../src/send-queue.js'
import { rejection } from './fixtures/test-streams.js'
import type { SendResult } from '../src/send-queue.js'

function queue (answer: (data: Uint8ArrayList) => SendResult, maxMessageSize?: number): { q: SendQueue, calls: Uint8ArrayList[] } {
  const calls: Uint8ArrayList[] = []
  const q = new SendQueue({
    sendData: (data) => { calls.push(data); return answer(data) },
    maxMessageSize: () => maxMessageSize
  })
  return { q, calls }
}

describe('SendQueue', () => {
  it('hands everything over in one call when the resource takes it', () => {
    const { q, calls } = queue(data => ({ sentBytes: data.byteLength, canSendMore: true }))
    const a = Uint8Array.of(1)
    const b = Uint8Array.of(2, 3)
    q.append(a)
    q.append(b)
    q.flush()
    expect(calls).to.have.lengthOf(1)
    expect([...calls[0]]).to.deep.equal([a, b], 'the same arrays, in order')
    expect(q.byteLength).to.equal(0)
    expect(q.sentBytes).to.equal(3)
  })

  it('splits at maxMessageSize', () => {
    const { q, calls } = queue(data => ({ sentBytes: data.byteLength, canSendMore: true }), 2)
    q.append(Uint8Array.of(1, 2, 3, 4, 5))
    q.flush()
    expect(calls.map(c => c.byteLength)).to.deep.equal([2, 2, 1])
  })

  it('stops when blocked and continues after unblock', () => {
    let open = false
    const { q, calls } = queue(data => ({ sentBytes: open ? data.byteLength : 1, canSendMore: open }))
    q.append(Uint8Array.of(1, 2, 3))
    q.flush()
    expect(q.blocked).to.equal(true)
    expect(q.byteLength).to.equal(2)
    q.flush()
    expect(calls).to.have.lengthOf(1, 'a blocked queue does not call the resource')
    open = true
    q.unblock()
    q.flush()
    expect(q.byteLength).to.equal(0)
    expect(calls[1].subarray()).to.deep.equal(Uint8Array.of(2, 3))
  })

  it('lets a re-entrant append ride on the running flush', () => {
    const order: number[] = []
    const q: SendQueue = new SendQueue({
      sendData: (data) => {
        order.push(...data.subarray())
        if (order.length === 1) {
          q.append(Uint8Array.of(2))
          q.flush()
        }
        return { sentBytes: data.byteLength, canSendMore: true }
      },
      maxMessageSize: () => undefined
    })
    q.append(Uint8Array.of(1))
    q.flush()
    expect(order).to.deep.equal([1, 2])
  })

  it('resolves flushed() once empty, and clear() settles waiters', async () => {
    const { q } = queue(() => ({ sentBytes: 0, canSendMore: false }))
    await q.flushed()
    q.append(Uint8Array.of(1))
    q.flush()
    let done = false
    const waiting = q.flushed().then(() => { done = true })
    await Promise.resolve()
    expect(done).to.equal(false)
    expect(q.clear()).to.equal(1)
    await waiting
    q.append(Uint8Array.of(1))
    q.flush()
    const err = new Error('reset')
    const failing = q.flushed()
    q.clear(err)
    expect(await rejection(failing)).to.equal(err)
  })

  it('propagates a throwing resource and is usable afterwards', () => {
    let fail = true
    const { q } = queue(data => {
      if (fail) {
        throw new Error('boom')
      }
      return { sentBytes: data.byteLength, canSendMore: true }
    })
    q.append(Uint8Array.of(1))
    expect(() => { q.flush() }).to.throw('boom')
    expect(q.sending).to.equal(false)
    fail = false
    q.append(Uint8Array.of(2))
    q.flush()
    expect(q.byteLength).to.equal(0)
  })
})
