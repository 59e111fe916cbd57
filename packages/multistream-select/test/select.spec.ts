import { messageStreamPair, streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { encodeLsResponse, encodeMessages } from '../src/codec.js'
import { handle, ls, select } from '../src/index.js'
import { concat, dec, enc, fromHex, hex, readBytes, recordChunks, rejection, settle, until } from './helpers.js'

const HEADER = '/multistream/1.0.0'
/** Options for a fully negotiated select, with a deadline that starts when the test calls it. */
const full = (): { negotiateFully: true, signal: AbortSignal } => ({ negotiateFully: true, signal: AbortSignal.timeout(2000) })
const signal = (): AbortSignal => AbortSignal.timeout(2000)

describe('select', () => {
  describe('against our listener', () => {
    it('agrees on the only protocol with negotiateFully', async () => {
      const [outbound, inbound] = streamPair()
      const [ours, theirs] = await Promise.all([
        select(outbound, '/echo/1.0.0', { negotiateFully: true, signal: signal() }),
        handle(inbound, ['/echo/1.0.0'], { signal: signal() })
      ])
      expect(ours.protocol).to.equal('/echo/1.0.0')
      expect(ours.stream).to.equal(outbound)
      expect(theirs.protocol).to.equal('/echo/1.0.0')
      expect(theirs.stream).to.equal(inbound)

      outbound.send(enc('ping'))
      expect(dec(await readBytes(inbound, 4))).to.equal('ping')
      inbound.send(enc('pong'))
      expect(dec(await readBytes(outbound, 4))).to.equal('pong')
    })

    it('moves to the next protocol after na', async () => {
      const [outbound, inbound] = streamPair()
      const [ours, theirs] = await Promise.all([
        select(outbound, ['/a/2.0.0', '/a/1.5.0', '/a/1.0.0'], { signal: signal() }),
        handle(inbound, ['/b/1.0.0', '/a/1.0.0'], { signal: signal() })
      ])
      expect(ours.protocol).to.equal('/a/1.0.0')
      expect(theirs.protocol).to.equal('/a/1.0.0')
    })

    it('fails with UnsupportedProtocolError when none is supported', async () => {
      const [outbound, inbound] = streamPair()
      const listener = handle(inbound, ['/b/1.0.0'], { signal: signal() })
      listener.catch(() => {})
      const err = await rejection(select(outbound, ['/a/2.0.0', '/a/1.0.0'], { signal: signal() }), 'UnsupportedProtocolError')
      expect(err.message).to.include('/a/2.0.0').and.include('/a/1.0.0')
      // the caller aborts; the listener sees the reset
      outbound.abort(err)
      expect((await rejection(listener)).name).to.equal('StreamResetError')
    })

    it('works over a plain MessageStream pair', async () => {
      const [outbound, inbound] = messageStreamPair()
      const [ours, theirs] = await Promise.all([
        select(outbound, ['/x', '/y'], { signal: signal() }),
        handle(inbound, ['/y'], { signal: signal() })
      ])
      expect(ours.protocol).to.equal('/y')
      expect(theirs.protocol).to.equal('/y')
    })

    it('lists the listener protocols with ls, then selects on the same stream', async () => {
      const [outbound, inbound] = streamPair()
      const listener = handle(inbound, ['/a/1.0.0', '/b/1.0.0'], { signal: signal() })
      expect(await ls(outbound, { signal: signal() })).to.deep.equal(['/a/1.0.0', '/b/1.0.0'])
      const { protocol } = await select(outbound, ['/c/1.0.0', '/b/1.0.0'], { headerExchanged: true, signal: signal() })
      expect(protocol).to.equal('/b/1.0.0')
      expect((await listener).protocol).to.equal('/b/1.0.0')
    })

    it('waits for drain when the stream asks for it', async () => {
      // a link that is full after every write makes send() return false
      const [outbound, inbound] = streamPair({ maxInFlightBytes: 1 })
      const [ours] = await Promise.all([
        select(outbound, ['/a', '/b'], { signal: signal() }),
        handle(inbound, ['/b'], { signal: signal() })
      ])
      expect(ours.protocol).to.equal('/b')
    })
  })

  describe('on the wire', () => {
    it('sends the header and the first protocol in one write', async () => {
      const [outbound, inbound] = streamPair()
      const chunks = recordChunks(inbound)
      const pending = select(outbound, ['/a', '/b'], { signal: signal() })
      await until(() => chunks.length > 0)
      expect(chunks.map(hex)).to.deep.equal([hex(encodeMessages(HEADER, '/a'))])
      inbound.send(encodeMessages(HEADER, '/a'))
      expect((await pending).protocol).to.equal('/a')
    })

    it('keeps data that arrives in the same chunk as the answer, without copying it', async () => {
      const [outbound, inbound] = streamPair()
      const pending = select(outbound, ['/a', '/b'], { signal: signal() })
      const data = enc('application bytes')
      const answer = concat(encodeMessages(HEADER, '/a'), data)
      inbound.send(answer)
      expect((await pending).protocol).to.equal('/a')
      const [first] = await Promise.all([readBytes(outbound, data.byteLength)])
      expect(dec(first)).to.equal('application bytes')
      // the bytes handed to the application are a view of the received chunk
      expect([...first][0].buffer).to.equal(answer.buffer)
    })

    it('handles the answer split at every position', async () => {
      const answer = concat(encodeMessages(HEADER, 'na', '/b'), enc('data'))
      for (let cut = 0; cut <= answer.byteLength; cut++) {
        const [outbound, inbound] = streamPair()
        const pending = select(outbound, ['/a', '/b'], { signal: signal() })
        inbound.send(answer.subarray(0, cut))
        await settle()
        inbound.send(answer.subarray(cut))
        expect((await pending).protocol).to.equal('/b', `cut at ${cut}`)
        expect(dec(await readBytes(outbound, 4))).to.equal('data', `cut at ${cut}`)
      }
    })

    it('handles the answer arriving byte by byte', async () => {
      const [outbound, inbound] = streamPair()
      const pending = select(outbound, ['/a', '/b'], { signal: signal() })
      for (const byte of encodeMessages(HEADER, 'na', '/b')) {
        inbound.send(Uint8Array.of(byte))
        await Promise.resolve()
      }
      expect((await pending).protocol).to.equal('/b')
    })

    it('proposes the next protocol alone after na', async () => {
      const [outbound, inbound] = streamPair()
      const chunks = recordChunks(inbound)
      const pending = select(outbound, ['/a', '/b'], { signal: signal() })
      await until(() => chunks.length === 1)
      inbound.send(encodeMessages(HEADER, 'na'))
      await until(() => chunks.length === 2)
      expect(hex(chunks[1])).to.equal(hex(encodeMessages('/b')))
      inbound.send(encodeMessages('/b'))
      expect((await pending).protocol).to.equal('/b')
    })
  })

  describe('malformed answers', () => {
    const cases: Array<[string, Uint8Array, string]> = [
      ['another multistream version', encodeMessages('/multistream/2.0.0', '/a'), 'ProtocolError'],
      ['a complete message that is not the header', encodeMessages('garbage'), 'ProtocolError'],
      ['a header that is not UTF-8', fromHex('03fffe0a'), 'InvalidMessageError'],
      ['a message over the size limit', fromHex('8108'), 'InvalidMessageError'],
      ['a length prefix over two bytes', fromHex('ffffff7f'), 'InvalidMessageError'],
      ['a non-minimal length prefix', fromHex('9300'), 'InvalidMessageError'],
      ['an empty message', fromHex('00'), 'InvalidMessageError'],
      ['a missing trailing newline', concat(fromHex('13'), enc('/multistream/1.0.0x')), 'InvalidMessageError'],
      ['an answer that is neither the echo nor na', encodeMessages(HEADER, '/c'), 'ProtocolError'],
      ['an answer that is not UTF-8', concat(encodeMessages(HEADER), fromHex('03c3280a')), 'InvalidMessageError']
    ]

    for (const [name, bytes, error] of cases) {
      it(`fails with ${error} on ${name}`, async () => {
        const [outbound, inbound] = streamPair()
        const pending = select(outbound, ['/a', '/b'], { signal: AbortSignal.timeout(1000) })
        inbound.send(bytes)
        await rejection(pending, error)
      })
    }

    it('property: random answers followed by the end of the stream settle with a typed error, never a hang', async () => {
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 48 }), async (bytes) => {
        const [outbound, inbound] = streamPair()
        const pending = select(outbound, ['/a', '/b'], { signal: AbortSignal.timeout(1000) })
        inbound.send(bytes)
        await inbound.close()
        try {
          await pending
        } catch (err: any) {
          expect(['ProtocolError', 'InvalidMessageError', 'UnsupportedProtocolError']).to.include(err.name, err.message)
        }
      }), { numRuns: 100 })
    })

    it('fails with ProtocolError when the listener closes before answering', async () => {
      const [outbound, inbound] = streamPair()
      const pending = select(outbound, ['/a', '/b'], full())
      inbound.send(encodeMessages(HEADER))
      await inbound.close()
      const err = await rejection(pending, 'ProtocolError')
      expect(err.message).to.match(/ended before/)
    })

    it('fails with ProtocolError when the listener closes inside a message', async () => {
      const [outbound, inbound] = streamPair()
      const pending = select(outbound, ['/a', '/b'], full())
      inbound.send(encodeMessages(HEADER).subarray(0, 5))
      await inbound.close()
      const err = await rejection(pending, 'ProtocolError')
      expect(err.message).to.match(/middle/)
    })

    it('fails with the reset when the listener resets', async () => {
      const [outbound, inbound] = streamPair()
      const pending = select(outbound, ['/a', '/b'], full())
      await settle()
      inbound.abort(new Error('go away'))
      await rejection(pending, 'StreamResetError')
    })
  })

  describe('time limits', () => {
    it('fails with TimeoutError when the listener stays silent', async () => {
      const [outbound] = streamPair()
      const started = Date.now()
      await rejection(select(outbound, ['/a', '/b'], { timeout: 50 }), 'TimeoutError')
      expect(Date.now() - started).to.be.lessThan(1000)
    })

    it('fails with TimeoutError when the caller signal times out', async () => {
      const [outbound] = streamPair()
      await rejection(select(outbound, ['/a', '/b'], { signal: AbortSignal.timeout(20) }), 'TimeoutError')
    })

    it('fails with AbortError when the caller aborts', async () => {
      const [outbound] = streamPair()
      const controller = new AbortController()
      const pending = select(outbound, ['/a', '/b'], { signal: controller.signal })
      controller.abort()
      await rejection(pending, 'AbortError')
    })

    it('keeps an Error the caller aborted with', async () => {
      const [outbound] = streamPair()
      const controller = new AbortController()
      const pending = select(outbound, ['/a', '/b'], { signal: controller.signal })
      const reason = new Error('shutting down')
      controller.abort(reason)
      expect(await rejection(pending)).to.equal(reason)
    })
  })

  describe('ls', () => {
    it('reads a list written in the README format', async () => {
      const [outbound, inbound] = streamPair()
      const pending = ls(outbound, { signal: signal() })
      inbound.send(concat(encodeMessages(HEADER), encodeLsResponse(['/x', '/y/1']).bytes))
      expect(await pending).to.deep.equal(['/x', '/y/1'])
    })

    it('fails with UnsupportedProtocolError when the listener answers na, and select can go on', async () => {
      const [outbound, inbound] = streamPair()
      const chunks = recordChunks(inbound)
      const pending = ls(outbound, { signal: signal() })
      inbound.send(encodeMessages(HEADER, 'na'))
      await rejection(pending, 'UnsupportedProtocolError')
      expect(hex(chunks[0])).to.equal(hex(encodeMessages(HEADER, 'ls')))
      const selecting = select(outbound, '/a', { headerExchanged: true, negotiateFully: true, signal: signal() })
      await until(() => chunks.length === 2)
      expect(hex(chunks[1])).to.equal(hex(encodeMessages('/a')))
      inbound.send(encodeMessages('/a'))
      expect((await selecting).protocol).to.equal('/a')
    })

    it('accepts a list longer than the 1024-byte message limit', async () => {
      const [outbound, inbound] = streamPair()
      const protocols = Array.from({ length: 100 }, (_, i) => `/protocol/number/${i}/1.0.0`)
      const pending = ls(outbound, { signal: signal() })
      const { bytes } = encodeLsResponse(protocols)
      expect(bytes.byteLength).to.be.greaterThan(1024)
      inbound.send(concat(encodeMessages(HEADER), bytes))
      expect(await pending).to.deep.equal(protocols)
    })

    it('fails with InvalidMessageError on a list over MAX_LS_RESPONSE_LENGTH', async () => {
      const [outbound, inbound] = streamPair()
      const pending = ls(outbound, { signal: signal() })
      inbound.send(concat(encodeMessages(HEADER), fromHex('808001')))
      await rejection(pending, 'InvalidMessageError')
    })
  })

  describe('parameters', () => {
    it('refuses protocol lists that cannot be negotiated with InvalidParametersError', async () => {
      const [outbound] = streamPair()
      for (const bad of [[], '', ['/a', 'na'], ['/a\n'], Array.from({ length: 63 }, (_, i) => `/p/${i}`)]) {
        await rejection(select(outbound, bad as any), 'InvalidParametersError')
      }
    })

    it('rejects at once when the signal already fired', async () => {
      const [outbound] = streamPair()
      await rejection(select(outbound, '/a', { signal: AbortSignal.abort() }), 'AbortError')
      await rejection(select(outbound, ['/a', '/b'], { signal: AbortSignal.abort() }), 'AbortError')
    })
  })
})
