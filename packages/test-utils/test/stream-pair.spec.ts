import { expect } from 'chai'
import { messageStreamPair, multiaddrConnectionPair, streamPair } from '../src/stream-pair.js'
import { delay, equalBytes, pattern, readAll, rejection, writeAll } from './helpers.js'
import type { StreamCloseEvent, StreamMessageEvent } from '@ts-libp2p/interface'

describe('streamPair', () => {
  it('carries bytes both ways, without copies', async () => {
    const [a, b] = streamPair()
    const data = Uint8Array.of(1, 2, 3)
    const received = new Promise<StreamMessageEvent>(resolve => { b.addEventListener('message', resolve as any, { once: true }) })
    a.send(data)
    const evt = await received
    const first = evt.data instanceof Uint8Array ? evt.data : [...evt.data][0]
    expect(first).to.equal(data, 'the sender\'s array itself')
    const back = new Promise<StreamMessageEvent>(resolve => { a.addEventListener('message', resolve as any, { once: true }) })
    b.send(Uint8Array.of(4))
    expect((await back).data.subarray()).to.deep.equal(Uint8Array.of(4))
  })

  it('gives both ends the same id and protocol, and opposite directions', () => {
    const [a, b] = streamPair({ protocol: '/echo/1.0.0' })
    expect(a.id).to.equal(b.id)
    expect(a.protocol).to.equal('/echo/1.0.0')
    expect(a.direction).to.equal('outbound')
    expect(b.direction).to.equal('inbound')
  })

  it('half-closes: the other end reads to the end and can still write', async () => {
    const [a, b] = streamPair()
    a.send(Uint8Array.of(1))
    await a.close()
    expect(a.writeStatus).to.equal('closed')
    expect(await readAll(b)).to.deep.equal(Uint8Array.of(1))
    expect(b.remoteWriteStatus).to.equal('closed')
    expect(b.status).to.equal('open')
    b.send(Uint8Array.of(2))
    await b.close()
    expect(await readAll(a)).to.deep.equal(Uint8Array.of(2))
    await delay(1)
    for (const s of [a, b]) {
      expect(s.status).to.equal('closed')
      expect(s.readStatus).to.equal('closed')
      expect(s.writeStatus).to.equal('closed')
      expect(s.timeline.close).to.be.a('number')
    }
  })

  it('carries a reset: the other end is reset and its reader throws', async () => {
    const [a, b] = streamPair()
    const reading = readAll(b)
    const closed = new Promise<StreamCloseEvent>(resolve => { b.addEventListener('close', resolve as any) })
    a.abort(new Error('urk'))
    const evt = await closed
    expect(evt.error).to.have.property('name', 'StreamResetError')
    expect(b.status).to.equal('reset')
    expect(await rejection(reading)).to.have.property('name', 'StreamResetError')
  })

  it('carries closeRead: the writer learns the remote reads no more', async () => {
    const [a, b] = streamPair()
    await b.closeRead()
    await delay(1)
    expect(a.remoteReadStatus).to.equal('closed')
  })

  it('applies backpressure: send() returns false while the link is full, drain follows delivery', async () => {
    const [a, b] = streamPair({ maxInFlightBytes: 1024 })
    let sent = 0
    while (a.send(new Uint8Array(256))) {
      sent += 256
    }
    expect(a.writableNeedsDrain).to.equal(true)
    expect(sent).to.be.lessThan(1024)
    // delivery into b's read buffer frees the link
    await a.onDrain({ signal: AbortSignal.timeout(1_000) })
    expect(b.readBufferLength).to.be.greaterThan(0)
  })

  it('holds the writer back when the reader does not read, without growing memory', async () => {
    const [a, b] = streamPair({ maxInFlightBytes: 4096, readHighWaterMark: 16_384 })
    let accepted = 0
    let blocked = false
    for (let i = 0; i < 200 && !blocked; i++) {
      accepted += 1024
      if (!a.send(new Uint8Array(1024))) {
        blocked = await a.onDrain({ signal: AbortSignal.timeout(50) }).then(() => false, () => true)
      }
    }
    expect(blocked).to.equal(true, 'the writer was held back')
    expect(accepted).to.be.lessThan(200 * 1024)
    expect(b.readBufferLength).to.be.at.most(16_384 + 4096 + 1024)
    expect(b.status).to.equal('open', 'the reader was not overrun')
    // reading releases the writer and everything accepted arrives
    const reading = readAll(b)
    await a.onDrain({ signal: AbortSignal.timeout(1_000) })
    await a.close()
    expect((await reading).byteLength).to.equal(accepted)
  })

  it('delays deliveries when asked', async () => {
    const [a, b] = streamPair({ delay: 30 })
    const start = Date.now()
    const got = new Promise<void>(resolve => { b.addEventListener('message', () => { resolve() }, { once: true }) })
    a.send(Uint8Array.of(1))
    await got
    expect(Date.now() - start).to.be.at.least(25)
  })

  it('moves 16 MiB each way at once with the content intact', async function () {
    this.timeout(30_000)
    const [a, b] = streamPair()
    const up = pattern(16 * 1024 * 1024, 1)
    const down = pattern(16 * 1024 * 1024, 2)
    const [atB, atA, waitsA] = await Promise.all([
      readAll(b),
      readAll(a),
      writeAll(a, up).then(async waits => { await a.close(); return waits }),
      writeAll(b, down).then(async () => { await b.close() })
    ])
    expect(equalBytes(atB, up)).to.equal(true)
    expect(equalBytes(atA, down)).to.equal(true)
    expect(waitsA).to.be.greaterThan(0, 'backpressure was exercised')
    expect(a.bytesSent).to.equal(up.byteLength)
    expect(a.bytesReceived).to.equal(down.byteLength)
  })
})

describe('messageStreamPair', () => {
  it('close() waits until both ends have closed', async () => {
    const [a, b] = messageStreamPair()
    let aClosed = false
    const closing = a.close().then(() => { aClosed = true })
    await delay(5)
    expect(aClosed).to.equal(false)
    expect(a.status).to.equal('closing')
    await b.close()
    await closing
    expect(a.status).to.equal('closed')
    expect(b.status).to.equal('closed')
  })
})

describe('multiaddrConnectionPair', () => {
  it('names the other end in remoteAddr', () => {
    const [a, b] = multiaddrConnectionPair()
    expect(a.remoteAddr.toString()).to.match(/^\/memory\/test-utils-\d+-inbound$/)
    expect(b.remoteAddr.toString()).to.match(/^\/memory\/test-utils-\d+-outbound$/)
  })

  it('closing one end closes the other, after the bytes in flight', async () => {
    const [a, b] = multiaddrConnectionPair()
    const closed = new Promise(resolve => { b.addEventListener('close', resolve) })
    a.send(Uint8Array.of(9))
    const reading = readAll(b)
    await a.close({ signal: AbortSignal.timeout(1_000) })
    await closed
    expect(await reading).to.deep.equal(Uint8Array.of(9))
    expect(a.status).to.equal('closed')
    expect(b.status).to.equal('closed')
  })

  it('moves 16 MiB each way with the content intact', async function () {
    this.timeout(30_000)
    const [a, b] = multiaddrConnectionPair()
    const up = pattern(16 * 1024 * 1024, 3)
    const down = pattern(16 * 1024 * 1024, 4)
    const atB = readAll(b)
    const atA = readAll(a)
    await Promise.all([writeAll(a, up), writeAll(b, down)])
    await Promise.all([a.close({ signal: AbortSignal.timeout(5_000) }), b.close({ signal: AbortSignal.timeout(5_000) })])
    expect(equalBytes(await atB, up)).to.equal(true)
    expect(equalBytes(await atA, down)).to.equal(true)
  })
})
