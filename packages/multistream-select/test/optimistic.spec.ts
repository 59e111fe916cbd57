import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { encodeMessages } from '../src/codec.js'
import { handle, select } from '../src/index.js'
import { canSelectOptimistically } from '../src/optimistic.js'
import { concat, dec, enc, hex, readBytes, recordChunks, rejection, settle, until } from './helpers.js'
import type { Stream } from '@ts-libp2p/interface'

const HEADER = '/multistream/1.0.0'
const SHADOWED = ['send', 'addEventListener', 'removeEventListener', 'close', 'pause', 'resume']

/** Resolves with the error the stream closed with. */
async function closedWith (stream: Stream): Promise<Error | undefined> {
  return new Promise(resolve => {
    stream.addEventListener('close', (evt) => { resolve(evt.error) }, { once: true })
  })
}

function isShadowed (stream: Stream): boolean {
  return SHADOWED.some(key => Object.prototype.hasOwnProperty.call(stream, key)) ||
    Object.prototype.hasOwnProperty.call(stream, Symbol.asyncIterator)
}

describe('optimistic select', () => {
  it('resolves at once without sending anything', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(inbound)
    const { stream, protocol } = await select(outbound, '/a')
    expect(stream).to.equal(outbound)
    expect(protocol).to.equal('/a')
    await settle()
    expect(chunks).to.have.length(0)
  })

  it('sends the negotiation and the first data in one write, without copying the data', async () => {
    const [outbound, inbound] = streamPair()
    const received: Array<Uint8Array | Uint8ArrayList> = []
    inbound.addEventListener('message', (evt) => { received.push(evt.data) })
    await select(outbound, '/a')
    const data = enc('first data')
    outbound.send(data)
    await until(() => received.length > 0)
    await settle()
    expect(received).to.have.length(1)
    expect(hex(received[0])).to.equal(hex(concat(encodeMessages(HEADER, '/a'), data)))
    const bufs = received[0] instanceof Uint8ArrayList ? [...received[0]] : [received[0]]
    expect(bufs[bufs.length - 1]).to.equal(data)
    outbound.abort(new Error('test over'))
  })

  it('negotiates with our listener and keeps the data on both sides', async () => {
    const [outbound, inbound] = streamPair()
    const { stream } = await select(outbound, '/echo/1.0.0')
    stream.send(enc('hello'))
    const { protocol } = await handle(inbound, ['/echo/1.0.0'], { signal: AbortSignal.timeout(2000) })
    expect(protocol).to.equal('/echo/1.0.0')
    expect(dec(await readBytes(inbound, 5))).to.equal('hello')
    inbound.send(enc('world'))
    expect(dec(await readBytes(stream, 5))).to.equal('world')
    await until(() => !isShadowed(outbound))
  })

  it('reads a listener that writes first and closes, to the end', async () => {
    const [outbound, inbound] = streamPair()
    await select(outbound, '/greet/1.0.0')
    const reading = (async () => {
      const got = new Uint8ArrayList()
      for await (const chunk of outbound) {
        got.append(chunk)
      }
      return dec(got)
    })()
    const { stream } = await handle(inbound, ['/greet/1.0.0'], { signal: AbortSignal.timeout(2000) })
    stream.send(enc('hello, '))
    stream.send(enc('bye'))
    await stream.close()
    expect(await reading).to.equal('hello, bye')
  })

  it('hides the answer from the reader when data follows it in the same chunk, without copying', async () => {
    const [outbound, inbound] = streamPair()
    await select(outbound, '/a')
    outbound.send(enc('request'))
    const answer = concat(encodeMessages(HEADER, '/a'), enc('response'))
    inbound.send(answer)
    const got = await readBytes(outbound, 8)
    expect(dec(got)).to.equal('response')
    expect([...got][0].buffer).to.equal(answer.buffer)
  })

  it('handles the answer split at every position', async () => {
    const answer = concat(encodeMessages(HEADER, '/a'), enc('data'))
    for (let cut = 0; cut <= answer.byteLength; cut++) {
      const [outbound, inbound] = streamPair()
      await select(outbound, '/a')
      outbound.send(enc('x'))
      inbound.send(answer.subarray(0, cut))
      await settle()
      inbound.send(answer.subarray(cut))
      expect(dec(await readBytes(outbound, 4))).to.equal('data', `cut at ${cut}`)
    }
  })

  it('sends the negotiation alone when the application reads first', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(inbound)
    await select(outbound, '/a')
    const reading = readBytes(outbound, 5)
    await until(() => chunks.length === 1)
    expect(hex(chunks[0])).to.equal(hex(encodeMessages(HEADER, '/a')))
    inbound.send(concat(encodeMessages(HEADER, '/a'), enc('hello')))
    expect(dec(await reading)).to.equal('hello')
  })

  it('holds message listeners back until the answer is checked', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(inbound)
    await select(outbound, '/a')
    const seen: string[] = []
    outbound.addEventListener('message', (evt) => { seen.push(dec(evt.data)) })
    await until(() => chunks.length === 1)
    inbound.send(encodeMessages(HEADER))
    await settle()
    inbound.send(concat(encodeMessages('/a'), enc('xy')))
    await until(() => seen.length > 0)
    expect(seen).to.deep.equal(['xy'])
    expect(isShadowed(outbound)).to.equal(false)
  })

  it('drops a held message listener that is removed before the answer', async () => {
    const [outbound, inbound] = streamPair()
    await select(outbound, '/a')
    const seen: string[] = []
    const listener = (evt: any): void => { seen.push(dec(evt.data)) }
    outbound.addEventListener('message', listener)
    outbound.removeEventListener('message', listener)
    const kept: string[] = []
    outbound.addEventListener('message', (evt) => { kept.push(dec(evt.data)) })
    inbound.send(concat(encodeMessages(HEADER, '/a'), enc('z')))
    await until(() => kept.length > 0)
    expect(seen).to.deep.equal([])
    expect(kept).to.deep.equal(['z'])
  })

  it('passes other event listeners through at once', async () => {
    const [outbound, inbound] = streamPair()
    await select(outbound, '/a')
    let ended = false
    outbound.addEventListener('remoteCloseWrite', () => { ended = true })
    outbound.send(enc('x'))
    inbound.send(encodeMessages(HEADER, '/a'))
    await inbound.close()
    await until(() => ended)
  })

  it('applies a pause made during the check once it is done', async () => {
    const [outbound, inbound] = streamPair()
    await select(outbound, '/a')
    const seen: string[] = []
    outbound.addEventListener('message', (evt) => { seen.push(dec(evt.data)) })
    outbound.pause()
    inbound.send(concat(encodeMessages(HEADER, '/a'), enc('later')))
    await until(() => !isShadowed(outbound))
    await settle()
    expect(seen).to.deep.equal([])
    expect(outbound.readStatus).to.equal('paused')
    outbound.resume()
    await until(() => seen.length > 0)
    expect(seen).to.deep.equal(['later'])
  })

  it('sends the negotiation on close and waits for the answer before closing', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(inbound)
    await select(outbound, '/a')
    let closed = false
    const closing = outbound.close().then(() => { closed = true })
    await until(() => chunks.length === 1)
    expect(hex(chunks[0])).to.equal(hex(encodeMessages(HEADER, '/a')))
    await settle()
    expect(closed).to.equal(false)
    inbound.send(encodeMessages(HEADER, '/a'))
    await closing
    expect(outbound.writeStatus).to.equal('closed')
  })

  it('lets the close signal bound the wait for the answer', async () => {
    const [outbound] = streamPair()
    await select(outbound, '/a')
    await rejection(outbound.close({ signal: AbortSignal.timeout(20) }))
  })

  describe('when the listener refuses or misbehaves', () => {
    it('aborts the stream with UnsupportedProtocolError on na', async () => {
      const [outbound, inbound] = streamPair()
      await select(outbound, '/a')
      const closed = closedWith(outbound)
      const reading = rejection(readBytes(outbound, 1), 'UnsupportedProtocolError')
      outbound.send(enc('data'))
      inbound.send(encodeMessages(HEADER, 'na'))
      expect((await closed)?.name).to.equal('UnsupportedProtocolError')
      const err = await reading
      expect(err.message).to.include('/a')
      expect(outbound.status).to.equal('aborted')
      expect(() => outbound.send(enc('more'))).to.throw()
      // the stream is finished: closing it now is a no-op
      await outbound.close()
      expect(isShadowed(outbound)).to.equal(false)
    })

    it('fails close() with the refusal', async () => {
      const [outbound, inbound] = streamPair()
      await select(outbound, '/a')
      const closing = outbound.close()
      inbound.send(encodeMessages(HEADER, 'na'))
      await rejection(closing, 'UnsupportedProtocolError')
    })

    it('aborts with our listener: the listener answers na', async () => {
      const [outbound, inbound] = streamPair()
      await select(outbound, '/nope')
      const closed = closedWith(outbound)
      outbound.send(enc('data'))
      const listener = handle(inbound, ['/a'], { signal: AbortSignal.timeout(2000) })
      listener.catch(() => {})
      expect((await closed)?.name).to.equal('UnsupportedProtocolError')
    })

    const cases: Array<[string, Uint8Array, string]> = [
      ['another multistream version', encodeMessages('/multistream/2.0.0', '/a'), 'ProtocolError'],
      ['an unexpected answer', encodeMessages(HEADER, '/b'), 'ProtocolError'],
      ['an answer that is not UTF-8', new Uint8Array([...encodeMessages(HEADER), 2, 0xff, 0x0a]), 'InvalidMessageError'],
      ['an oversized answer', new Uint8Array([...encodeMessages(HEADER), 0x81, 0x08]), 'InvalidMessageError']
    ]
    for (const [name, bytes, error] of cases) {
      it(`aborts the stream with ${error} on ${name}`, async () => {
        const [outbound, inbound] = streamPair()
        await select(outbound, '/a')
        const closed = closedWith(outbound)
        outbound.send(enc('data'))
        inbound.send(bytes)
        expect((await closed)?.name).to.equal(error)
      })
    }

    it('aborts the stream with TimeoutError when no answer comes', async () => {
      const [outbound] = streamPair()
      await select(outbound, '/a', { timeout: 30 })
      const closed = closedWith(outbound)
      outbound.send(enc('data'))
      expect((await closed)?.name).to.equal('TimeoutError')
    })

    it('aborts the stream when the caller signal fires before the answer', async () => {
      const [outbound] = streamPair()
      const controller = new AbortController()
      await select(outbound, '/a', { signal: controller.signal })
      const closed = closedWith(outbound)
      outbound.send(enc('data'))
      controller.abort()
      expect((await closed)?.name).to.equal('AbortError')
    })

    it('ends the check quietly when the application aborts the stream', async () => {
      const [outbound] = streamPair()
      await select(outbound, '/a')
      outbound.send(enc('data'))
      const mine = new Error('changed my mind')
      outbound.abort(mine)
      await until(() => !isShadowed(outbound))
      expect(outbound.status).to.equal('aborted')
    })
  })

  describe('when it is not used', () => {
    it('negotiates fully with negotiateFully: true', async () => {
      const [outbound, inbound] = streamPair()
      let resolved = false
      const pending = select(outbound, '/a', { negotiateFully: true, signal: AbortSignal.timeout(2000) }).then(r => { resolved = true; return r })
      await settle()
      expect(resolved).to.equal(false)
      inbound.send(encodeMessages(HEADER, '/a'))
      expect((await pending).protocol).to.equal('/a')
      expect(isShadowed(outbound)).to.equal(false)
    })

    it('negotiates fully on a stream whose methods cannot be shadowed', async () => {
      const [outbound, inbound] = streamPair()
      Object.preventExtensions(outbound)
      expect(canSelectOptimistically(outbound)).to.equal(false)
      let resolved = false
      const pending = select(outbound, '/a', { signal: AbortSignal.timeout(2000) }).then(r => { resolved = true; return r })
      await settle()
      expect(resolved).to.equal(false)
      inbound.send(encodeMessages(HEADER, '/a'))
      expect((await pending).protocol).to.equal('/a')
    })

    it('negotiates fully with several protocols', async () => {
      const [outbound, inbound] = streamPair()
      const chunks = recordChunks(inbound)
      const pending = select(outbound, ['/a', '/b'], { signal: AbortSignal.timeout(2000) })
      await until(() => chunks.length === 1)
      expect(isShadowed(outbound)).to.equal(false)
      inbound.send(encodeMessages(HEADER, '/a'))
      expect((await pending).protocol).to.equal('/a')
    })
  })

  it('sends only the protocol when the header was already exchanged', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(inbound)
    await select(outbound, '/a', { headerExchanged: true })
    outbound.send(enc('d'))
    await until(() => chunks.length === 1)
    expect(hex(chunks[0])).to.equal(hex(concat(encodeMessages('/a'), enc('d'))))
    inbound.send(encodeMessages('/a'))
    await until(() => !isShadowed(outbound))
    expect(outbound.status).to.equal('open')
  })
})
