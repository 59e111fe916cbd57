import { expect } from 'chai'
import { TestStream, bytes, collect, sentBytes, settle } from './fixtures/test-streams.js'
import type { StreamCloseEvent } from '@ts-libp2p/interface'

describe('AbstractStream', () => {
  it('has an id and a protocol', () => {
    const stream = new TestStream({ id: '7', protocol: '/echo/1.0.0' })
    expect(stream.id).to.equal('7')
    expect(stream.protocol).to.equal('/echo/1.0.0')
    expect(new TestStream().protocol).to.equal('')
  })

  it('close() half-closes: resolves without waiting for the remote, status stays open', async () => {
    const stream = new TestStream()
    stream.send(bytes(1))
    const closing = stream.close()
    expect(stream.writeStatus).to.equal('closing')
    expect(stream.status).to.equal('open')
    await closing
    expect(stream.writeStatus).to.equal('closed')
    expect(stream.status).to.equal('open')
    expect(stream.readStatus).to.equal('readable')
    expect(stream.controls.calls).to.deep.equal(['closeWrite'])
    expect(sentBytes(stream.controls)).to.deep.equal(bytes(1))
  })

  it('keeps reading after close() and finishes when the remote closes', async () => {
    const stream = new TestStream()
    let closed: StreamCloseEvent | undefined
    stream.addEventListener('close', (evt: StreamCloseEvent) => { closed = evt })
    await stream.close()
    const result = collect(stream)
    stream.onData(bytes(5))
    stream.onRemoteCloseWrite()
    expect(await result).to.deep.equal([bytes(5)])
    expect(stream.status).to.equal('closed')
    expect(stream.readStatus).to.equal('closed')
    expect(stream.writeStatus).to.equal('closed')
    expect(stream.timeline.close).to.be.a('number')
    expect(closed?.error).to.equal(undefined)
  })

  it('finishes when it closes after the remote did', async () => {
    const stream = new TestStream()
    stream.onRemoteCloseWrite()
    expect(stream.status).to.equal('open')
    await stream.close()
    expect(stream.status).to.equal('closed')
  })

  it('waits for the write buffer before sending close-write', async () => {
    const stream = new TestStream()
    stream.controls.canSendMore = false
    stream.controls.accept = 0
    stream.send(bytes(1, 2))
    const closing = stream.close()
    await settle()
    expect(stream.controls.calls).to.deep.equal([])
    stream.controls.accept = undefined
    stream.onSendReady()
    await closing
    expect(stream.controls.calls).to.deep.equal(['closeWrite'])
    expect(sentBytes(stream.controls)).to.deep.equal(bytes(1, 2))
  })

  it('closeRead() drops unread bytes, ends the reader and tells the muxer', async () => {
    const stream = new TestStream()
    stream.onData(bytes(1))
    let ended = false
    stream.addEventListener('end', () => { ended = true })
    await stream.closeRead()
    expect(stream.readStatus).to.equal('closed')
    expect(stream.readBufferLength).to.equal(0)
    expect(stream.controls.calls).to.deep.equal(['closeRead'])
    expect(ended).to.equal(true)
    expect(stream.readableEnded).to.equal(true)
    stream.onData(bytes(2))
    expect(await collect(stream)).to.deep.equal([])
    expect(stream.send(bytes(3))).to.equal(true, 'the write side is unaffected')
  })

  it('closeRead() ends an iterator that is waiting', async () => {
    const stream = new TestStream()
    const result = collect(stream)
    await settle()
    await stream.closeRead()
    expect(await result).to.deep.equal([])
  })

  it('closeRead() releases a paused source', async () => {
    const stream = new TestStream()
    stream.pause()
    await stream.closeRead()
    expect(stream.controls.calls).to.deep.equal(['pause', 'closeRead', 'resume'])
  })

  it('does not send close-write after a remote reset', async () => {
    const stream = new TestStream()
    stream.onRemoteReset()
    await stream.close()
    await stream.closeRead()
    expect(stream.controls.calls).to.deep.equal([])
    expect(() => stream.send(bytes(1))).to.throw().with.property('name', 'StreamStateError')
  })
})
