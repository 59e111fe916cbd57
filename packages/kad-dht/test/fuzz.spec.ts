/**
 * Property tests of the DHT's decoders of peer bytes: RPC messages (framed
 * and not), IPNS records (protobuf + CBOR data) and the validators records
 * pass through. Run longer with `npm run fuzz -- --target kad-dht`.
 */
import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { decodeIpnsData, decodeIpnsEntry, validateIpnsRecord } from '../src/ipns.js'
import { decodeMessage, encodeMessage, messageChannel } from '../src/message.js'
import type { DHTMessage } from '../src/message.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const peerArb = fc.record({ id: fc.uint8Array({ minLength: 1, maxLength: 40 }), addrs: fc.array(fc.uint8Array({ minLength: 1, maxLength: 30 }), { maxLength: 3 }), connection: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<any> })
const messageArb: fc.Arbitrary<DHTMessage> = fc.record({
  type: fc.constantFrom(0, 1, 2, 3, 4, 5) as fc.Arbitrary<any>,
  key: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
  record: fc.option(fc.record({ key: fc.uint8Array({ maxLength: 40 }), value: fc.uint8Array({ maxLength: 100 }), timeReceived: fc.constantFrom('', '2026-11-25T00:00:00Z') }), { nil: undefined }),
  closerPeers: fc.array(peerArb, { maxLength: 5 }),
  providerPeers: fc.array(peerArb, { maxLength: 3 })
}, { requiredKeys: ['type', 'closerPeers', 'providerPeers'] }).map(m => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as unknown as DHTMessage)

function seeds (): Uint8Array[] {
  const fromCorpus = corpus('kad-dht')
  if (fromCorpus.length > 0) return fromCorpus
  return [encodeMessage({ type: 4 as any, key: new Uint8Array(32).fill(1), closerPeers: [{ id: new Uint8Array(34).fill(2), addrs: [Uint8Array.of(4, 127, 0, 0, 1, 6, 0x0f, 0xa1)], connection: 1 as any }], providerPeers: [] })]
}

describe('fuzz: kad-dht', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('decodeMessage parses or throws InvalidDHTMessageError', () => {
    fc.assert(fc.property(peerBytes(seeds(), 1024), (bytes) => {
      try {
        const message = decodeMessage(bytes)
        expect(message.closerPeers.length + message.providerPeers.length).to.be.at.most(bytes.length)
      } catch (err) { expectTyped(err, ['InvalidDHTMessageError']) }
    }), params())
  })

  it('messages round-trip', () => {
    fc.assert(fc.property(messageArb, (message) => {
      const decoded = decodeMessage(encodeMessage(message))
      expect(decoded.type).to.equal(message.type)
      expect(decoded.key == null ? undefined : hex(decoded.key)).to.equal(message.key == null ? undefined : hex(message.key))
      expect(decoded.closerPeers.map(p => [hex(p.id), p.addrs.map(hex), p.connection])).to.deep.equal(message.closerPeers.map(p => [hex(p.id), p.addrs.map(hex), p.connection]))
      expect(decoded.record?.value == null ? undefined : hex(decoded.record.value)).to.equal(message.record?.value == null ? undefined : hex(message.record.value))
    }), params())
  })

  it('messageChannel.read over arbitrary frames ends with a message or a typed error, never hangs', async () => {
    await fc.assert(fc.asyncProperty(peerBytes([...seeds().map(s => Uint8Array.from([s.length, ...s])), ...corpus('lp')], 1024), fc.array(fc.nat(), { maxLength: 4 }), async (bytes, cuts) => {
      const [peer, ours] = streamPair()
      const channel = messageChannel(ours, 512)
      const reading = (async () => { while (true) await channel.read({ signal: AbortSignal.timeout(1_000) }) })().catch(err => err)
      for (const chunk of chunked(bytes, cuts)) peer.send(chunk)
      await peer.close().catch(() => {})
      const error = await reading
      expectTyped(error, ['InvalidDHTMessageError', 'UnexpectedEOFError', 'InvalidDataLengthError', 'InvalidDataLengthLengthError', 'InvalidMessageLengthError'])
      ours.abort(new Error('done'))
    }), params(Math.ceil(RUNS / 2)))
  })

  it('IPNS records: decoding and validation throw InvalidRecordError only', async () => {
    await fc.assert(fc.asyncProperty(peerBytes(corpus('ipns'), 600), fc.uint8Array({ minLength: 0, maxLength: 50 }), async (bytes, key) => {
      try { decodeIpnsEntry(bytes) } catch (err) { expectTyped(err, ['InvalidRecordError']) }
      try { decodeIpnsData(bytes) } catch (err) { expectTyped(err, ['InvalidRecordError']) }
      try {
        await validateIpnsRecord(Uint8Array.from([...new TextEncoder().encode('/ipns/'), ...key]), bytes)
        throw new Error('an arbitrary IPNS record validated')
      } catch (err) { expectTyped(err, ['InvalidRecordError']) }
    }), params())
  })
})
