import { expect } from 'chai'
import { WebSocket } from 'ws'
import { Uint8ArrayList } from 'uint8arraylist'
import { listening, pattern } from './fixtures/setup.js'
import { delay, waitFor } from '@ts-libp2p/test-utils'
import type { Pair } from './fixtures/setup.js'
import type { WebSocketMultiaddrConnection } from '../src/connection.js'

async function readChecked (conn: WebSocketMultiaddrConnection, total = Infinity): Promise<number> {
  let offset = 0
  for await (const chunk of conn) {
    const bytes = chunk instanceof Uint8ArrayList ? chunk.subarray() : chunk
    if (Buffer.compare(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), Buffer.from(pattern(offset, bytes.byteLength))) !== 0) {
      throw new Error(`content differs at offset ${offset}`)
    }
    offset += bytes.byteLength
    if (offset >= total) {
      break
    }
  }
  return offset
}

/** A raw `ws` client to the listener, for sending what our transport never would. */
async function rawClient (pair: Pair): Promise<WebSocket> {
  const port = pair.addr.toString().split('/')[4]
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`)
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  return ws
}

describe('WebSocketMultiaddrConnection', function () {
  this.timeout(20_000)
  let pair: Pair

  afterEach(async () => {
    await pair?.close()
  })

  it('carries bytes both ways as binary messages', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    expect(inb.remoteAddr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws$/)
    out.send(new TextEncoder().encode('ping'))
    const first = await inb[Symbol.asyncIterator]().next()
    expect(new TextDecoder().decode(first.value as Uint8Array)).to.equal('ping')
    inb.send(new TextEncoder().encode('pong'))
    const back = await out[Symbol.asyncIterator]().next()
    expect(new TextDecoder().decode(back.value as Uint8Array)).to.equal('pong')
    expect(out.bytesSent).to.equal(4)
    expect(inb.bytesReceived).to.equal(4)
  })

  it('moves 64 MiB each way at once, both sides checking the content, with backpressure honoured', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    const total = 64 * 1024 * 1024
    const chunk = 256 * 1024
    const write = async (conn: WebSocketMultiaddrConnection): Promise<number> => {
      let f = 0
      for (let offset = 0; offset < total; offset += chunk) {
        if (!conn.send(pattern(offset, chunk))) {
          f++
          await conn.onDrain({ signal: AbortSignal.timeout(10_000) })
        }
      }
      return f
    }
    const [outFalses, inbFalses, atInb, atOut] = await Promise.all([write(out), write(inb), readChecked(inb, total), readChecked(out, total)])
    expect(atInb).to.equal(total)
    expect(atOut).to.equal(total)
    expect(outFalses + inbFalses).to.be.greaterThan(0)
    await out.close()
    expect(out.status).to.equal('closed')
    await waitFor(() => inb.status === 'closed')
  })

  it('holds a fast writer back when the reader does not read', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    let blocked = false
    const deadline = Date.now() + 5000
    while (!blocked && Date.now() < deadline) {
      if (!out.send(new Uint8Array(64 * 1024))) {
        blocked = !(await Promise.race([out.onDrain().then(() => true), delay(300).then(() => false)]))
      }
    }
    expect(blocked).to.equal(true)
    expect(inb.readBufferLength).to.be.lessThan(inb.maxReadBufferLength)
    expect(inb.status).to.equal('open')
    let read = 0
    const reading = (async () => { for await (const c of inb) read += c.byteLength })()
    await out.onDrain({ signal: AbortSignal.timeout(5000) })
    await out.close()
    await reading
    expect(read).to.equal(out.bytesSent)
  })

  it('closes with 1003 and TextFrameError when the peer sends a text frame', async () => {
    pair = await listening()
    const ws = await rawClient(pair)
    const inb = await pair.upgrader.next() as WebSocketMultiaddrConnection
    const closed = new Promise<number>(resolve => { ws.once('close', (code) => { resolve(code) }) })
    ws.send('hello as text')
    expect(await closed).to.equal(1003)
    expect(inb.status).to.equal('aborted')
    expect(inb.error?.name).to.equal('TextFrameError')
  })

  it('reports a peer close code as a typed error', async () => {
    pair = await listening()
    const ws = await rawClient(pair)
    const inb = await pair.upgrader.next() as WebSocketMultiaddrConnection
    ws.close(4000, 'custom')
    await waitFor(() => inb.status === 'reset')
    expect(inb.error?.name).to.equal('WebSocketClosedError')
    expect((inb.error as any).code).to.equal(4000)
  })

  it('reports a remote that drops the socket as StreamResetError', async () => {
    pair = await listening()
    const [out, inb] = await pair.connect()
    const reading = (async () => { for await (const c of out) { void c } })()
    inb.abort(new Error('terminate'))
    let err: any
    try { await reading } catch (e) { err = e }
    expect(err?.name).to.equal('StreamResetError')
  })

  it('closes a peer that sends a message over maxPayload (1009)', async () => {
    pair = await listening({ maxPayload: 1024 })
    const ws = await rawClient(pair)
    const inb = await pair.upgrader.next() as WebSocketMultiaddrConnection
    const closed = new Promise<number>(resolve => { ws.once('close', (code) => { resolve(code) }) })
    ws.on('error', () => {})
    ws.send(new Uint8Array(2048))
    expect(await closed).to.equal(1009)
    await waitFor(() => inb.status !== 'open')
    expect(inb.error?.name).to.equal('MessageTooLargeError')
  })

  it('terminates when the close handshake takes longer than the close timeout', async () => {
    pair = await listening({ closeTimeout: 100 })
    const [out, inb] = await pair.connect()
    inb.pause()
    while (out.send(new Uint8Array(256 * 1024))) { /* fill */ }
    const start = Date.now()
    await out.close()
    expect(Date.now() - start).to.be.lessThan(2000)
    expect(out.status).to.equal('aborted')
    expect(out.error?.name).to.equal('TimeoutError')
  })

  it('aborts an idle outbound connection after its inactivity timeout', async () => {
    pair = await listening({ outboundInactivityTimeout: 100, inboundInactivityTimeout: 0 })
    const [out, inb] = await pair.connect()
    await waitFor(() => out.status === 'aborted', 3000)
    expect(out.error?.name).to.equal('TimeoutError')
    await waitFor(() => inb.status !== 'open', 3000)
  })
})
