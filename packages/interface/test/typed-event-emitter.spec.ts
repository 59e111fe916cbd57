import { expect } from 'chai'
import { TypedEventEmitter } from '../src/index.js'

interface Events {
  a: CustomEvent<number>
  b: CustomEvent<string>
}

describe('TypedEventEmitter', () => {
  it('calls listeners in order with the event and counts them', () => {
    const emitter = new TypedEventEmitter<Events>()
    const seen: string[] = []
    expect(emitter.listenerCount('a')).to.equal(0)
    emitter.addEventListener('a', (evt) => { seen.push(`1:${evt.detail}`) })
    emitter.addEventListener('a', { handleEvent: (evt) => { seen.push(`2:${evt.detail}`) } })
    expect(emitter.listenerCount('a')).to.equal(2)
    expect(emitter.listenerCount('b')).to.equal(0)
    expect(emitter.safeDispatchEvent('a', { detail: 7 })).to.equal(true)
    expect(emitter.dispatchEvent(new CustomEvent('a', { detail: 8 }))).to.equal(true)
    expect(seen).to.deep.equal(['1:7', '2:7', '1:8', '2:8'])
  })

  it('adds the same listener once per capture flag, and removes it by that flag', () => {
    const emitter = new TypedEventEmitter<Events>()
    let calls = 0
    const listener = (): void => { calls++ }
    emitter.addEventListener('a', listener)
    emitter.addEventListener('a', listener)
    emitter.addEventListener('a', listener, { capture: true })
    expect(emitter.listenerCount('a')).to.equal(2)
    emitter.removeEventListener('a', listener, true)
    expect(emitter.listenerCount('a')).to.equal(1)
    emitter.safeDispatchEvent('a', { detail: 1 })
    expect(calls).to.equal(1)
    emitter.removeEventListener('a', listener)
    expect(emitter.listenerCount('a')).to.equal(0)
    emitter.removeEventListener('a', listener)
    emitter.removeEventListener('b', listener)
    emitter.safeDispatchEvent('a', { detail: 1 })
    expect(calls).to.equal(1)
  })

  it('removes `once` listeners after their first call, also when they throw', async () => {
    const emitter = new TypedEventEmitter<Events>()
    let calls = 0
    emitter.addEventListener('a', () => { calls++ }, { once: true })
    expect(emitter.listenerCount('a')).to.equal(1)
    emitter.safeDispatchEvent('a', { detail: 1 })
    emitter.safeDispatchEvent('a', { detail: 2 })
    expect(calls).to.equal(1)
    expect(emitter.listenerCount('a')).to.equal(0)
  })

  it('removes listeners when their signal aborts, and ignores an aborted signal', () => {
    const emitter = new TypedEventEmitter<Events>()
    const controller = new AbortController()
    let calls = 0
    emitter.addEventListener('a', () => { calls++ }, { signal: controller.signal })
    emitter.addEventListener('b', () => { calls++ }, { signal: AbortSignal.abort() })
    expect(emitter.listenerCount('a')).to.equal(1)
    expect(emitter.listenerCount('b')).to.equal(0)
    controller.abort()
    expect(emitter.listenerCount('a')).to.equal(0)
    emitter.safeDispatchEvent('a', { detail: 1 })
    expect(calls).to.equal(0)
  })

  it('does not call listeners added during a dispatch, nor ones removed during it', () => {
    const emitter = new TypedEventEmitter<Events>()
    const seen: string[] = []
    const late = (): void => { seen.push('late') }
    const removed = (): void => { seen.push('removed') }
    emitter.addEventListener('a', () => {
      seen.push('first')
      emitter.addEventListener('a', late)
      emitter.removeEventListener('a', removed)
    })
    emitter.addEventListener('a', removed)
    emitter.safeDispatchEvent('a', { detail: 1 })
    expect(seen).to.deep.equal(['first'])
    emitter.safeDispatchEvent('a', { detail: 1 })
    expect(seen).to.deep.equal(['first', 'first', 'late'])
  })

  it('keeps a nested dispatch of the same type consistent, and reuses lists once dispatches are over', () => {
    const emitter = new TypedEventEmitter<Events>()
    const seen: string[] = []
    const second = (evt: CustomEvent<number>): void => { seen.push(`second:${evt.detail}`) }
    emitter.addEventListener('a', (evt) => {
      seen.push(`first:${evt.detail}`)
      if (evt.detail === 1) {
        emitter.removeEventListener('a', second)
        emitter.safeDispatchEvent('a', { detail: 2 })
      }
    })
    emitter.addEventListener('a', second)
    emitter.safeDispatchEvent('a', { detail: 1 })
    // the inner dispatch ran without `second`, and the outer skipped it (removed)
    expect(seen).to.deep.equal(['first:1', 'first:2'])
    emitter.addEventListener('a', second)
    emitter.safeDispatchEvent('a', { detail: 3 })
    expect(seen).to.deep.equal(['first:1', 'first:2', 'first:3', 'second:3'])
    for (let i = 0; i < 3; i++) {
      const once = (): void => {}
      emitter.addEventListener('b', once)
      expect(emitter.listenerCount('b')).to.equal(1)
      emitter.removeEventListener('b', once)
      expect(emitter.listenerCount('b')).to.equal(0)
    }
  })

  it('keeps calling listeners after one throws, and rethrows the error asynchronously', async () => {
    const emitter = new TypedEventEmitter<Events>()
    const err = new Error('listener failed')
    let second = false
    emitter.addEventListener('a', () => { throw err })
    emitter.addEventListener('a', () => { second = true })
    const original = process.listeners('uncaughtException')
    process.removeAllListeners('uncaughtException')
    const uncaught = new Promise<Error>((resolve) => { process.once('uncaughtException', resolve) })
    try {
      emitter.safeDispatchEvent('a', { detail: 1 })
      expect(second).to.equal(true)
      expect(await uncaught).to.equal(err)
    } finally {
      for (const l of original) process.on('uncaughtException', l)
    }
  })

  it('reports preventDefault() of a cancelable event and takes any type name', () => {
    const emitter = new TypedEventEmitter<Record<string, CustomEvent>>()
    emitter.addEventListener('toString', (evt) => { evt.preventDefault() })
    expect(emitter.listenerCount('constructor')).to.equal(0)
    expect(emitter.dispatchEvent(new CustomEvent('toString', { cancelable: true }))).to.equal(false)
    expect(emitter.dispatchEvent(new CustomEvent('constructor', { cancelable: true }))).to.equal(true)
  })
})
