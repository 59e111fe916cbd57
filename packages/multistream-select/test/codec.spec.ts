import { expect } from 'chai'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { assertProtocol, decodeLsResponse, decodeText, encodeLsResponse, encodeMessages, MessageDecoder, toProtocolList, varintLength } from '../src/codec.js'
import { MAX_LS_PROTOCOLS, MAX_MESSAGE_LENGTH } from '../src/constants.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))
const text = (bytes: Uint8Array | undefined): string | undefined => bytes == null ? undefined : new TextDecoder().decode(bytes)

function thrown (fn: () => unknown): Error {
  try {
    fn()
  } catch (err: any) {
    return err
  }
  throw new Error('expected an error')
}

describe('codec', () => {
  describe('encodeMessages', () => {
    it('encodes "na" as the spec example 0x036e610a', () => {
      // connections/README.md: "the string "na" is sent as ... 0x036e610a"
      expect(hex(encodeMessages('na'))).to.equal('036e610a')
    })

    it('encodes "ls" as the spec example 0x036c730a', () => {
      // multistream-select README.md, "Listing"
      expect(hex(encodeMessages('ls'))).to.equal('036c730a')
    })

    it('encodes the header with its length counting the newline', () => {
      const bytes = encodeMessages('/multistream/1.0.0')
      expect(bytes[0]).to.equal(19)
      expect(bytes.byteLength).to.equal(20)
      expect(bytes[19]).to.equal(0x0a)
    })

    it('puts several messages in one buffer', () => {
      expect(hex(encodeMessages('na', 'ls'))).to.equal('036e610a036c730a')
    })

    it('uses a two-byte length for long messages and counts UTF-8 bytes', () => {
      const protocol = '/' + 'é'.repeat(100) // 201 bytes + newline
      const bytes = encodeMessages(protocol)
      expect(hex(bytes.subarray(0, 2))).to.equal('ca01') // 202
      expect(bytes.byteLength).to.equal(204)
    })
  })

  describe('varintLength', () => {
    it('counts 7 bits per byte', () => {
      expect([0, 127, 128, 16383, 16384, 2 ** 32].map(varintLength)).to.deep.equal([1, 1, 2, 2, 3, 5])
    })
  })

  describe('MessageDecoder', () => {
    it('decodes messages pushed in one chunk', () => {
      const decoder = new MessageDecoder()
      decoder.push(encodeMessages('/multistream/1.0.0', '/echo/1.0.0'))
      expect(text(decoder.next())).to.equal('/multistream/1.0.0')
      expect(text(decoder.next())).to.equal('/echo/1.0.0')
      expect(decoder.next()).to.equal(undefined)
      expect(decoder.bufferedLength).to.equal(0)
    })

    it('decodes messages pushed one byte at a time', () => {
      const decoder = new MessageDecoder()
      const bytes = encodeMessages('/multistream/1.0.0', 'na')
      const out: string[] = []
      for (const byte of bytes) {
        decoder.push(Uint8Array.of(byte))
        const body = decoder.next()
        if (body != null) {
          out.push(text(body) ?? '')
        }
      }
      expect(out).to.deep.equal(['/multistream/1.0.0', 'na'])
    })

    it('decodes a two-byte length prefix split across chunks', () => {
      const decoder = new MessageDecoder()
      const bytes = encodeMessages('/' + 'x'.repeat(300))
      decoder.push(bytes.subarray(0, 1))
      expect(decoder.next()).to.equal(undefined)
      decoder.push(bytes.subarray(1, 2))
      expect(decoder.next()).to.equal(undefined)
      decoder.push(bytes.subarray(2))
      expect(text(decoder.next())).to.equal('/' + 'x'.repeat(300))
    })

    it('hands back the bytes after the last message without copying them', () => {
      const decoder = new MessageDecoder()
      const chunk = new Uint8Array([...encodeMessages('/a'), 1, 2, 3])
      const data = new Uint8Array([4, 5, 6])
      decoder.push(chunk)
      decoder.push(data)
      expect(text(decoder.next())).to.equal('/a')
      const rest = decoder.takeRemainder()
      expect(rest.subarray()).to.deep.equal(Uint8Array.of(1, 2, 3, 4, 5, 6))
      // the same memory, not a copy
      const bufs = [...rest]
      expect(bufs[0].buffer).to.equal(chunk.buffer)
      expect(bufs[1]).to.equal(data)
      expect(decoder.bufferedLength).to.equal(0)
    })

    it('accepts a message of exactly the limit', () => {
      const decoder = new MessageDecoder()
      decoder.push(encodeMessages('/' + 'x'.repeat(MAX_MESSAGE_LENGTH - 2)))
      expect(decoder.next()?.byteLength).to.equal(MAX_MESSAGE_LENGTH - 1)
    })

    it('refuses a message over the limit as soon as the length prefix arrives', () => {
      const decoder = new MessageDecoder()
      decoder.push(fromHex('8108')) // 1025
      const err = thrown(() => decoder.next())
      expect(err.name).to.equal('InvalidMessageError')
      expect(err.message).to.match(/1025 bytes exceeds the limit of 1024/)
    })

    it('takes a per-call limit', () => {
      const decoder = new MessageDecoder()
      decoder.push(encodeMessages('/' + 'x'.repeat(2000)))
      expect(thrown(() => decoder.next()).name).to.equal('InvalidMessageError')
      expect(decoder.next(4096)?.byteLength).to.equal(2001)
    })

    it('refuses a length prefix longer than two bytes', () => {
      const decoder = new MessageDecoder()
      decoder.push(fromHex('808001'))
      const err = thrown(() => decoder.next(1e9))
      expect(err.name).to.equal('InvalidMessageError')
      expect(err.message).to.match(/longer than 2 bytes/)
    })

    it('refuses a non-minimal length prefix', () => {
      const decoder = new MessageDecoder()
      decoder.push(fromHex('8300610a0a'))
      const err = thrown(() => decoder.next())
      expect(err.name).to.equal('InvalidMessageError')
      expect(err.message).to.match(/minimally/)
    })

    it('refuses an empty message', () => {
      const decoder = new MessageDecoder()
      decoder.push(fromHex('00'))
      expect(thrown(() => decoder.next()).name).to.equal('InvalidMessageError')
    })

    it('refuses a message without its trailing newline', () => {
      const decoder = new MessageDecoder()
      decoder.push(fromHex('036e6178'))
      const err = thrown(() => decoder.next())
      expect(err.name).to.equal('InvalidMessageError')
      expect(err.message).to.match(/newline/)
    })

    it('waits for the rest of an incomplete message', () => {
      const decoder = new MessageDecoder()
      decoder.push(fromHex('036e61'))
      expect(decoder.next()).to.equal(undefined)
      expect(decoder.bufferedLength).to.equal(3)
    })

    it('property: random bytes in random chunks yield messages or InvalidMessageError only', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(64), { maxLength: 8 }), (bytes, cuts) => {
        const decoder = new MessageDecoder()
        const points = [...new Set(cuts.map(c => c % (bytes.byteLength + 1)))].sort((a, b) => a - b)
        let start = 0
        try {
          for (const end of [...points, bytes.byteLength]) {
            decoder.push(bytes.subarray(start, end))
            start = end
            let body: Uint8Array | undefined
            while ((body = decoder.next()) != null) {
              expect(body.byteLength).to.be.lessThan(MAX_MESSAGE_LENGTH)
            }
          }
        } catch (err: any) {
          expect(err.name).to.equal('InvalidMessageError')
        }
        // never holds more than it was given
        expect(decoder.bufferedLength).to.be.at.most(bytes.byteLength)
      }), { numRuns: 500 })
    })

    it('property: encode then decode gives the messages back, however the bytes are split', () => {
      const message = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      fc.assert(fc.property(fc.array(message, { minLength: 1, maxLength: 6 }), fc.nat(), (messages, seed) => {
        const bytes = encodeMessages(...messages)
        const cut = seed % (bytes.byteLength + 1)
        const decoder = new MessageDecoder()
        const out: string[] = []
        for (const part of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
          decoder.push(part)
          let body: Uint8Array | undefined
          while ((body = decoder.next()) != null) {
            out.push(decodeText(body))
          }
        }
        expect(out).to.deep.equal(messages)
        expect(decoder.bufferedLength).to.equal(0)
      }), { numRuns: 300 })
    })
  })

  describe('decodeText', () => {
    it('decodes UTF-8', () => {
      expect(decodeText(new TextEncoder().encode('/é/1'))).to.equal('/é/1')
    })

    it('refuses bytes that are not UTF-8', () => {
      for (const bad of ['ff', 'c3', 'eda080', 'c0af']) {
        expect(thrown(() => decodeText(fromHex(bad))).name).to.equal('InvalidMessageError', bad)
      }
    })

    it('keeps a byte order mark', () => {
      expect(decodeText(fromHex('efbbbf2f61'))).to.equal('\ufeff/a')
    })
  })

  describe('ls response', () => {
    it('encodes the README format: entries, then a newline, in one message', () => {
      const { bytes, listed } = encodeLsResponse(['/a', '/bc'])
      // outer length 10 = (1+2+1) + (1+3+1) + 1 for the closing newline
      expect(hex(bytes)).to.equal('0a' + '032f610a' + '042f62630a' + '0a')
      expect(listed).to.equal(2)
    })

    it('round trips through the decoder and decodeLsResponse', () => {
      const protocols = ['/ipfs/kad/1.0.0', '/ipfs/bitswap/1.2.0', '/é']
      const decoder = new MessageDecoder()
      decoder.push(encodeLsResponse(protocols).bytes)
      const body = decoder.next(16383)
      expect(body).to.not.equal(undefined)
      expect(decodeLsResponse(body ?? new Uint8Array())).to.deep.equal(protocols)
    })

    it('encodes and decodes an empty list', () => {
      const { bytes } = encodeLsResponse([])
      expect(hex(bytes)).to.equal('010a')
      expect(decodeLsResponse(new Uint8Array())).to.deep.equal([])
    })

    it('leaves out protocols that do not fit the size limit', () => {
      const { bytes, listed } = encodeLsResponse(['/aaaa', '/bbbb', '/cccc'], 15)
      expect(listed).to.equal(2)
      expect(bytes.byteLength).to.equal(1 + 7 + 7 + 1)
    })

    it('lists at most MAX_LS_PROTOCOLS protocols', () => {
      const many = Array.from({ length: MAX_LS_PROTOCOLS + 5 }, (_, i) => `/p/${i}`)
      expect(encodeLsResponse(many).listed).to.equal(MAX_LS_PROTOCOLS)
    })

    it('refuses malformed bodies with InvalidMessageError', () => {
      const cases: Record<string, string> = {
        'truncated entry': '052f61',
        'entry without newline': '032f6161',
        'empty entry': '00',
        'newline inside an entry': '042f0a610a',
        'cut length prefix': '81',
        'non-minimal prefix': '8300',
        'not UTF-8': '02ff0a'
      }
      for (const [name, body] of Object.entries(cases)) {
        expect(thrown(() => decodeLsResponse(fromHex(body))).name).to.equal('InvalidMessageError', name)
      }
    })

    it('refuses more than MAX_LS_PROTOCOLS entries', () => {
      const body = new Uint8Array(3 * (MAX_LS_PROTOCOLS + 1))
      for (let i = 0; i < MAX_LS_PROTOCOLS + 1; i++) {
        body.set([2, 0x2f, 0x0a], i * 3)
      }
      expect(thrown(() => decodeLsResponse(body)).message).to.match(/more than 1000/)
    })

    it('property: random bodies yield protocol lists or InvalidMessageError only', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (body) => {
        try {
          const list = decodeLsResponse(body)
          expect(list).to.be.an('array')
        } catch (err: any) {
          expect(err.name).to.equal('InvalidMessageError')
        }
      }), { numRuns: 500 })
    })

    it('property: encode then decode gives the list back', () => {
      const protocol = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter(p => !p.includes('\n'))
      fc.assert(fc.property(fc.array(protocol, { maxLength: 10 }), (protocols) => {
        const decoder = new MessageDecoder()
        decoder.push(encodeLsResponse(protocols).bytes)
        expect(decodeLsResponse(decoder.next(16383) ?? new Uint8Array(1))).to.deep.equal(protocols)
      }), { numRuns: 200 })
    })
  })

  describe('assertProtocol', () => {
    it('accepts ordinary protocol ids', () => {
      assertProtocol('/ipfs/ping/1.0.0')
      assertProtocol('/' + 'x'.repeat(MAX_MESSAGE_LENGTH - 2))
    })

    it('refuses ids that cannot be negotiated with InvalidParametersError', () => {
      for (const bad of ['', 'a\nb', '/multistream/1.0.0', 'na', 'ls', '/' + 'x'.repeat(MAX_MESSAGE_LENGTH - 1), 42]) {
        expect(thrown(() => { assertProtocol(bad) }).name).to.equal('InvalidParametersError', String(bad))
      }
    })

    it('toProtocolList takes one id or a list and bounds its length', () => {
      expect(toProtocolList('/a', 2)).to.deep.equal(['/a'])
      expect(toProtocolList(['/a', '/b'], 2)).to.deep.equal(['/a', '/b'])
      expect(thrown(() => toProtocolList([], 2)).name).to.equal('InvalidParametersError')
      expect(thrown(() => toProtocolList(['/a', '/b', '/c'], 2)).name).to.equal('InvalidParametersError')
    })

    it('toProtocolList copies the list', () => {
      const list = ['/a']
      expect(toProtocolList(list, 2)).to.not.equal(list)
    })
  })

  it('uint8arraylist input is accepted by the decoder', () => {
    const decoder = new MessageDecoder()
    decoder.push(new Uint8ArrayList(encodeMessages('/a').subarray(0, 2), encodeMessages('/a').subarray(2)))
    expect(text(decoder.next())).to.equal('/a')
  })
})
