import { AbortError } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { abortReason, raceSignal, throwIfAborted } from '../src/race-signal.js'
import { delay, rejection } from './fixtures/test-streams.js'

describe('raceSignal', () => {
  it('returns the promise\'s value without a signal', async () => {
    expect(await raceSignal(Promise.resolve(3))).to.equal(3)
  })

  it('returns the value when the promise wins', async () => {
    expect(await raceSignal(Promise.resolve(3), AbortSignal.timeout(1000))).to.equal(3)
  })

  it('passes the promise\'s rejection through', async () => {
    const err = new Error('inner')
    expect(await rejection(raceSignal(Promise.reject(err), new AbortController().signal))).to.equal(err)
  })

  it('rejects with our AbortError for a bare abort()', async () => {
    const controller = new AbortController()
    const p = raceSignal(new Promise(() => {}), controller.signal)
    controller.abort()
    const err = await rejection(p)
    expect(err).to.be.an.instanceOf(AbortError)
    expect(err).to.have.property('name', 'AbortError')
  })

  it('rejects at once when the signal already fired', async () => {
    const controller = new AbortController()
    controller.abort()
    const err = await rejection(raceSignal(delay(1000), controller.signal))
    expect(err).to.have.property('name', 'AbortError')
  })

  it('keeps a TimeoutError reason', async () => {
    const err = await rejection(raceSignal(new Promise(() => {}), AbortSignal.timeout(5)))
    expect(err).to.have.property('name', 'TimeoutError')
  })

  it('keeps a caller\'s own reason', async () => {
    const controller = new AbortController()
    const reason = new Error('shutting down')
    controller.abort(reason)
    expect(await rejection(raceSignal(new Promise(() => {}), controller.signal))).to.equal(reason)
  })

  it('wraps a non-error reason', () => {
    const controller = new AbortController()
    controller.abort('because')
    const err = abortReason(controller.signal)
    expect(err).to.have.property('name', 'AbortError')
    expect(err.message).to.include('because')
  })

  it('removes its abort listener once the promise settles', async () => {
    const controller = new AbortController()
    let added = 0
    let removed = 0
    const signal = controller.signal
    const add = signal.addEventListener.bind(signal)
    const remove = signal.removeEventListener.bind(signal)
    signal.addEventListener = ((...args: any[]) => { added++; (add as any)(...args) }) as any
    signal.removeEventListener = ((...args: any[]) => { removed++; (remove as any)(...args) }) as any
    for (let i = 0; i < 10; i++) {
      await raceSignal(Promise.resolve(i), signal)
    }
    expect(added).to.equal(10)
    expect(removed).to.equal(10)
  })
})

describe('throwIfAborted', () => {
  it('throws AbortError for an aborted signal and nothing otherwise', () => {
    const controller = new AbortController()
    throwIfAborted(controller.signal)
    throwIfAborted(undefined)
    controller.abort()
    expect(() => { throwIfAborted(controller.signal) }).to.throw().with.property('name', 'AbortError')
  })
})
