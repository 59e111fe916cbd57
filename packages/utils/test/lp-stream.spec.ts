import { expect } from 'chai'
import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'
import { decodeVarint, lpStream, varintLength } from '../src/lp-stream.js'
import { bytes, rejection, settle, wiredPair } from './fixtures/test-streams.js'

describe('lpStream', () => {
  it('round-trips frames, including empty ones', async () => {
    const [a, b] = wiredPair()
    const writer = lpStream(a)
    const reader = lpStream(b)
    await writer.write(bytes(1, 2, 3))
    await writer.write(new Uint8Array(0))
    await writer.writeV([bytes(4), new Uint8ArrayList(bytes(5), bytes(6))])
    expect((await reader.read()).subarray()).to.deep.equal(bytes(1, 2, 3))
    expect((await reader.read()).byteLength).to.equal(0)
    expect((await reader.read()).subarray()).to.deep.equal(bytes(4))
    expect((await reader.read()).subarray()).to.deep.equal(bytes(5, 6))
  })

  it('writes the same bytes as it-length-prefixed', async () => {
    const [a, b] = wiredPair()
    const payload = new Uint8Array(300).fill(7)
    await lpStream(a).write(payload)
    await a.close()
    const chunks: Uint8Array[] = []
    for await (const chunk of b) {
      chunks.push(chunk instanceof Uint8Array ? chunk : chunk.subarray())
    }
    expect(new Uint8ArrayList(...chunks).subarray()).to.deep.equal(lp.encode.single(payload).subarray())
  })

  it('reads frames whose prefix and body arrive byte by byte', async () => {
    const [a, b] = wiredPair()
    const reader = lpStream(b)
    const encoded = lp.encode.single(new Uint8Array(200).fill(1)).subarray()
    const p = reader.read()
    for (const byte of encoded) {
      a.send(Uint8Array.of(byte))
      await settle()
    }
    expect((await p).byteLength).to.equal(200)
  })

  it('refuses an over-size frame from its prefix, before the body arrives', async () => {
    const [a, b] = wiredPair()
    const reader = lpStream(b, { maxDataLength: 10 })
    a.send(Uint8Array.of(11))
    const err = await rejection(reader.read())
    expect(err).to.have.property('name', 'InvalidDataLengthError')
  })

  it('refuses an over-long length prefix', async () => {
    const [a, b] = wiredPair()
    const reader = lpStream(b, { maxDataLength: 100 })
    // 100 needs one varint byte; a continuation byte asks for a second
    a.send(bytes(0x80, 0x80))
    const err = await rejection(reader.read())
    expect(err).to.have.property('name', 'InvalidDataLengthLengthError')
  })

  it('refuses to write a frame over maxDataLength', async () => {
    const [a] = wiredPair()
    const err = await rejection(lpStream(a, { maxDataLength: 2 }).write(bytes(1, 2, 3)))
    expect(err).to.have.property('name', 'InvalidDataLengthError')
  })

  it('fails with UnexpectedEOFError when the stream ends inside a frame or before one', async () => {
    const [a, b] = wiredPair()
    const reader = lpStream(b)
    a.send(bytes(5, 1, 2))
    await a.close()
    expect(await rejection(reader.read())).to.have.property('name', 'UnexpectedEOFError')
    const [c, d] = wiredPair()
    await c.close()
    expect(await rejection(lpStream(d).read())).to.have.property('name', 'UnexpectedEOFError')
  })

  it('honours the signal', async () => {
    const [, b] = wiredPair()
    const err = await rejection(lpStream(b).read({ signal: AbortSignal.timeout(10) }))
    expect(err).to.have.property('name', 'TimeoutError')
  })

  it('unwrap returns the bytes after the last frame to the stream', async () => {
    const [a, b] = wiredPair()
    const reader = lpStream(b)
    a.send(new Uint8ArrayList(lp.encode.single(bytes(1)), bytes(42, 43)))
    expect((await reader.read()).subarray()).to.deep.equal(bytes(1))
    const stream = reader.unwrap()
    await a.close()
    const rest: number[] = []
    for await (const chunk of stream) {
      rest.push(...(chunk instanceof Uint8Array ? chunk : chunk.subarray()))
    }
    expect(rest).to.deep.equal([42, 43])
  })
})

describe('varints', () => {
  it('decodes what it-length-prefixed encodes', () => {
    for (const value of [0, 1, 127, 128, 300, 16383, 16384, 4 * 1024 * 1024, 2 ** 40]) {
      const encoded = lp.encode.single(new Uint8Array(0), { maxDataLength: Infinity })
      expect(encoded.byteLength).to.equal(1)
      const prefix = encodeVarint(value)
      expect(decodeVarint(prefix)).to.deep.equal({ value, bytes: prefix.byteLength })
      expect(varintLength(value)).to.equal(prefix.byteLength)
    }
  })

  it('reports an incomplete varint as undefined', () => {
    expect(decodeVarint(bytes(0x80))).to.equal(undefined)
    expect(decodeVarint(new Uint8ArrayList(bytes(0xac), bytes(0x02)))).to.deep.equal({ value: 300, bytes: 2 })
  })

  it('throws InvalidDataLengthLengthError past maxBytes', () => {
    expect(() => decodeVarint(bytes(0x80, 0x80, 0x01), 2)).to.throw().with.property('name', 'InvalidDataLengthLengthError')
    expect(() => decodeVarint(bytes(0x80, 0x80), 2)).to.throw().with.property('name', 'InvalidDataLengthLengthError')
  })
})

function encodeVarint (value: number): Uint8Array {
  const out: number[] = []
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }
  out.push(value)
  return Uint8Array.from(out)
}
