import { expect } from 'chai'
import { anySignal } from '../src/any-signal.js'

describe('anySignal', () => {
  it('fires with the reason of the first input that fires', () => {
    const a = new AbortController()
    const b = new AbortController()
    const signal = anySignal([a.signal, undefined, b.signal, null])
    expect(signal.aborted).to.equal(false)
    const reason = new Error('b went first')
    b.abort(reason)
    expect(signal.aborted).to.equal(true)
    expect(signal.reason).to.equal(reason)
    a.abort(new Error('later'))
    expect(signal.reason).to.equal(reason)
  })

  it('is aborted at once when an input already is', () => {
    const a = new AbortController()
    a.abort(new Error('early'))
    const signal = anySignal([new AbortController().signal, a.signal])
    expect(signal.aborted).to.equal(true)
    expect(signal.reason).to.have.property('message', 'early')
  })

  it('clear() removes its listeners from the inputs', () => {
    const a = new AbortController()
    let listeners = 0
    const add = a.signal.addEventListener.bind(a.signal)
    const remove = a.signal.removeEventListener.bind(a.signal)
    a.signal.addEventListener = ((...args: any[]) => { listeners++; (add as any)(...args) }) as any
    a.signal.removeEventListener = ((...args: any[]) => { listeners--; (remove as any)(...args) }) as any
    const signal = anySignal([a.signal])
    expect(listeners).to.equal(1)
    signal.clear()
    expect(listeners).to.equal(0)
    a.abort()
    expect(signal.aborted).to.equal(false, 'a cleared signal no longer follows its inputs')
  })

  it('follows AbortSignal.timeout', async () => {
    const signal = anySignal([AbortSignal.timeout(5)])
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(signal.aborted).to.equal(true)
    expect(signal.reason).to.have.property('name', 'TimeoutError')
  })
})
