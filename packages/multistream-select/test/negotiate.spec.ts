import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { encodeMessages } from '../src/codec.js'
import { ListenerNegotiation } from '../src/listener.js'
import { negotiate, negotiationSignal, runNegotiation, write } from '../src/negotiate.js'
import { concat, dec, enc, readBytes, rejection } from './helpers.js'
import type { Negotiation } from '../src/negotiation.js'

const HEADER = '/multistream/1.0.0'

/** Resolves with the reason `signal` fires with. */
async function reasonOf (signal: AbortSignal): Promise<any> {
  return new Promise(resolve => {
    signal.addEventListener('abort', () => { resolve(signal.reason) }, { once: true })
  })
}

describe('negotiate', () => {
  describe('negotiationSignal', () => {
    it('fires with TimeoutError when the time limit runs out', async () => {
      const signal = negotiationSignal({ timeout: 10 }, 'test negotiation')
      const reason = await reasonOf(signal)
      expect(reason.name).to.equal('TimeoutError')
      expect(reason.message).to.include('test negotiation').and.include('10 ms')
      signal.clear()
    })

    it('fires with the caller reason when the caller aborts', async () => {
      const controller = new AbortController()
      const signal = negotiationSignal({ signal: controller.signal })
      const reason = new Error('mine')
      controller.abort(reason)
      expect(signal.aborted).to.equal(true)
      expect(signal.reason).to.equal(reason)
      signal.clear()
    })

    it('is aborted at once when the caller signal already is', () => {
      const signal = negotiationSignal({ signal: AbortSignal.abort() })
      expect(signal.aborted).to.equal(true)
      signal.clear()
    })

    it('stops the timer on clear()', async () => {
      const signal = negotiationSignal({ timeout: 10 })
      signal.clear()
      await new Promise(resolve => setTimeout(resolve, 30))
      expect(signal.aborted).to.equal(false)
    })

    it('has no time limit with timeout 0', async () => {
      const signal = negotiationSignal({ timeout: 0 })
      await new Promise(resolve => setTimeout(resolve, 20))
      expect(signal.aborted).to.equal(false)
      signal.clear()
    })
  })

  describe('write', () => {
    it('waits for drain when send() returns false', async () => {
      const [outbound, inbound] = streamPair({ maxInFlightBytes: 1 })
      let written = false
      const writing = write(outbound, enc('abc'), AbortSignal.timeout(1000)).then(() => { written = true })
      await Promise.resolve()
      expect(written).to.equal(false)
      expect(dec(await readBytes(inbound, 3))).to.equal('abc')
      await writing
    })

    it('stops waiting when the signal fires', async () => {
      // the inbound end paused: the link stays full
      const [outbound, inbound] = streamPair({ maxInFlightBytes: 1 })
      inbound.pause()
      outbound.send(enc('fill'))
      await rejection(write(outbound, enc('more'), AbortSignal.timeout(20)), 'TimeoutError')
    })
  })

  describe('runNegotiation', () => {
    it('returns the bytes behind the last message in order', async () => {
      const [outbound, inbound] = streamPair()
      const running = runNegotiation(inbound, new ListenerNegotiation(['/a']), AbortSignal.timeout(1000))
      outbound.send(concat(encodeMessages(HEADER, '/a'), enc('12')))
      const { value, rest } = await running
      expect(value).to.equal('/a')
      expect(dec(rest)).to.equal('12')
      // runNegotiation leaves the bytes to its caller
      expect(inbound.readBufferLength).to.equal(0)
    })

    it('sends what the machine starts with', async () => {
      const [outbound, inbound] = streamPair()
      const machine: Negotiation<string> = {
        start: () => encodeMessages('/hello'),
        nextMessageLimit: 1024,
        onMessage: (body) => ({ done: true, result: dec(body) })
      }
      const running = runNegotiation(outbound, machine, AbortSignal.timeout(1000))
      expect(dec(await readBytes(inbound, 8))).to.equal('\u0007/hello\n')
      inbound.send(encodeMessages('/reply'))
      expect((await running).value).to.equal('/reply')
    })

    it('releases the stream after a failure', async () => {
      const [outbound, inbound] = streamPair()
      const running = negotiate(inbound, new ListenerNegotiation(['/a']), AbortSignal.timeout(1000))
      outbound.send(encodeMessages('/multistream/2.0.0'))
      await rejection(running, 'ProtocolError')
      // no listener of the negotiation is left behind: data goes to a new reader
      outbound.send(enc('after'))
      expect(dec(await readBytes(inbound, 5))).to.equal('after')
    })
  })
})
