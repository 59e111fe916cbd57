import { TypedEventEmitter } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { raceEvent } from '../src/race-event.js'
import { rejection } from './fixtures/test-streams.js'

describe('raceEvent', () => {
  it('resolves with the event', async () => {
    const target = new EventTarget()
    const p = raceEvent<CustomEvent<number>>(target, 'thing')
    target.dispatchEvent(new CustomEvent('thing', { detail: 4 }))
    expect((await p).detail).to.equal(4)
  })

  it('waits for an event the filter accepts', async () => {
    const target = new EventTarget()
    const p = raceEvent<CustomEvent<number>>(target, 'thing', { filter: evt => evt.detail === 2 })
    target.dispatchEvent(new CustomEvent('thing', { detail: 1 }))
    target.dispatchEvent(new CustomEvent('thing', { detail: 2 }))
    expect((await p).detail).to.equal(2)
  })

  it('rejects on an error event with its error', async () => {
    const target = new EventTarget()
    const p = raceEvent(target, 'drain', { errorEvents: ['close'] })
    const err = new Error('closed')
    const evt: any = new Event('close')
    evt.error = err
    target.dispatchEvent(evt)
    expect(await rejection(p)).to.equal(err)
  })

  it('rejects on an error event without an error with one naming it', async () => {
    const target = new EventTarget()
    const p = raceEvent(target, 'drain', { errorEvents: ['close'] })
    target.dispatchEvent(new Event('close'))
    const err = await rejection(p)
    expect(err.message).to.include('close')
  })

  it('rejects when the signal fires and removes its listeners', async () => {
    const target = new TypedEventEmitter<{ thing: Event, close: Event }>()
    const err = await rejection(raceEvent(target, 'thing', { signal: AbortSignal.timeout(5), errorEvents: ['close'] }))
    expect(err).to.have.property('name', 'TimeoutError')
    expect(target.listenerCount('thing')).to.equal(0)
    expect(target.listenerCount('close')).to.equal(0)
  })

  it('takes a signal as its third argument', async () => {
    const target = new EventTarget()
    const err = await rejection(raceEvent(target, 'thing', AbortSignal.timeout(5)))
    expect(err).to.have.property('name', 'TimeoutError')
    const p = raceEvent(target, 'thing', AbortSignal.timeout(1_000))
    target.dispatchEvent(new Event('thing'))
    expect((await p).type).to.equal('thing')
  })
})
