import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { TestMessageStream, bytes, collect, delay, rejection, sentBytes, settle } from './fixtures/test-streams.js'
import type { StreamCloseEvent, StreamMessageEvent } from '@ts-libp2p/interface'

describe('AbstractMessageStream', () => {
  describe('state', () => {
    it('starts open on both sides with a timeline', () => {
      const stream = new TestMessageStream({ direction: 'inbound' })
      expect(stream.status).to.equal('open')
      expect(stream.readStatus).to.equal('readable')
      expect(stream.writeStatus).to.equal('writable')
      expect(stream.remoteReadStatus).to.equal('readable')
      expect(stream.remoteWriteStatus).to.equal('writable')
      expect(stream.direction).to.equal('inbound')
      expect(stream.timeline.open).to.be.a('number')
      expect(stream.timeline).to.not.have.property('close')
      expect(stream.readableEnded).to.equal(false)
      expect(stream.writableNeedsDrain).to.equal(false)
    })

    it('defaults to outbound and the documented limits', () => {
      const stream = new TestMessageStream()
      expect(stream.direction).to.equal('outbound')
      expect(stream.maxReadBufferLength).to.equal(4 * 1024 * 1024)
      expect(stream.maxWriteBufferLength).to.equal(4 * 1024 * 1024)
      expect(stream.inactivityTimeout).to.equal(0)
    })
  })

  describe('send', () => {
    it('hands the caller\'s arrays to sendData without copying', () => {
      const stream = new TestMessageStream()
      const data = bytes(1, 2, 3)
      expect(stream.send(data)).to.equal(true)
      expect(stream.controls.sent).to.have.lengthOf(1)
      expect([...stream.controls.sent[0]][0]).to.equal(data)
      expect(stream.bytesSent).to.equal(3)
      expect(stream.writeBufferLength).to.equal(0)
    })

    it('accepts a Uint8ArrayList', () => {
      const stream = new TestMessageStream()
      expect(stream.send(new Uint8ArrayList(bytes(1), bytes(2, 3)))).to.equal(true)
      expect(sentBytes(stream.controls)).to.deep.equal(bytes(1, 2, 3))
    })

    it('ignores empty sends', () => {
      const stream = new TestMessageStream()
      expect(stream.send(new Uint8Array(0))).to.equal(true)
      expect(stream.controls.sent).to.have.lengthOf(0)
    })

    it('returns false when the resource is full and drains after onSendReady', async () => {
      const stream = new TestMessageStream()
      stream.controls.canSendMore = false
      expect(stream.send(bytes(1))).to.equal(false)
      expect(stream.writableNeedsDrain).to.equal(true)
      // further sends are buffered, not handed over
      expect(stream.send(bytes(2))).to.equal(false)
      expect(stream.controls.sent).to.have.lengthOf(1)
      expect(stream.writeBufferLength).to.equal(1)

      let drained = 0
      stream.addEventListener('drain', () => { drained++ })
      stream.controls.canSendMore = true
      stream.onSendReady()
      expect(drained).to.equal(1)
      expect(stream.writableNeedsDrain).to.equal(false)
      expect(sentBytes(stream.controls)).to.deep.equal(bytes(1, 2))
      expect(stream.writeBufferLength).to.equal(0)
    })

    it('keeps the part sendData did not take and sends it later', () => {
      const stream = new TestMessageStream()
      stream.controls.accept = 2
      stream.controls.canSendMore = true
      expect(stream.send(bytes(1, 2, 3, 4, 5))).to.equal(false, 'a short send counts as full')
      expect(stream.writeBufferLength).to.equal(3)
      stream.onSendReady()
      stream.onSendReady()
      expect(sentBytes(stream.controls)).to.deep.equal(bytes(1, 2, 3, 4, 5))
      expect(stream.writableNeedsDrain).to.equal(false)
    })

    it('does not modify a list sendData kept after a short send', () => {
      const stream = new TestMessageStream()
      const kept: Uint8ArrayList[] = []
      // a subclass that keeps what it is given and takes 1 byte
      ;(stream as any).sendData = (data: Uint8ArrayList) => {
        kept.push(data)
        return { sentBytes: 1, canSendMore: false }
      }
      stream.send(bytes(1, 2, 3))
      expect(kept[0].subarray()).to.deep.equal(bytes(1, 2, 3))
      expect(stream.writeBufferLength).to.equal(2)
    })

    it('splits writes at maxMessageSize', () => {
      const stream = new TestMessageStream({ maxMessageSize: 2 })
      stream.send(bytes(1, 2, 3, 4, 5))
      expect(stream.controls.sent.map(l => l.byteLength)).to.deep.equal([2, 2, 1])
      expect(sentBytes(stream.controls)).to.deep.equal(bytes(1, 2, 3, 4, 5))
    })

    it('refuses bytes over maxWriteBufferLength with StreamBufferError', () => {
      const stream = new TestMessageStream({ maxWriteBufferLength: 4 })
      stream.controls.canSendMore = false
      stream.controls.accept = 0
      expect(stream.send(bytes(1, 2, 3))).to.equal(false)
      expect(() => stream.send(bytes(4, 5))).to.throw().with.property('name', 'StreamBufferError')
      expect(stream.writeBufferLength).to.equal(3)
      expect(stream.status).to.equal('open', 'the stream survives a refused send')
    })

    it('accepts one write larger than the limit into an empty buffer', () => {
      const stream = new TestMessageStream({ maxWriteBufferLength: 4 })
      stream.controls.canSendMore = false
      stream.controls.accept = 0
      expect(stream.send(new Uint8Array(10))).to.equal(false)
      expect(stream.writeBufferLength).to.equal(10)
    })

    it('throws StreamStateError once the write side is closing or closed', async () => {
      const stream = new TestMessageStream()
      void stream.close().catch(() => {})
      expect(stream.writeStatus).to.equal('closing')
      expect(() => stream.send(bytes(1))).to.throw().with.property('name', 'StreamStateError')
      stream.abort(new Error('done'))
      expect(() => stream.send(bytes(1))).to.throw().with.property('name', 'StreamStateError')
    })

    it('aborts the stream when sendData throws, and send rethrows', () => {
      const stream = new TestMessageStream()
      const err = new Error('socket gone')
      stream.controls.sendError = err
      expect(() => stream.send(bytes(1))).to.throw(err)
      expect(stream.status).to.equal('aborted')
      expect(stream.controls.resets).to.deep.equal([err])
    })

    it('sends bytes queued by a re-entrant send in order', () => {
      const stream = new TestMessageStream()
      const order: number[] = []
      ;(stream as any).sendData = (data: Uint8ArrayList) => {
        order.push(...data.subarray())
        if (order.length === 1) {
          stream.send(bytes(9))
        }
        return { sentBytes: data.byteLength, canSendMore: true }
      }
      stream.send(bytes(1))
      expect(order).to.deep.equal([1, 9])
    })
  })

  describe('onDrain', () => {
    it('resolves at once when no drain is needed', async () => {
      await new TestMessageStream().onDrain()
    })

    it('resolves when the stream drains', async () => {
      const stream = new TestMessageStream()
      stream.controls.canSendMore = false
      stream.send(bytes(1))
      let done = false
      const p = stream.onDrain().then(() => { done = true })
      await settle()
      expect(done).to.equal(false)
      stream.controls.canSendMore = true
      stream.onSendReady()
      await p
      expect(done).to.equal(true)
    })

    it('rejects with the signal\'s reason', async () => {
      const stream = new TestMessageStream()
      stream.controls.canSendMore = false
      stream.send(bytes(1))
      const err = await rejection(stream.onDrain({ signal: AbortSignal.timeout(10) }))
      expect(err).to.have.property('name', 'TimeoutError')
    })

    it('rejects when the stream is aborted', async () => {
      const stream = new TestMessageStream()
      stream.controls.canSendMore = false
      stream.send(bytes(1))
      const err = new Error('urk')
      const p = stream.onDrain()
      stream.abort(err)
      expect(await rejection(p)).to.equal(err)
      expect(await rejection(stream.onDrain())).to.equal(err)
    })
  })

  describe('reading with an iterator', () => {
    it('yields deliveries in arrival order, then ends after the remote closes its write side', async () => {
      const stream = new TestMessageStream()
      const result = collect(stream)
      stream.onData(bytes(1, 2))
      stream.onData(new Uint8ArrayList(bytes(3), bytes(4)))
      await settle()
      stream.onData(bytes(5))
      stream.onRemoteCloseWrite()
      expect(await result).to.deep.equal([bytes(1, 2), bytes(3, 4), bytes(5)])
      expect(stream.readableEnded).to.equal(true)
      expect(stream.bytesReceived).to.equal(5)
    })

    it('yields bytes that arrived before iteration started, then ends', async () => {
      const stream = new TestMessageStream()
      stream.onData(bytes(1))
      stream.onData(bytes(2))
      stream.onRemoteCloseWrite()
      expect(stream.readableEnded).to.equal(false, 'unread bytes defer the end')
      expect(await collect(stream)).to.deep.equal([bytes(1), bytes(2)])
      expect(stream.readableEnded).to.equal(true)
    })

    it('does not dispatch message events while iterating', async () => {
      const stream = new TestMessageStream()
      let events = 0
      stream.addEventListener('message', () => { events++ })
      const result = collect(stream)
      await settle()
      stream.onData(bytes(1))
      stream.onRemoteCloseWrite()
      expect(await result).to.deep.equal([bytes(1)])
      expect(events).to.equal(0)
    })

    it('throws the abort error', async () => {
      const stream = new TestMessageStream()
      const err = new Error('urk')
      const result = collect(stream)
      stream.onData(bytes(1))
      await settle()
      stream.abort(err)
      expect(await rejection(result)).to.equal(err)
    })

    it('throws StreamResetError after a remote reset, even when iteration starts later', async () => {
      const stream = new TestMessageStream()
      stream.onData(bytes(1))
      stream.onRemoteReset()
      const err = await rejection(collect(stream))
      expect(err).to.have.property('name', 'StreamResetError')
    })

    it('allows one reader at a time', async () => {
      const stream = new TestMessageStream()
      const first = collect(stream)
      await settle()
      const err = await rejection(collect(stream))
      expect(err).to.have.property('name', 'StreamStateError')
      stream.onRemoteCloseWrite()
      await first
    })

    it('yields a list delivered at once as one item of the same arrays (no copy)', async () => {
      const stream = new TestMessageStream()
      const one = bytes(1)
      const two = bytes(2, 3)
      const three = bytes(4)
      stream.onData(one)
      stream.onData(new Uint8ArrayList(two, three))
      stream.unshift(bytes(0))
      const iterator = stream[Symbol.asyncIterator]()
      expect((await iterator.next()).value).to.deep.equal(bytes(0))
      // (Uint8ArrayList.consume() may hand back a new view of the same memory)
      const first = (await iterator.next()).value as Uint8Array
      expect(first).to.deep.equal(one)
      expect(first.buffer).to.equal(one.buffer)
      const { value } = await iterator.next()
      expect(value).to.be.instanceOf(Uint8ArrayList)
      const arrays = [...(value as Uint8ArrayList)]
      expect(arrays).to.deep.equal([two, three])
      expect(arrays[0].buffer).to.equal(two.buffer)
      expect(arrays[1].buffer).to.equal(three.buffer)
      expect(stream.readBufferLength).to.equal(0)
      await iterator.return?.(undefined)
    })

    it('keeps unread bytes for the next reader after a break', async () => {
      const stream = new TestMessageStream()
      stream.onData(bytes(1))
      stream.onData(bytes(2))
      for await (const chunk of stream) {
        expect(chunk).to.deep.equal(bytes(1))
        break
      }
      stream.onRemoteCloseWrite()
      expect(await collect(stream)).to.deep.equal([bytes(2)])
    })

    it('waits while paused and continues after resume', async () => {
      const stream = new TestMessageStream()
      stream.pause()
      stream.onData(bytes(1))
      const chunks: Uint8Array[] = []
      const result = (async () => {
        for await (const chunk of stream) {
          chunks.push(chunk as Uint8Array)
        }
      })()
      await settle()
      expect(chunks).to.have.lengthOf(0)
      stream.resume()
      stream.onRemoteCloseWrite()
      await result
      expect(chunks).to.deep.equal([bytes(1)])
    })

    it('serves concurrent next() calls in order, each with its own delivery', async () => {
      const stream = new TestMessageStream()
      const iterator = stream[Symbol.asyncIterator]()
      const a = iterator.next()
      const b = iterator.next()
      const c = iterator.next()
      stream.onData(bytes(1))
      stream.onData(bytes(2))
      await settle()
      stream.onRemoteCloseWrite()
      const results = await Promise.all([a, b, c])
      expect(results.map(r => r.value)).to.deep.equal([bytes(1), bytes(2), undefined])
      expect(results.map(r => r.done)).to.deep.equal([false, false, true])
      expect((await iterator.next()).done).to.equal(true)
    })

    it('takes a delivery a microtask after onData(), not inside it', async () => {
      const stream = new TestMessageStream({ readHighWaterMark: 1 })
      const iterator = stream[Symbol.asyncIterator]()
      const first = iterator.next()
      await settle()
      stream.onData(bytes(1, 2))
      // still buffered: the source was paused, and the reader runs later
      expect(stream.readBufferLength).to.equal(2)
      expect(stream.controls.calls).to.deep.equal(['pause'])
      expect((await first).value).to.deep.equal(bytes(1, 2))
      expect(stream.controls.calls).to.deep.equal(['pause', 'resume'])
      await iterator.return?.(undefined)
    })

    it('lets a new reader start after return(), and throw() ends a read', async () => {
      const stream = new TestMessageStream()
      const one = stream[Symbol.asyncIterator]()
      stream.onData(bytes(1))
      expect((await one.next()).value).to.deep.equal(bytes(1))
      expect(await one.return?.(undefined)).to.deep.equal({ done: true, value: undefined })
      expect((await one.next()).done).to.equal(true)
      const two = stream[Symbol.asyncIterator]()
      stream.onData(bytes(2))
      expect((await two.next()).value).to.deep.equal(bytes(2))
      const err = new Error('stop')
      expect(await rejection(two.throw(err))).to.equal(err)
      stream.onData(bytes(3))
      stream.onRemoteCloseWrite()
      expect(await collect(stream)).to.deep.equal([bytes(3)])
    })

    it('rejects a waiting step with the abort error', async () => {
      const stream = new TestMessageStream()
      const iterator = stream[Symbol.asyncIterator]()
      const step = iterator.next()
      await settle()
      const err = new Error('gone')
      stream.abort(err)
      expect(await rejection(step)).to.equal(err)
      expect((await iterator.next()).done).to.equal(true)
    })

    it('ends when the stream closes cleanly, after the buffered bytes', async () => {
      const stream = new TestMessageStream()
      stream.onData(bytes(7))
      stream.onTransportClosed()
      expect(stream.status).to.equal('closed')
      expect(stream.readStatus).to.equal('readable', 'unread bytes remain readable')
      expect(await collect(stream)).to.deep.equal([bytes(7)])
      expect(stream.readStatus).to.equal('closed')
    })
  })

  describe('message events', () => {
    it('dispatches received bytes synchronously to listeners', () => {
      const stream = new TestMessageStream()
      const got: Array<Uint8Array | Uint8ArrayList> = []
      stream.addEventListener('message', (evt: StreamMessageEvent) => { got.push(evt.data) })
      const data = bytes(1, 2)
      stream.onData(data)
      expect(got).to.have.lengthOf(1)
      expect(got[0]).to.equal(data, 'the same array, not a copy')
    })

    it('buffers without listeners and delivers when one is added', async () => {
      const stream = new TestMessageStream()
      stream.onData(bytes(1))
      stream.onData(bytes(2))
      expect(stream.readBufferLength).to.equal(2)
      const got: Uint8Array[] = []
      stream.addEventListener('message', (evt: StreamMessageEvent) => { got.push(evt.data.subarray()) })
      expect(got).to.have.lengthOf(0, 'delivered on a later microtask')
      await settle()
      expect(got).to.deep.equal([bytes(1), bytes(2)])
      expect(stream.readBufferLength).to.equal(0)
    })

    it('stops delivering when a listener pauses the stream', async () => {
      const stream = new TestMessageStream()
      stream.onData(bytes(1))
      stream.onData(bytes(2))
      const got: Uint8Array[] = []
      stream.addEventListener('message', (evt: StreamMessageEvent) => {
        got.push(evt.data.subarray())
        stream.pause()
      })
      await settle()
      expect(got).to.deep.equal([bytes(1)])
      stream.resume()
      await settle()
      expect(got).to.deep.equal([bytes(1), bytes(2)])
    })

    it('hands deliveries to a message handler without events, then to listeners too', async () => {
      const stream = new TestMessageStream()
      stream.onData(bytes(1))
      const handled: Array<Uint8Array | Uint8ArrayList> = []
      stream.setMessageHandler((data) => { handled.push(data) })
      expect(handled).to.have.lengthOf(0, 'buffered bytes go to it on a later microtask')
      await settle()
      expect(handled).to.deep.equal([bytes(1)])
      const data = bytes(2)
      stream.onData(data)
      expect(handled[1]).to.equal(data, 'synchronously, the same array')
      const events: Array<Uint8Array | Uint8ArrayList> = []
      stream.addEventListener('message', (evt: StreamMessageEvent) => { events.push(evt.data) })
      stream.onData(bytes(3))
      expect(handled).to.have.lengthOf(3)
      expect(events).to.deep.equal([bytes(3)])
      stream.setMessageHandler(undefined)
      stream.onData(bytes(4))
      expect(handled).to.have.lengthOf(3)
      expect(events).to.deep.equal([bytes(3), bytes(4)])
    })

    it('buffers for the iterator while it reads, even with a message handler', async () => {
      const stream = new TestMessageStream()
      let handled = 0
      stream.setMessageHandler(() => { handled++ })
      const result = collect(stream)
      await settle()
      stream.onData(bytes(1))
      stream.onRemoteCloseWrite()
      expect(await result).to.deep.equal([bytes(1)])
      expect(handled).to.equal(0)
    })

    it('delivers bytes received while a listener runs after it returns', async () => {
      const stream = new TestMessageStream()
      const got: number[] = []
      stream.addEventListener('message', (evt: StreamMessageEvent) => {
        got.push(...evt.data.subarray())
        if (got.length === 1) {
          stream.onData(bytes(2))
          expect(got).to.deep.equal([1], 'not delivered re-entrantly')
        }
      })
      stream.onData(bytes(1))
      await settle()
      expect(got).to.deep.equal([1, 2])
    })
  })

  describe('pause and resume', () => {
    it('tells the subclass and buffers meanwhile', async () => {
      const stream = new TestMessageStream()
      const got: Uint8Array[] = []
      stream.addEventListener('message', (evt: StreamMessageEvent) => { got.push(evt.data.subarray()) })
      stream.pause()
      expect(stream.readStatus).to.equal('paused')
      stream.onData(bytes(1))
      expect(got).to.have.lengthOf(0)
      stream.resume()
      expect(stream.readStatus).to.equal('readable')
      await settle()
      expect(got).to.deep.equal([bytes(1)])
      expect(stream.controls.calls).to.deep.equal(['pause', 'resume'])
    })

    it('pauses the source above the read high-water mark and resumes once read', async () => {
      const stream = new TestMessageStream({ readHighWaterMark: 4 })
      stream.onData(new Uint8Array(3))
      expect(stream.controls.calls).to.deep.equal([])
      stream.onData(new Uint8Array(3))
      expect(stream.controls.calls).to.deep.equal(['pause'])
      const iterator = stream[Symbol.asyncIterator]()
      await iterator.next()
      expect(stream.controls.calls).to.deep.equal(['pause', 'resume'])
      await iterator.return?.(undefined)
    })

    it('is a no-op once the read side has closed', () => {
      const stream = new TestMessageStream()
      stream.abort(new Error('x'))
      stream.pause()
      stream.resume()
      expect(stream.readStatus).to.equal('closed')
    })
  })

  describe('read buffer limit', () => {
    it('aborts with StreamBufferError when unread bytes pass maxReadBufferLength', async () => {
      const stream = new TestMessageStream({ maxReadBufferLength: 8 })
      const closed = new Promise<StreamCloseEvent>(resolve => { stream.addEventListener('close', resolve as any) })
      stream.onData(new Uint8Array(8))
      expect(stream.status).to.equal('open')
      stream.onData(new Uint8Array(1))
      expect(stream.status).to.equal('aborted')
      const evt = await closed
      expect(evt.error).to.have.property('name', 'StreamBufferError')
      expect(stream.readBufferLength).to.equal(0)
    })
  })

  describe('push and unshift', () => {
    it('push appends and unshift prepends', async () => {
      const stream = new TestMessageStream()
      stream.onData(bytes(2))
      stream.push(bytes(3))
      stream.unshift(bytes(1))
      stream.onRemoteCloseWrite()
      expect(await collect(stream)).to.deep.equal([bytes(1), bytes(2), bytes(3)])
    })

    it('delivers pushed bytes to listeners on a microtask', async () => {
      const stream = new TestMessageStream()
      const got: Uint8Array[] = []
      stream.addEventListener('message', (evt: StreamMessageEvent) => { got.push(evt.data.subarray()) })
      stream.push(bytes(1))
      expect(got).to.have.lengthOf(0)
      await settle()
      expect(got).to.deep.equal([bytes(1)])
    })

    it('throws StreamStateError when the read side is closed', () => {
      const stream = new TestMessageStream()
      stream.abort(new Error('x'))
      expect(() => stream.push(bytes(1))).to.throw().with.property('name', 'StreamStateError')
      expect(() => stream.unshift(bytes(1))).to.throw().with.property('name', 'StreamStateError')
    })
  })

  describe('close', () => {
    it('flushes, closes the write side, waits for the remote, then dispatches close', async () => {
      const stream = new TestMessageStream()
      stream.controls.canSendMore = false
      stream.controls.accept = 1
      stream.send(bytes(1, 2))
      let closed: StreamCloseEvent | undefined
      stream.addEventListener('close', (evt: StreamCloseEvent) => { closed = evt })
      let resolved = false
      const p = stream.close().then(() => { resolved = true })
      expect(stream.status).to.equal('closing')
      expect(stream.writeStatus).to.equal('closing')
      await settle()
      expect(stream.controls.calls).to.not.include('closeWrite', 'waits for the write buffer first')
      stream.controls.canSendMore = true
      stream.controls.accept = undefined
      stream.onSendReady()
      await settle()
      expect(stream.controls.calls).to.include('closeWrite')
      expect(stream.writeStatus).to.equal('closed')
      expect(resolved).to.equal(false, 'waits for the remote to close too')
      stream.onRemoteCloseWrite()
      await p
      expect(stream.status).to.equal('closed')
      expect(stream.readStatus).to.equal('closed')
      expect(stream.timeline.close).to.be.a('number')
      expect(closed?.error).to.equal(undefined)
      expect(closed?.local).to.equal(true)
      expect(sentBytes(stream.controls)).to.deep.equal(bytes(1, 2))
    })

    it('rejects with the signal\'s reason if the remote does not close', async () => {
      const stream = new TestMessageStream()
      const err = await rejection(stream.close({ signal: AbortSignal.timeout(10) }))
      expect(err).to.have.property('name', 'TimeoutError')
      expect(stream.status).to.equal('closing')
    })

    it('rejects with AbortError when the signal is already aborted', async () => {
      const stream = new TestMessageStream()
      const controller = new AbortController()
      controller.abort()
      const err = await rejection(stream.close({ signal: controller.signal }))
      expect(err).to.have.property('name', 'AbortError')
    })

    it('shares one close between callers', async () => {
      const stream = new TestMessageStream()
      const a = stream.close()
      const b = stream.close()
      stream.onRemoteCloseWrite()
      await Promise.all([a, b])
      expect(stream.controls.calls.filter(c => c === 'closeWrite')).to.have.lengthOf(1)
    })

    it('resolves at once when the remote closed first', async () => {
      const stream = new TestMessageStream()
      stream.onRemoteCloseWrite()
      await stream.close()
      expect(stream.status).to.equal('closed')
    })

    it('resolves without sending anything on a reset stream', async () => {
      const stream = new TestMessageStream()
      stream.onRemoteReset()
      await stream.close()
      expect(stream.controls.calls).to.deep.equal([])
    })

    it('rejects when the stream is reset while flushing', async () => {
      const stream = new TestMessageStream()
      stream.controls.canSendMore = false
      stream.controls.accept = 0
      stream.send(bytes(1))
      const p = stream.close()
      stream.onRemoteReset()
      const err = await rejection(p)
      expect(err).to.have.property('name', 'StreamResetError')
    })
  })

  describe('abort', () => {
    it('discards buffers, sends a reset and dispatches a local close event', async () => {
      const stream = new TestMessageStream()
      stream.controls.canSendMore = false
      stream.controls.accept = 0
      stream.send(bytes(1))
      stream.onData(bytes(2))
      let closed: StreamCloseEvent | undefined
      stream.addEventListener('close', (evt: StreamCloseEvent) => { closed = evt })
      const err = new Error('urk')
      stream.abort(err)
      expect(stream.status).to.equal('aborted')
      expect(stream.readStatus).to.equal('closed')
      expect(stream.writeStatus).to.equal('closed')
      expect(stream.readBufferLength).to.equal(0)
      expect(stream.writeBufferLength).to.equal(0)
      expect(stream.timeline.close).to.be.a('number')
      expect(stream.controls.resets).to.deep.equal([err])
      expect(closed?.error).to.equal(err)
      expect(closed?.local).to.equal(true)
      expect(stream.error).to.equal(err)
    })

    it('is idempotent', () => {
      const stream = new TestMessageStream()
      let events = 0
      stream.addEventListener('close', () => { events++ })
      stream.abort(new Error('a'))
      stream.abort(new Error('b'))
      expect(events).to.equal(1)
      expect(stream.controls.resets).to.have.lengthOf(1)
    })
  })

  describe('remote close, reset and transport close', () => {
    it('dispatches remoteCloseWrite and end, and keeps the read side open for the status', () => {
      const stream = new TestMessageStream()
      const events: string[] = []
      stream.addEventListener('remoteCloseWrite', () => { events.push('remoteCloseWrite') })
      stream.addEventListener('end', () => { events.push('end') })
      stream.onRemoteCloseWrite()
      expect(events).to.deep.equal(['remoteCloseWrite', 'end'])
      expect(stream.remoteWriteStatus).to.equal('closed')
      expect(stream.readStatus).to.equal('readable')
      expect(stream.status).to.equal('open')
      expect(stream.send(bytes(1))).to.equal(true, 'our write side is still open')
    })

    it('marks a remote reset and dispatches a StreamResetError', () => {
      const stream = new TestMessageStream()
      let closed: StreamCloseEvent | undefined
      stream.addEventListener('close', (evt: StreamCloseEvent) => { closed = evt })
      stream.onRemoteReset()
      expect(stream.status).to.equal('reset')
      expect(stream.readStatus).to.equal('closed')
      expect(stream.writeStatus).to.equal('closed')
      expect(closed?.error).to.have.property('name', 'StreamResetError')
      expect(closed?.local).to.equal(false)
      expect(stream.controls.resets).to.have.lengthOf(0, 'no reset is sent back')
    })

    it('drops unsent bytes when the remote closes its read side', () => {
      const stream = new TestMessageStream()
      stream.controls.canSendMore = false
      stream.controls.accept = 0
      stream.send(bytes(1, 2))
      stream.onRemoteCloseRead()
      expect(stream.remoteReadStatus).to.equal('closed')
      expect(stream.writeBufferLength).to.equal(0)
    })

    it('ends as reset when the transport fails', () => {
      const stream = new TestMessageStream()
      const err = new Error('ECONNRESET')
      stream.onTransportClosed(err)
      expect(stream.status).to.equal('reset')
      expect(stream.error).to.equal(err)
    })

    it('drops bytes that arrive after the stream ended', () => {
      const stream = new TestMessageStream()
      stream.abort(new Error('x'))
      stream.onData(bytes(1))
      expect(stream.readBufferLength).to.equal(0)
    })
  })

  describe('inactivity timeout', () => {
    it('dispatches idle and aborts with TimeoutError after no traffic', async () => {
      const stream = new TestMessageStream({ inactivityTimeout: 30 })
      let idle = false
      stream.addEventListener('idle', () => { idle = true })
      const closed = new Promise<StreamCloseEvent>(resolve => { stream.addEventListener('close', resolve as any) })
      const evt = await closed
      expect(idle).to.equal(true)
      expect(stream.status).to.equal('aborted')
      expect(evt.error).to.have.property('name', 'TimeoutError')
    })

    it('is postponed by traffic', async () => {
      const stream = new TestMessageStream({ inactivityTimeout: 60 })
      for (let i = 0; i < 4; i++) {
        await delay(30)
        stream.send(bytes(i))
      }
      expect(stream.status).to.equal('open')
      stream.inactivityTimeout = 0
      await delay(80)
      expect(stream.status).to.equal('open', '0 disables it')
    })

    it('lets an idle listener close the stream itself', async () => {
      const stream = new TestMessageStream({ inactivityTimeout: 20 })
      stream.addEventListener('idle', () => {
        void stream.close().catch(() => {})
      })
      await delay(60)
      expect(stream.status).to.equal('closing')
    })
  })

  describe('onFinished hook', () => {
    class HookedStream extends TestMessageStream {
      public order: string[] = []
      constructor () {
        super()
        this.addEventListener('close', () => { this.order.push('close event') })
      }

      protected override onFinished (): void {
        this.order.push(`finished ${this.status}`)
      }
    }

    it('runs once, before the close event, however the stream ends', async () => {
      const closed = new HookedStream()
      closed.onRemoteCloseWrite()
      await closed.close()
      const aborted = new HookedStream()
      aborted.abort(new Error('x'))
      aborted.abort(new Error('again'))
      const reset = new HookedStream()
      reset.onRemoteReset()
      const failed = new HookedStream()
      failed.onTransportClosed(new Error('gone'))
      expect(closed.order).to.deep.equal(['finished closed', 'close event'])
      expect(aborted.order).to.deep.equal(['finished aborted', 'close event'])
      expect(reset.order).to.deep.equal(['finished reset', 'close event'])
      expect(failed.order).to.deep.equal(['finished reset', 'close event'])
    })
  })
})
