import { expect } from 'chai'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { Flag, FrameType, HEADER_LENGTH } from '../src/constants.js'
import { FrameDecoder, decodeHeader, encodeHeader } from '../src/frame.js'
import type { Frame } from '../src/frame.js'

const arbHeader = fc.record({
  type: fc.constantFrom(FrameType.Data, FrameType.WindowUpdate, FrameType.Ping, FrameType.GoAway),
  flags: fc.integer({ min: 0, max: 0xffff }),
  streamId: fc.integer({ min: 0, max: 0xffffffff }),
  length: fc.integer({ min: 0, max: 0xffffffff })
})

function drain (decoder: FrameDecoder): Frame[] {
  const frames: Frame[] = []
  let frame: Frame | undefined
  while ((frame = decoder.next()) != null) {
    frames.push(frame)
  }
  return frames
}

describe('yamux frame', () => {
  it('encodes the header fields in network order (spec lines 37-44)', () => {
    const header = encodeHeader(FrameType.WindowUpdate, Flag.SYN | Flag.FIN, 0x01020304, 0x0a0b0c0d)
    expect([...header]).to.deep.equal([0, 1, 0, 5, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d])
  })

  it('round-trips any header', () => {
    fc.assert(fc.property(arbHeader, (h) => {
      const decoded = decodeHeader(encodeHeader(h.type, h.flags, h.streamId, h.length))
      expect(decoded).to.deep.equal(h)
    }))
  })

  it('rejects a version other than 0 with InvalidVersionError', () => {
    const header = encodeHeader(FrameType.Data, 0, 1, 0).slice()
    header[0] = 1
    expect(() => decodeHeader(header)).to.throw().with.property('name', 'InvalidVersionError')
  })

  it('rejects an unknown type with InvalidFrameTypeError', () => {
    const header = encodeHeader(FrameType.Data, 0, 1, 0).slice()
    header[1] = 4
    expect(() => decodeHeader(header)).to.throw().with.property('name', 'InvalidFrameTypeError')
  })

  it('decodes the same frames however the bytes are split', () => {
    const arbFrame = fc.record({
      type: fc.constantFrom(FrameType.Data, FrameType.WindowUpdate, FrameType.Ping),
      flags: fc.integer({ min: 0, max: 15 }),
      streamId: fc.integer({ min: 1, max: 1000 }),
      payload: fc.uint8Array({ maxLength: 300 })
    })
    fc.assert(fc.property(fc.array(arbFrame, { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (frames, cuts) => {
      const wire = new Uint8ArrayList()
      for (const f of frames) {
        const length = f.type === FrameType.Data ? f.payload.byteLength : f.payload.byteLength * 7
        wire.append(encodeHeader(f.type, f.flags, f.streamId, length))
        if (f.type === FrameType.Data) {
          wire.append(f.payload)
        }
      }
      const bytes = wire.subarray()
      const decoder = new FrameDecoder()
      const decoded: Frame[] = []
      let offset = 0
      let i = 0
      while (offset < bytes.byteLength) {
        const n = cuts[i++ % cuts.length]
        decoder.push(bytes.subarray(offset, offset + n))
        offset += n
        decoded.push(...drain(decoder))
      }
      expect(decoded).to.have.lengthOf(frames.length)
      decoded.forEach((d, j) => {
        const f = frames[j]
        expect(d.header.type).to.equal(f.type)
        expect(d.header.flags).to.equal(f.flags)
        expect(d.header.streamId).to.equal(f.streamId)
        if (f.type === FrameType.Data) {
          expect(d.data?.subarray()).to.deep.equal(f.payload)
        }
      })
      expect(decoder.bufferedBytes).to.equal(0)
    }))
  })

  it('throws only typed errors on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: HEADER_LENGTH, maxLength: 200 }), (bytes) => {
      const decoder = new FrameDecoder()
      decoder.push(bytes)
      try {
        drain(decoder)
      } catch (err: any) {
        expect(err.name).to.be.oneOf(['InvalidVersionError', 'InvalidFrameTypeError'])
      }
    }))
  })

  it('lets the caller refuse a header before its payload is buffered', () => {
    const decoder = new FrameDecoder((header) => {
      if (header.length > 10) {
        throw new Error('too long')
      }
    })
    decoder.push(encodeHeader(FrameType.Data, 0, 1, 1_000_000))
    expect(() => decoder.next()).to.throw('too long')
  })

  it('does not copy payloads that arrived in one array', () => {
    const payload = new Uint8Array([1, 2, 3, 4])
    const wire = new Uint8Array(HEADER_LENGTH + 4)
    wire.set(encodeHeader(FrameType.Data, 0, 1, 4))
    wire.set(payload, HEADER_LENGTH)
    const decoder = new FrameDecoder()
    decoder.push(wire)
    const frame = decoder.next()
    const [chunk] = [...(frame?.data ?? [])]
    expect(chunk.buffer).to.equal(wire.buffer)
  })
})
