import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { byteStream } from '../src/byte-stream.js'
import { bytes, collect, rejection, settle, wiredPair } from './fixtures/test-streams.js'

describe('byteStream', () => {
  it('refuses something that is not a message stream', () => {
    expect(() => byteStream({} as any)).to.throw().with.property('name', 'InvalidParametersError')
  })

  it('reads exact byte counts across chunks', async () => {
    const [a, b] = wiredPair()
    const reader = byteStream(b)
    a.send(bytes(1, 2))
    a.send(bytes(3, 4, 5))
    expect((await reader.read({ bytes: 3 })).subarray()).to.deep.equal(bytes(1, 2, 3))
    expect((await reader.read({ bytes: 1 })).subarray()).to.deep.equal(bytes(4))
    expect(reader.bufferedLength).to.equal(1)
    expect((await reader.read())?.subarray()).to.deep.equal(bytes(5))
  })

  it('waits for bytes that have not arrived yet', async () => {
    const [a, b] = wiredPair()
    const reader = byteStream(b)
    const p = reader.read({ bytes: 2 })
    await settle()
    a.send(bytes(1))
    await settle()
    a.send(bytes(2))
    expect((await p).subarray()).to.deep.equal(bytes(1, 2))
  })

  it('returns null at the end when no count was asked for', async () => {
    const [a, b] = wiredPair()
    const reader = byteStream(b)
    await a.close()
    expect(await reader.read()).to.equal(null)
  })

  it('throws UnexpectedEOFError when the stream ends short of the count', async () => {
    const [a, b] = wiredPair()
    const reader = byteStream(b)
    a.send(bytes(1))
    await a.close()
    const err = await rejection(reader.read({ bytes: 2 }))
    expect(err).to.have.property('name', 'UnexpectedEOFError')
  })

  it('rejects with the reset error', async () => {
    const [a, b] = wiredPair()
    const reader = byteStream(b)
    const p = reader.read({ bytes: 1 })
    a.abort(new Error('gone'))
    const err = await rejection(p)
    expect(err).to.have.property('name', 'StreamResetError')
    expect(await rejection(reader.read())).to.have.property('name', 'StreamResetError')
  })

  it('honours the signal', async () => {
    const [, b] = wiredPair()
    const reader = byteStream(b)
    const err = await rejection(reader.read({ bytes: 1, signal: AbortSignal.timeout(10) }))
    expect(err).to.have.property('name', 'TimeoutError')
    // a later read still works
    b.onData(bytes(9))
    expect((await reader.read({ bytes: 1 })).subarray()).to.deep.equal(bytes(9))
  })

  it('refuses negative or fractional counts', async () => {
    const [, b] = wiredPair()
    const reader = byteStream(b)
    expect(await rejection(reader.read({ bytes: -1 }))).to.have.property('name', 'InvalidParametersError')
    expect(await rejection(reader.read({ bytes: 1.5 }))).to.have.property('name', 'InvalidParametersError')
  })

  it('leaves bytes it was not asked for in the stream between reads', async () => {
    const [a, b] = wiredPair()
    const reader = byteStream(b)
    a.send(bytes(1))
    a.send(bytes(2))
    a.send(bytes(3))
    expect((await reader.read({ bytes: 1 })).subarray()).to.deep.equal(bytes(1))
    await settle()
    expect(b.readBufferLength + reader.bufferedLength).to.equal(2)
    expect(b.readBufferLength).to.be.greaterThan(0, 'not all pulled into the reader')
  })

  describe('readUntil', () => {
    it('returns the bytes before the delimiter and consumes it', async () => {
      const [a, b] = wiredPair()
      const reader = byteStream(b)
      a.send(new TextEncoder().encode('/multi'))
      a.send(new TextEncoder().encode('stream/1.0.0\nrest'))
      const line = await reader.readUntil(0x0a, { maxLength: 100 })
      expect(new TextDecoder().decode(line.subarray())).to.equal('/multistream/1.0.0')
      expect(new TextDecoder().decode((await reader.read({ bytes: 4 })).subarray())).to.equal('rest')
    })

    it('finds a multi-byte delimiter split across chunks', async () => {
      const [a, b] = wiredPair()
      const reader = byteStream(b)
      a.send(new TextEncoder().encode('abc\r'))
      a.send(new TextEncoder().encode('\ndef'))
      const line = await reader.readUntil(new TextEncoder().encode('\r\n'), { maxLength: 10 })
      expect(new TextDecoder().decode(line.subarray())).to.equal('abc')
    })

    it('fails with DelimiterNotFoundError past maxLength', async () => {
      const [a, b] = wiredPair()
      const reader = byteStream(b)
      a.send(new Uint8Array(20).fill(0x61))
      const err = await rejection(reader.readUntil(0x0a, { maxLength: 8 }))
      expect(err).to.have.property('name', 'DelimiterNotFoundError')
    })

    it('fails with UnexpectedEOFError when the stream ends first', async () => {
      const [a, b] = wiredPair()
      const reader = byteStream(b)
      a.send(bytes(0x61))
      await a.close()
      expect(await rejection(reader.readUntil(0x0a, { maxLength: 8 }))).to.have.property('name', 'UnexpectedEOFError')
    })
  })

  describe('write', () => {
    it('sends and waits for drain when needed', async () => {
      const [a, b] = wiredPair()
      const writer = byteStream(a)
      await writer.write(bytes(1, 2))
      b.onRemoteCloseWrite()
      await settle()
      expect((await collect(b)).flatMap(c => [...c])).to.deep.equal([1, 2])
    })

    it('waits for drain and rejects with the signal', async () => {
      const [a] = wiredPair()
      ;(a as any).sendData = (data: Uint8ArrayList) => ({ sentBytes: data.byteLength, canSendMore: false })
      const writer = byteStream(a)
      const err = await rejection(writer.write(bytes(1), { signal: AbortSignal.timeout(10) }))
      expect(err).to.have.property('name', 'TimeoutError')
    })
  })

  describe('unwrap', () => {
    it('puts read-ahead bytes back in front of the stream', async () => {
      const [a, b] = wiredPair()
      const reader = byteStream(b)
      a.send(bytes(1, 2, 3))
      a.send(bytes(4))
      await reader.read({ bytes: 1 })
      const stream = reader.unwrap()
      expect(stream).to.equal(b)
      await a.close()
      const rest = (await collect(stream)).flatMap(c => [...c])
      expect(rest).to.deep.equal([2, 3, 4])
    })

    it('makes the reader unusable', async () => {
      const [, b] = wiredPair()
      const reader = byteStream(b)
      reader.unwrap()
      expect(reader.unwrap()).to.equal(b, 'unwrapping twice returns the stream')
      expect(await rejection(reader.read())).to.have.property('name', 'UnwrappedError')
      expect(await rejection(reader.write(bytes(1)))).to.have.property('name', 'UnwrappedError')
    })
  })

  it('aborts the stream when one delivery overflows maxBufferSize', async () => {
    const [a, b] = wiredPair()
    const reader = byteStream(b, { maxBufferSize: 4 })
    a.send(new Uint8Array(16))
    const err = await rejection(reader.read({ bytes: 1 }))
    expect(err).to.have.property('name', 'StreamBufferError')
    expect(b.status).to.equal('aborted')
  })
})
