import { expect } from 'chai'
import { StreamMessageEvent, StreamCloseEvent, StreamAbortEvent, StreamResetEvent, StreamResetError } from '../src/index.js'

describe('events', () => {
  it('carry their data, origin and error', () => {
    const data = Uint8Array.from([1, 2, 3])
    const message = new StreamMessageEvent(data)
    expect(message.type).to.equal('message')
    expect(message.data).to.equal(data)

    const clean = new StreamCloseEvent()
    expect(clean.type).to.equal('close')
    expect(clean.error).to.equal(undefined)

    const err = new StreamResetError()
    const aborted = new StreamAbortEvent(err)
    expect(aborted.type).to.equal('close')
    expect(aborted.local).to.equal(true)
    expect(aborted.error).to.equal(err)
    expect(aborted).to.be.an.instanceOf(StreamCloseEvent)

    const reset = new StreamResetEvent(err)
    expect(reset.local).to.equal(false)
    expect(reset.error).to.equal(err)
  })
})
