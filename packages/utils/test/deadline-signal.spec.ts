import { TimeoutError } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { deadlineSignal } from '../src/deadline-signal.js'

describe('deadlineSignal', () => {
  it('fires with the timeout error after the deadline', async () => {
    const signal = deadlineSignal(undefined, 20, () => new TimeoutError('too slow'))
    expect(signal.aborted).to.equal(false)
    await new Promise(resolve => setTimeout(resolve, 60))
    expect(signal.aborted).to.equal(true)
    expect(signal.reason).to.have.property('name', 'TimeoutError')
    expect(signal.reason).to.have.property('message', 'too slow')
  })

  it('fires with the parent\'s reason, also when the parent fired already', () => {
    const parent = new AbortController()
    const signal = deadlineSignal(parent.signal, 10_000, () => new TimeoutError('too slow'))
    const reason = new Error('stop')
    parent.abort(reason)
    expect(signal.aborted).to.equal(true)
    expect(signal.reason).to.equal(reason)
    signal.clear()
    const early = deadlineSignal(parent.signal, 10_000, () => new TimeoutError('too slow'))
    expect(early.aborted).to.equal(true)
    expect(early.reason).to.equal(reason)
  })

  it('clear() stops the timer and lets go of the parent', async () => {
    const parent = new AbortController()
    const signal = deadlineSignal(parent.signal, 20, () => new TimeoutError('too slow'))
    signal.clear()
    parent.abort(new Error('later'))
    await new Promise(resolve => setTimeout(resolve, 60))
    expect(signal.aborted).to.equal(false)
  })

  it('has no deadline for 0 or Infinity', async () => {
    for (const ms of [0, Infinity]) {
      const signal = deadlineSignal(undefined, ms, () => new TimeoutError('too slow'))
      await new Promise(resolve => setTimeout(resolve, 10))
      expect(signal.aborted).to.equal(false)
      signal.clear()
    }
  })
})
