import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { listening, pattern } from './fixtures/setup.js'
import { delay, waitFor } from '@ts-libp2p/test-utils'
import type { Pair } from './fixtures/setup.js'
import type { TcpMultiaddrConnection } from '../src/connection.js'

/** Reads everything from `conn`, checking it against the pattern as it arrives. */
async function readChecked (conn: TcpMultiaddrConnection, total = Infinity): Promise<number> {
  let offset = 0
  for await (const chunk of conn) {
    const bytes = chunk instanceof Uint8ArrayList ? chunk.subarray() : chunk
    const expected = pattern(offset, bytes.byteLength)
    if (Buffer.compare(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), Buffer.from(expected)) !== 0) {
      throw new Error(`content differs at offset ${offset}`)
    }
    offset += bytes.byteLength
    if (offset >= total) {
      break
    }
  }
  return offset
}

/** Writes `total` pattern bytes in `chunk`-sized pieces, honouring backpressure. */
async function writePattern (conn: TcpMultiaddrConnection, total: number, chunk: number): Promise<number> {
  let falses = 0
  for (let offset = 0; offset < total; offset += chunk) {
    if (!conn.send(pattern(offset, Math.min(chunk, total - offset)))) {
      falses++
      await conn.onDrain({ signal: AbortSignal.timeout(10_000) })
    }
  }
  return falses
}

describe('TcpMultiaddrConnection', function () {
  this.timeout(20_000)
  let pair: Pair

  afterEach(async () => {
    await pair?.close()
  })

  it('carries bytes both ways and counts them', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    expect(out.direction).to.equal('outbound')
    expect(inb.direction).to.equal('inbound')
    expect(out.remoteAddr.toString()).to.equal(pair.addr.toString())
    expect(inb.remoteAddr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/)
    out.send(new TextEncoder().encode('ping'))
    const got = inb[Symbol.asyncIterator]()
    const first = await got.next()
    expect(new TextDecoder().decode((first.value as Uint8Array))).to.equal('ping')
    inb.send(new TextEncoder().encode('pong'))
    const back = await out[Symbol.asyncIterator]().next()
    expect(new TextDecoder().decode(back.value as Uint8Array)).to.equal('pong')
    expect(out.bytesSent).to.equal(4)
    expect(inb.bytesReceived).to.equal(4)
    expect(out.timeline.open).to.be.a('number')
  })

  it('moves 64 MiB each way at once, both sides checking the content, with backpressure honoured', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    const total = 64 * 1024 * 1024
    const [outFalses, inbFalses, atInb, atOut] = await Promise.all([
      writePattern(out, total, 256 * 1024),
      writePattern(inb, total, 256 * 1024),
      readChecked(inb, total),
      readChecked(out, total)
    ])
    expect(atInb).to.equal(total)
    expect(atOut).to.equal(total)
    expect(outFalses + inbFalses, 'send() returned false at least once').to.be.greaterThan(0)
    await out.close()
    expect(out.status).to.equal('closed')
    await waitFor(() => inb.status === 'closed')
    expect(out.bytesSent).to.equal(total)
    expect(inb.bytesReceived).to.equal(total)
    expect(inb.bytesSent).to.equal(total)
    expect(out.bytesReceived).to.equal(total)
  })

  it('pauses the socket when the reader is slow, so unread bytes stay bounded', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    // nobody reads inb; the writer must see send() === false and unread bytes stay near the high-water mark
    let sent = 0
    let blocked = false
    const deadline = Date.now() + 5000
    while (!blocked && Date.now() < deadline) {
      if (!out.send(new Uint8Array(64 * 1024))) {
        const drained = await Promise.race([out.onDrain().then(() => true), delay(300).then(() => false)])
        blocked = !drained
      }
      sent += 64 * 1024
    }
    expect(blocked, 'the writer was held back').to.equal(true)
    expect(inb.readBufferLength).to.be.lessThan(inb.maxReadBufferLength)
    expect(inb.status).to.equal('open')
    // a reader now gets everything
    let read = 0
    const reading = (async () => {
      for await (const c of inb) {
        read += c.byteLength
      }
    })()
    await out.onDrain({ signal: AbortSignal.timeout(5000) })
    await out.close()
    await reading
    expect(read).to.equal(out.bytesSent)
    expect(read).to.be.at.least(sent - 64 * 1024)
  })

  it('reports a remote reset mid-stream as StreamResetError', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    out.send(new Uint8Array(1024))
    await waitFor(() => inb.bytesReceived === 1024)
    const reading = (async () => {
      for await (const c of out) { void c }
    })()
    inb.abort(new Error('reset by test'))
    let err: any
    try {
      await reading
    } catch (e) {
      err = e
    }
    expect(err?.name).to.equal('StreamResetError')
    expect(out.status).to.equal('reset')
    expect(() => out.send(new Uint8Array(1))).to.throw().with.property('name', 'StreamStateError')
  })

  it('closes gracefully: both ends finish', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    const ended = new Promise<void>(resolve => { inb.addEventListener('close', () => { resolve() }) })
    await out.close()
    await ended
    expect(out.status).to.equal('closed')
    expect(inb.status).to.equal('closed')
    expect(out.socket.destroyed).to.equal(true)
    expect(out.timeline.close).to.be.a('number')
  })

  it('resets when the remote does not finish within the close timeout', async () => {
    pair = await listening({ closeTimeout: 100 })
    const [out, inb] = await pair.connect()
    // fill the remote's receive path so our FIN cannot be delivered behind the data
    inb.pause()
    while (out.send(new Uint8Array(256 * 1024))) { /* fill */ }
    const start = Date.now()
    await out.close()
    expect(Date.now() - start).to.be.lessThan(2000)
    expect(out.status).to.equal('aborted')
    expect(out.error?.name).to.equal('TimeoutError')
    expect(out.socket.destroyed).to.equal(true)
  })

  it('aborting on a signal during close destroys the socket and rejects', async () => {
    pair = await listening({ closeTimeout: 5000 })
    const [out, inb] = await pair.connect()
    inb.pause()
    while (out.send(new Uint8Array(256 * 1024))) { /* fill */ }
    let err: any
    try {
      await out.close({ signal: AbortSignal.timeout(50) })
    } catch (e) {
      err = e
    }
    expect(err?.name).to.equal('TimeoutError')
    expect(out.status).to.equal('aborted')
    await waitFor(() => out.socket.destroyed)
  })

  it('aborts an idle outbound connection after its inactivity timeout', async () => {
    pair = await listening({ outboundSocketInactivityTimeout: 100, inboundSocketInactivityTimeout: 0 })
    const [out, inb] = await pair.connect()
    await waitFor(() => out.status === 'aborted', 3000)
    expect(out.error?.name).to.equal('TimeoutError')
    await waitFor(() => inb.status === 'reset' || inb.status === 'closed', 3000)
  })
})
