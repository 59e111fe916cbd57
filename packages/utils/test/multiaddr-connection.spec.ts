import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { TestMultiaddrConnection, bytes, sentBytes, settle } from './fixtures/test-streams.js'

describe('AbstractMultiaddrConnection', () => {
  const addr = multiaddr('/memory/test')

  it('carries the remote address', () => {
    const conn = new TestMultiaddrConnection(addr)
    expect(conn.remoteAddr.toString()).to.equal('/memory/test')
  })

  it('closes its own write side after flushing when the remote closes (no half-close on raw connections)', async () => {
    const conn = new TestMultiaddrConnection(addr)
    conn.controls.canSendMore = false
    conn.controls.accept = 0
    conn.send(bytes(1))
    let closed = false
    conn.addEventListener('close', () => { closed = true })
    conn.onRemoteCloseWrite()
    expect(conn.status).to.equal('closing')
    await settle()
    expect(conn.controls.calls).to.deep.equal([], 'the queued byte goes first')
    conn.controls.accept = undefined
    conn.controls.canSendMore = true
    conn.onSendReady()
    await settle()
    expect(conn.controls.calls).to.deep.equal(['closeWrite'])
    expect(sentBytes(conn.controls)).to.deep.equal(bytes(1))
    expect(conn.status).to.equal('closed')
    expect(closed).to.equal(true)
  })

  it('close() waits for the remote to close', async () => {
    const conn = new TestMultiaddrConnection(addr)
    let done = false
    const closing = conn.close().then(() => { done = true })
    await settle()
    expect(conn.controls.calls).to.deep.equal(['closeWrite'])
    expect(done).to.equal(false)
    conn.onRemoteCloseWrite()
    await closing
    expect(conn.status).to.equal('closed')
    expect(conn.timeline.close).to.be.a('number')
  })

  it('onTransportClosed() closes both directions at once', () => {
    const conn = new TestMultiaddrConnection(addr)
    conn.onTransportClosed()
    expect(conn.status).to.equal('closed')
    expect(conn.writeStatus).to.equal('closed')
    expect(conn.readStatus).to.equal('closed')
  })
})
