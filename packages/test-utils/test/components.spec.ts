import { expect } from 'chai'
import { captureLogger, stubEvents } from '../src/components.js'

describe('captureLogger', () => {
  it('records every call with its namespace and level', () => {
    const logger = captureLogger('node-a')
    const log = logger.forComponent('ping')
    log('sent %d bytes', 32)
    log.error('failed - %e', new Error('x'))
    log.newScope('stream:1').trace('detail')
    expect(logger.lines.map(l => [l.namespace, l.level])).to.deep.equal([
      ['node-a:ping', 'log'],
      ['node-a:ping', 'error'],
      ['node-a:ping:stream:1', 'trace']
    ])
    expect(logger.lines[0].args).to.deep.equal(['sent %d bytes', 32])
    expect(logger.linesFor('stream:1')).to.have.lengthOf(1)
    expect(log.enabled).to.equal(true)
  })
})

describe('stubEvents', () => {
  it('is an event target that remembers what was dispatched', () => {
    const events = stubEvents<{ 'peer:connect': CustomEvent<string>, 'peer:disconnect': CustomEvent<string> }>()
    const seen: string[] = []
    events.addEventListener('peer:connect', (evt) => { seen.push(evt.detail) })
    events.safeDispatchEvent('peer:connect', { detail: 'a' })
    events.safeDispatchEvent('peer:disconnect', { detail: 'a' })
    expect(seen).to.deep.equal(['a'])
    expect(events.dispatched.map(e => e.type)).to.deep.equal(['peer:connect', 'peer:disconnect'])
    expect(events.ofType('peer:disconnect')[0].detail).to.equal('a')
    expect(events.listenerCount('peer:connect')).to.equal(1)
  })
})
