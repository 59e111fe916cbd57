import { expect } from 'chai'
import { encodeLsResponse, encodeMessages } from '../src/codec.js'
import { ListenerNegotiation } from '../src/listener.js'
import { MAX_LISTENER_MESSAGES } from '../src/constants.js'

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

describe('ListenerNegotiation', () => {
  it('sends nothing before the dialer speaks', () => {
    expect(new ListenerNegotiation(['/a']).start()).to.equal(undefined)
  })

  it('answers the header, then echoes a supported protocol and finishes', () => {
    const listener = new ListenerNegotiation(['/a', '/b'])
    const header = listener.onMessage(enc('/multistream/1.0.0'))
    expect(header.done).to.equal(false)
    expect(hex(header.send)).to.equal(hex(encodeMessages('/multistream/1.0.0')))
    const step = listener.onMessage(enc('/b'))
    expect(step).to.deep.equal({ send: encodeMessages('/b'), done: true, result: '/b' })
  })

  it('answers na to an unknown protocol and goes on', () => {
    const listener = new ListenerNegotiation(['/a'])
    listener.onMessage(enc('/multistream/1.0.0'))
    const step = listener.onMessage(enc('/x'))
    expect(step.done).to.equal(false)
    expect(hex(step.send)).to.equal('036e610a')
    expect(listener.onMessage(enc('/a')).done).to.equal(true)
  })

  it('answers ls with the protocol list in the README format', () => {
    const listener = new ListenerNegotiation(['/a', '/b'])
    listener.onMessage(enc('/multistream/1.0.0'))
    const step = listener.onMessage(enc('ls'))
    expect(step.done).to.equal(false)
    expect(hex(step.send)).to.equal(hex(encodeLsResponse(['/a', '/b']).bytes))
  })

  it('answers a repeated header with the header', () => {
    const listener = new ListenerNegotiation(['/a'])
    listener.onMessage(enc('/multistream/1.0.0'))
    expect(hex(listener.onMessage(enc('/multistream/1.0.0')).send)).to.equal(hex(encodeMessages('/multistream/1.0.0')))
  })

  it('refuses a first message other than the header with ProtocolError', () => {
    for (const first of ['/multistream/2.0.0', '/a', 'ls', 'na', '']) {
      const err = thrown(() => new ListenerNegotiation(['/a']).onMessage(enc(first)))
      expect(err.name).to.equal('ProtocolError', first)
    }
  })

  it('refuses a first message that is not UTF-8 with InvalidMessageError', () => {
    expect(thrown(() => new ListenerNegotiation(['/a']).onMessage(Uint8Array.of(0xc3))).name).to.equal('InvalidMessageError')
  })

  it('refuses a proposal that is not UTF-8 with InvalidMessageError', () => {
    const listener = new ListenerNegotiation(['/a'])
    listener.onMessage(enc('/multistream/1.0.0'))
    expect(thrown(() => listener.onMessage(Uint8Array.of(0x2f, 0xff))).name).to.equal('InvalidMessageError')
  })

  it('gives up after MAX_LISTENER_MESSAGES messages with ProtocolError', () => {
    const listener = new ListenerNegotiation(['/a'])
    listener.onMessage(enc('/multistream/1.0.0'))
    for (let i = 1; i < MAX_LISTENER_MESSAGES; i++) {
      expect(listener.onMessage(enc(`/x/${i}`)).done).to.equal(false)
    }
    const err = thrown(() => listener.onMessage(enc('/a')))
    expect(err.name).to.equal('ProtocolError')
    expect(err.message).to.include(String(MAX_LISTENER_MESSAGES))
  })

  it('takes a custom message limit', () => {
    const listener = new ListenerNegotiation(['/a'], { maxMessages: 2 })
    listener.onMessage(enc('/multistream/1.0.0'))
    listener.onMessage(enc('/x'))
    expect(thrown(() => listener.onMessage(enc('/a'))).name).to.equal('ProtocolError')
  })
})
