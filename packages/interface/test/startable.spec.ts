import { expect } from 'chai'
import { isStartable, start, stop } from '../src/index.js'
import type { Startable } from '../src/index.js'

describe('startable', () => {
  it('isStartable needs start and stop', () => {
    expect(isStartable({ start () {}, stop () {} })).to.equal(true)
    expect(isStartable({ start () {} })).to.equal(false)
    expect(isStartable(undefined)).to.equal(false)
    expect(isStartable(5)).to.equal(false)
  })

  it('runs each phase on every startable before the next phase, and skips the rest', async () => {
    const calls: string[] = []
    const make = (name: string): Startable => ({
      beforeStart: async () => { await Promise.resolve(); calls.push(`${name}:beforeStart`) },
      start: () => { calls.push(`${name}:start`) },
      afterStart: () => { calls.push(`${name}:afterStart`) },
      beforeStop: () => { calls.push(`${name}:beforeStop`) },
      stop: async () => { calls.push(`${name}:stop`) },
      afterStop: () => { calls.push(`${name}:afterStop`) }
    })
    await start(make('a'), 'not startable', make('b'))
    expect(calls).to.deep.equal(['a:beforeStart', 'b:beforeStart', 'a:start', 'b:start', 'a:afterStart', 'b:afterStart'])
    calls.length = 0
    await stop(make('a'), null, make('b'))
    expect(calls).to.deep.equal(['a:beforeStop', 'b:beforeStop', 'a:stop', 'b:stop', 'a:afterStop', 'b:afterStop'])
  })

  it('a failing phase rejects', async () => {
    const failing: Startable = { start: () => { throw new Error('boom') }, stop: () => {} }
    let error: Error | undefined
    await start(failing).catch((err: Error) => { error = err })
    expect(error?.message).to.equal('boom')
  })
})
