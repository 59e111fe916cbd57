import { expect } from 'chai'
import { pDefer } from '../src/defer.js'
import { rejection } from './fixtures/test-streams.js'

describe('pDefer', () => {
  it('resolves from outside', async () => {
    const deferred = pDefer<number>()
    deferred.resolve(5)
    expect(await deferred.promise).to.equal(5)
  })

  it('rejects from outside', async () => {
    const deferred = pDefer()
    const err = new Error('no')
    deferred.reject(err)
    expect(await rejection(deferred.promise)).to.equal(err)
  })

  it('settles once', async () => {
    const deferred = pDefer<number>()
    deferred.resolve(1)
    deferred.resolve(2)
    deferred.reject(new Error('late'))
    expect(await deferred.promise).to.equal(1)
  })

  it('does not rely on Promise.withResolvers', () => {
    const original = (Promise as any).withResolvers
    try {
      ;(Promise as any).withResolvers = undefined
      expect(pDefer().promise).to.be.an.instanceOf(Promise)
    } finally {
      (Promise as any).withResolvers = original
    }
  })
})
