import { expect } from 'chai'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_MAX_MESSAGE_SIZE, MessageType } from '../src/constants.js'
import { MessageDecoder, encodeHeader, readVarint } from '../src/message.js'
import type { Message } from '../src/message.js'

function drain (decoder: MessageDecoder): Message[] {
  const out: Message[] = []
  let m: Message | undefined
  while ((m = decoder.next()) != null) {
    out.push(m)
  }
  return out
}

const arbType = fc.constantFrom(...Object.values(MessageType))

describe('mplex message codec', () => {
  it('encodes the header as varint(id << 3 | flag) then varint(length) (spec lines 93-120)', () => {
    expect([...encodeHeader(17, MessageType.MessageInitiator, 300)]).to.deep.equal([17 * 8 + 2, 1, 0xac, 0x02])
  })

  it('decodes the same messages however the bytes are split', () => {
    const arbMessage = fc.record({ id: fc.integer({ min: 0, max: 2 ** 40 }), type: arbType, data: fc.uint8Array({ maxLength: 200 }) })
    fc.assert(fc.property(fc.array(arbMessage, { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 32 }), { minLength: 1 }), (messages, cuts) => {
      const wire = new Uint8ArrayList()
      for (const m of messages) {
        wire.append(encodeHeader(m.id, m.type, m.data.byteLength).slice(), m.data)
      }
      const bytes = wire.subarray()
      const decoder = new MessageDecoder(DEFAULT_MAX_MESSAGE_SIZE)
      const decoded: Message[] = []
      let offset = 0
      let i = 0
      while (offset < bytes.byteLength) {
        const n = cuts[i++ % cuts.length]
        decoder.push(bytes.subarray(offset, offset + n))
        offset += n
        decoded.push(...drain(decoder))
      }
      expect(decoded.map(d => ({ id: d.id, type: d.type, data: d.data.subarray() }))).to.deep.equal(messages.map(m => ({ ...m, data: Uint8Array.from(m.data) })))
      expect(decoder.bufferedBytes).to.equal(0)
    }))
  })

  it('throws only typed errors on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
      const decoder = new MessageDecoder(64)
      decoder.push(bytes)
      try {
        drain(decoder)
      } catch (err: any) {
        expect(err.name).to.be.oneOf(['InvalidVarintError', 'InvalidFlagError', 'MessageTooLargeError'])
      }
    }))
  })

  it('refuses a message over the maximum size from its length alone', () => {
    const decoder = new MessageDecoder(DEFAULT_MAX_MESSAGE_SIZE)
    decoder.push(encodeHeader(1, MessageType.MessageInitiator, DEFAULT_MAX_MESSAGE_SIZE + 1))
    expect(() => decoder.next()).to.throw().with.property('name', 'MessageTooLargeError')
  })

  it('accepts a message of exactly the maximum size', () => {
    const decoder = new MessageDecoder(DEFAULT_MAX_MESSAGE_SIZE)
    decoder.push(encodeHeader(1, MessageType.MessageInitiator, DEFAULT_MAX_MESSAGE_SIZE))
    decoder.push(new Uint8Array(DEFAULT_MAX_MESSAGE_SIZE))
    expect(decoder.next()?.data.byteLength).to.equal(DEFAULT_MAX_MESSAGE_SIZE)
  })

  it('refuses flag 7', () => {
    const decoder = new MessageDecoder(DEFAULT_MAX_MESSAGE_SIZE)
    decoder.push(Uint8Array.of(7, 0))
    expect(() => decoder.next()).to.throw().with.property('name', 'InvalidFlagError')
  })

  it('refuses a varint longer than 9 bytes, even before it ends', () => {
    expect(() => readVarint(new Uint8ArrayList(new Uint8Array(10).fill(0x80)), 0)).to.throw().with.property('name', 'InvalidVarintError')
    expect(() => readVarint(new Uint8ArrayList(new Uint8Array(9).fill(0x80)), 0)).to.throw().with.property('name', 'InvalidVarintError')
    expect(readVarint(new Uint8ArrayList(new Uint8Array(8).fill(0x80)), 0)).to.equal(undefined)
  })

  it('refuses a header past Number.MAX_SAFE_INTEGER', () => {
    const big = new Uint8Array(9).fill(0xff)
    big[8] = 0x7f
    expect(() => readVarint(new Uint8ArrayList(big), 0)).to.throw().with.property('name', 'InvalidVarintError')
  })
})
