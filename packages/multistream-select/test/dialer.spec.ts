import { expect } from 'chai'
import { encodeLsResponse, encodeMessages, MessageDecoder } from '../src/codec.js'
import { LsNegotiation, SelectNegotiation } from '../src/dialer.js'
import { MAX_LS_RESPONSE_LENGTH } from '../src/constants.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex')

function thrown (fn: () => unknown): Error {
  try {
    fn()
  } catch (err: any) {
    return err
  }
  throw new Error('expected an error')
}

describe('dialer state machines', () => {
  describe('SelectNegotiation', () => {
    it('sends the header and the first protocol together', () => {
      const dialer = new SelectNegotiation(['/a', '/b'])
      expect(hex(dialer.start())).to.equal(hex(encodeMessages('/multistream/1.0.0', '/a')))
    })

    it('finishes when the listener echoes the protocol', () => {
      const dialer = new SelectNegotiation(['/a'])
      dialer.start()
      expect(dialer.onMessage(enc('/multistream/1.0.0'))).to.deep.equal({ done: false })
      expect(dialer.onMessage(enc('/a'))).to.deep.equal({ done: true, result: '/a' })
    })

    it('proposes the next protocol after na', () => {
      const dialer = new SelectNegotiation(['/a', '/b'])
      dialer.start()
      dialer.onMessage(enc('/multistream/1.0.0'))
      const step = dialer.onMessage(enc('na'))
      expect(step.done).to.equal(false)
      expect(hex(step.send)).to.equal(hex(encodeMessages('/b')))
      expect(dialer.proposed).to.equal('/b')
      expect(dialer.onMessage(enc('/b'))).to.deep.equal({ done: true, result: '/b' })
    })

    it('fails with UnsupportedProtocolError when every protocol gets na', () => {
      const dialer = new SelectNegotiation(['/a', '/b'])
      dialer.start()
      dialer.onMessage(enc('/multistream/1.0.0'))
      dialer.onMessage(enc('na'))
      const err = thrown(() => dialer.onMessage(enc('na')))
      expect(err.name).to.equal('UnsupportedProtocolError')
      expect(err.message).to.include('"/a"').and.include('"/b"')
    })

    it('refuses another multistream version in the header with ProtocolError', () => {
      const dialer = new SelectNegotiation(['/a'])
      const err = thrown(() => dialer.onMessage(enc('/multistream/2.0.0')))
      expect(err.name).to.equal('ProtocolError')
      expect(err.message).to.include('/multistream/2.0.0')
    })

    it('refuses a header that is not UTF-8 with InvalidMessageError', () => {
      const dialer = new SelectNegotiation(['/a'])
      expect(thrown(() => dialer.onMessage(Uint8Array.of(0xff, 0xfe))).name).to.equal('InvalidMessageError')
    })

    it('refuses an answer that is neither the echo nor na with ProtocolError', () => {
      const dialer = new SelectNegotiation(['/a', '/b'])
      dialer.onMessage(enc('/multistream/1.0.0'))
      expect(thrown(() => dialer.onMessage(enc('/b'))).name).to.equal('ProtocolError')
    })

    it('skips the header when it was already exchanged', () => {
      const dialer = new SelectNegotiation(['/a'], { headerExchanged: true })
      expect(hex(dialer.start())).to.equal(hex(encodeMessages('/a')))
      expect(dialer.onMessage(enc('/a'))).to.deep.equal({ done: true, result: '/a' })
    })

    it('limits messages to MAX_MESSAGE_LENGTH', () => {
      expect(new SelectNegotiation(['/a']).nextMessageLimit).to.equal(1024)
    })
  })

  describe('LsNegotiation', () => {
    it('sends the header and ls together', () => {
      expect(hex(new LsNegotiation().start())).to.equal(hex(encodeMessages('/multistream/1.0.0', 'ls')))
      expect(hex(new LsNegotiation({ headerExchanged: true }).start())).to.equal(hex(encodeMessages('ls')))
    })

    it('returns the listed protocols', () => {
      const dialer = new LsNegotiation()
      expect(dialer.nextMessageLimit).to.equal(1024)
      dialer.onMessage(enc('/multistream/1.0.0'))
      expect(dialer.nextMessageLimit).to.equal(MAX_LS_RESPONSE_LENGTH)
      const decoder = new MessageDecoder()
      decoder.push(encodeLsResponse(['/a', '/b']).bytes)
      const body = decoder.next(dialer.nextMessageLimit)
      expect(dialer.onMessage(body ?? new Uint8Array())).to.deep.equal({ done: true, result: ['/a', '/b'] })
    })

    it('fails with UnsupportedProtocolError when the listener answers na', () => {
      const dialer = new LsNegotiation()
      dialer.onMessage(enc('/multistream/1.0.0'))
      expect(thrown(() => dialer.onMessage(enc('na'))).name).to.equal('UnsupportedProtocolError')
    })

    it('refuses a malformed list with InvalidMessageError', () => {
      const dialer = new LsNegotiation()
      dialer.onMessage(enc('/multistream/1.0.0'))
      expect(thrown(() => dialer.onMessage(enc('/a'))).name).to.equal('InvalidMessageError')
    })

    it('refuses a wrong header with ProtocolError', () => {
      expect(thrown(() => new LsNegotiation().onMessage(enc('garbage'))).name).to.equal('ProtocolError')
    })
  })
})
