import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { decodeLsResponse, encodeMessages, MessageDecoder } from '../src/codec.js'
import { MAX_LISTENER_MESSAGES } from '../src/constants.js'
import { handle } from '../src/index.js'
import { concat, dec, enc, fromHex, hex, readBytes, recordChunks, rejection, settle, until } from './helpers.js'

const HEADER = '/multistream/1.0.0'
const signal = (): AbortSignal => AbortSignal.timeout(2000)

describe('handle', () => {
  it('answers the header and the protocol that arrived in one chunk with one write', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(outbound)
    const pending = handle(inbound, ['/a', '/b'], { signal: signal() })
    outbound.send(encodeMessages(HEADER, '/b'))
    const { protocol, stream } = await pending
    expect(protocol).to.equal('/b')
    expect(stream).to.equal(inbound)
    await until(() => chunks.length > 0)
    await settle()
    expect(chunks.map(hex)).to.deep.equal([hex(encodeMessages(HEADER, '/b'))])
  })

  it('answers the header at once when the proposal comes later', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(outbound)
    const pending = handle(inbound, ['/a'], { signal: signal() })
    outbound.send(encodeMessages(HEADER))
    await until(() => chunks.length === 1)
    expect(hex(chunks[0])).to.equal(hex(encodeMessages(HEADER)))
    outbound.send(encodeMessages('/a'))
    expect((await pending).protocol).to.equal('/a')
  })

  it('answers na to unknown protocols and goes on', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(outbound)
    const pending = handle(inbound, ['/a'], { signal: signal() })
    outbound.send(encodeMessages(HEADER, '/x', '/y', '/a'))
    expect((await pending).protocol).to.equal('/a')
    await until(() => chunks.length > 0)
    expect(hex(concat(...chunks))).to.equal(hex(encodeMessages(HEADER, 'na', 'na', '/a')))
  })

  it('with no protocols at all, answers na to every proposal (a node with no handlers yet)', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(outbound)
    const pending = handle(inbound, [], { signal: signal() })
    pending.catch(() => {})
    outbound.send(encodeMessages(HEADER, '/x', '/y'))
    await until(() => concat(...chunks).byteLength >= encodeMessages(HEADER, 'na', 'na').byteLength)
    expect(hex(concat(...chunks))).to.equal(hex(encodeMessages(HEADER, 'na', 'na')))
    outbound.abort(new Error('dialer gave up'))
    expect(await pending.then(() => undefined, (err: Error) => err)).to.be.an.instanceOf(Error)
  })

  it('answers ls with the protocol list', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(outbound)
    const pending = handle(inbound, ['/a/1.0.0', '/b/1.0.0'], { signal: signal() })
    outbound.send(encodeMessages(HEADER, 'ls'))
    await until(() => chunks.length > 0)
    const decoder = new MessageDecoder()
    decoder.push(concat(...chunks))
    expect(dec(decoder.next() ?? new Uint8Array())).to.equal(HEADER)
    expect(decodeLsResponse(decoder.next(16383) ?? new Uint8Array(1))).to.deep.equal(['/a/1.0.0', '/b/1.0.0'])
    outbound.send(encodeMessages('/a/1.0.0'))
    expect((await pending).protocol).to.equal('/a/1.0.0')
  })

  it('handles the dialer bytes arriving one at a time', async () => {
    const [outbound, inbound] = streamPair()
    const pending = handle(inbound, ['/a'], { signal: signal() })
    for (const byte of concat(encodeMessages(HEADER, '/a'), enc('xyz'))) {
      outbound.send(Uint8Array.of(byte))
      await Promise.resolve()
    }
    expect((await pending).protocol).to.equal('/a')
    expect(dec(await readBytes(inbound, 3))).to.equal('xyz')
  })

  it('handles the dialer bytes split at every position, keeping the data behind them', async () => {
    const bytes = concat(encodeMessages(HEADER, '/x', '/a'), enc('payload'))
    for (let cut = 0; cut <= bytes.byteLength; cut++) {
      const [outbound, inbound] = streamPair()
      const pending = handle(inbound, ['/a'], { signal: signal() })
      outbound.send(bytes.subarray(0, cut))
      await settle()
      outbound.send(bytes.subarray(cut))
      expect((await pending).protocol).to.equal('/a', `cut at ${cut}`)
      expect(dec(await readBytes(inbound, 7))).to.equal('payload', `cut at ${cut}`)
    }
  })

  it('keeps data that arrives in the same chunk as the proposal, without copying it', async () => {
    const [outbound, inbound] = streamPair()
    const pending = handle(inbound, ['/a'], { signal: signal() })
    const sent = concat(encodeMessages(HEADER, '/a'), enc('early data'))
    outbound.send(sent)
    expect((await pending).protocol).to.equal('/a')
    const got = await readBytes(inbound, 10)
    expect(dec(got)).to.equal('early data')
    expect([...got][0].buffer).to.equal(sent.buffer)
  })

  it('keeps data when the dialer closes its write side right after it', async () => {
    const [outbound, inbound] = streamPair()
    outbound.send(concat(encodeMessages(HEADER, '/a'), enc('last words')))
    await outbound.close()
    const { protocol } = await handle(inbound, ['/a'], { signal: signal() })
    expect(protocol).to.equal('/a')
    expect(dec(await readBytes(inbound, 10))).to.equal('last words')
  })

  it('answers a repeated header again', async () => {
    const [outbound, inbound] = streamPair()
    const chunks = recordChunks(outbound)
    const pending = handle(inbound, ['/a'], { signal: signal() })
    outbound.send(encodeMessages(HEADER, HEADER, '/a'))
    await pending
    await until(() => chunks.length > 0)
    expect(hex(concat(...chunks))).to.equal(hex(encodeMessages(HEADER, HEADER, '/a')))
  })

  describe('malformed input', () => {
    const cases: Array<[string, Uint8Array, string]> = [
      ['another multistream version', encodeMessages('/multistream/2.0.0', '/a'), 'ProtocolError'],
      ['a proposal before the header', encodeMessages('/a'), 'ProtocolError'],
      ['ls before the header', encodeMessages('ls'), 'ProtocolError'],
      ['a header that is not UTF-8', fromHex('03fffe0a'), 'InvalidMessageError'],
      ['a proposal that is not UTF-8', concat(encodeMessages(HEADER), fromHex('03c3280a')), 'InvalidMessageError'],
      ['a message over the size limit', concat(encodeMessages(HEADER), fromHex('8108')), 'InvalidMessageError'],
      ['a length prefix over two bytes', fromHex('808080'), 'InvalidMessageError'],
      ['a non-minimal length prefix', fromHex('9300'), 'InvalidMessageError'],
      ['an empty message', fromHex('00'), 'InvalidMessageError'],
      ['a missing trailing newline', concat(fromHex('13'), enc('/multistream/1.0.0x')), 'InvalidMessageError']
    ]

    for (const [name, bytes, error] of cases) {
      it(`fails with ${error} on ${name}`, async () => {
        const [outbound, inbound] = streamPair()
        const pending = handle(inbound, ['/a'], { signal: AbortSignal.timeout(1000) })
        outbound.send(bytes)
        await rejection(pending, error)
      })
    }

    it('fails with ProtocolError after too many proposals', async () => {
      const [outbound, inbound] = streamPair()
      const pending = handle(inbound, ['/a'], { signal: signal() })
      const proposals = Array.from({ length: MAX_LISTENER_MESSAGES }, (_, i) => `/x/${i}`)
      outbound.send(encodeMessages(HEADER, ...proposals))
      const err = await rejection(pending, 'ProtocolError')
      expect(err.message).to.include(`${MAX_LISTENER_MESSAGES}`)
    })

    it('takes a custom message limit', async () => {
      const [outbound, inbound] = streamPair()
      const pending = handle(inbound, ['/a'], { maxMessages: 2, signal: signal() })
      outbound.send(encodeMessages(HEADER, '/x', '/a'))
      await rejection(pending, 'ProtocolError')
    })

    it('fails with ProtocolError when the dialer closes before proposing', async () => {
      const [outbound, inbound] = streamPair()
      const pending = handle(inbound, ['/a'], { signal: signal() })
      outbound.send(encodeMessages(HEADER))
      await outbound.close()
      await rejection(pending, 'ProtocolError')
    })

    it('fails with ProtocolError on a stream that ended before handle() was called', async () => {
      const [outbound, inbound] = streamPair()
      outbound.send(encodeMessages(HEADER).subarray(0, 4))
      await outbound.close()
      await settle()
      const err = await rejection(handle(inbound, ['/a'], { signal: signal() }), 'ProtocolError')
      expect(err.message).to.match(/middle/)
    })

    it('fails with TimeoutError when the dialer stays silent', async () => {
      const [, inbound] = streamPair()
      await rejection(handle(inbound, ['/a'], { timeout: 30 }), 'TimeoutError')
    })

    it('fails with TimeoutError on a length prefix whose body never comes', async () => {
      // "GET " looks like a 71-byte message: it is bounded by the time limit
      const [outbound, inbound] = streamPair()
      const pending = handle(inbound, ['/a'], { timeout: 30 })
      outbound.send(enc('GET / HTTP/1.1\r\n'))
      await rejection(pending, 'TimeoutError')
    })
  })

  it('property: random bytes followed by the end of the stream settle with a typed error, never a hang', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 48 }), async (bytes) => {
      const [outbound, inbound] = streamPair()
      const pending = handle(inbound, ['/a'], { signal: AbortSignal.timeout(1000) })
      outbound.send(bytes)
      await outbound.close()
      try {
        await pending
      } catch (err: any) {
        expect(['ProtocolError', 'InvalidMessageError']).to.include(err.name, err.message)
      }
    }), { numRuns: 100 })
  })

  it('property: the dialer bytes cut anywhere, any number of times, give the same result', async () => {
    const bytes = concat(encodeMessages(HEADER, '/x', 'ls', '/a'), enc('payload'))
    await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.byteLength - 1 }), { maxLength: 6 }), async (cuts) => {
      const [outbound, inbound] = streamPair()
      const pending = handle(inbound, ['/a'], { signal: AbortSignal.timeout(1000) })
      let start = 0
      for (const end of [...cuts.sort((a, b) => a - b), bytes.byteLength]) {
        outbound.send(bytes.subarray(start, end))
        start = end
        await Promise.resolve()
      }
      expect((await pending).protocol).to.equal('/a')
      expect(dec(await readBytes(inbound, 7))).to.equal('payload')
    }), { numRuns: 50 })
  })

  it('refuses protocol lists that cannot be offered with InvalidParametersError', async () => {
    const [, inbound] = streamPair()
    // (an empty list is allowed: it answers na to everything, tested above)
    for (const bad of ['', ['/a', 'ls'], ['/multistream/1.0.0']]) {
      await rejection(handle(inbound, bad as any), 'InvalidParametersError')
    }
  })

  it('offers more protocols than a dialer may propose', async () => {
    const [outbound, inbound] = streamPair()
    const many = Array.from({ length: 500 }, (_, i) => `/p/${i}`)
    const pending = handle(inbound, many, { signal: signal() })
    outbound.send(encodeMessages(HEADER, '/p/499'))
    expect((await pending).protocol).to.equal('/p/499')
  })
})
