/**
 * Property tests of identify on peer bytes: the protobuf decoder, the
 * framed reader (sizes, frame counts, early ends), and the multiaddr bytes it
 * carries (listenAddrs, observedAddr) as parsed by @multiformats/multiaddr
 * through `toMultiaddr`. Run longer with `npm run fuzz -- --target identify`.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { toMultiaddr } from '../src/consume.js'
import { decodeIdentify, encodeIdentify, readIdentify } from '../src/message.js'

const bytesOf = (ma: string): Uint8Array => multiaddr(ma).bytes
const validAddr = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 65535 })).map(([ip, port]) => `/ip4/${ip}/tcp/${port}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 65535 })).map(([ip, port]) => `/ip6/${ip}/udp/${port}/quic-v1`),
  fc.domain().map(d => `/dns4/${d}/tcp/443/wss`)
)
const identifyArb = fc.record({
  protocolVersion: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  agentVersion: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  publicKey: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
  listenAddrs: fc.array(validAddr.map(bytesOf), { maxLength: 5 }),
  observedAddr: fc.option(validAddr.map(bytesOf), { nil: undefined }),
  protocols: fc.array(fc.string({ maxLength: 30 }), { maxLength: 8 }),
  signedPeerRecord: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined })
}, { requiredKeys: ['listenAddrs', 'protocols'] })

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('fuzz: identify', function () {
  this.timeout(Math.max(5_000, RUNS * 60))

  it('decodeIdentify parses or throws InvalidMessageError', () => {
    fc.assert(fc.property(peerBytes(corpus('identify'), 1024), (bytes) => {
      try {
        const message = decodeIdentify(bytes)
        expect(message.listenAddrs).to.be.an('array')
      } catch (err) { expectTyped(err, ['InvalidMessageError']) }
    }), params())
  })

  it('identify messages round-trip', () => {
    fc.assert(fc.property(identifyArb, (message) => {
      const decoded = decodeIdentify(encodeIdentify(message))
      expect(decoded.listenAddrs.map(hex)).to.deep.equal(message.listenAddrs.map(hex))
      expect(decoded.protocols).to.deep.equal(message.protocols)
      expect(decoded.agentVersion).to.equal(message.agentVersion)
      expect(decoded.observedAddr == null ? undefined : hex(decoded.observedAddr)).to.equal(message.observedAddr == null ? undefined : hex(message.observedAddr))
    }), params())
  })

  it('readIdentify over arbitrary frames returns a message or a typed error, never hangs', async () => {
    await fc.assert(fc.asyncProperty(peerBytes(corpus('lp'), 1024), fc.array(fc.nat(), { maxLength: 4 }), async (bytes, cuts) => {
      const [peer, ours] = streamPair()
      // settled at once: a rejection must not sit unhandled while the peer writes
      const reading = readIdentify(ours, { signal: AbortSignal.timeout(1_000), maxMessageSize: 512, maxMessages: 4 }).then(() => undefined, (err: any) => err)
      for (const chunk of chunked(bytes, cuts)) peer.send(chunk)
      await peer.close().catch(() => {})
      const error = await reading
      if (error != null) expectTyped(error, ['InvalidMessageError', 'MessageTooLargeError'])
      ours.abort(new Error('done'))
    }), params(Math.ceil(RUNS / 2)))
  })

  it('toMultiaddr never throws, and what it returns can be printed and split', () => {
    fc.assert(fc.property(peerBytes(corpus('multiaddr'), 300), (bytes) => {
      const ma = toMultiaddr(bytes)
      if (ma == null) return
      const text = ma.toString()
      expect(ma.getComponents().length).to.be.above(0)
      expect(text.startsWith('/')).to.equal(true)
      // what is kept is exactly what the peer sent, through bytes and through text
      expect(Buffer.from(ma.bytes).equals(Buffer.from(bytes))).to.equal(true)
      expect(Buffer.from(multiaddr(text).bytes).equals(Buffer.from(bytes))).to.equal(true)
    }), params())
  })

  // Found by the property above: @multiformats/multiaddr 13 reads `35 ffffffff0f 61` (dns4 with a
  // declared length of 4 GiB but one byte present) as `/dns4/a`, silently truncating, and
  // `9003 08 ec6d702f716f636b` (unix, invalid UTF-8) as a path whose text form re-encodes to other
  // bytes. So a malformed address from a peer is accepted and stored differently than sent.
  // Values holding '/' (`36 0b 6578612f456c652e636f6d`: dns6 "exa/Ele.com") print as extra
  // components, so the text form of a peer's address parses to another address or not at all
  // (`8906 03`: /memory/ with a control byte). So toMultiaddr refuses bytes that do not re-encode
  // to themselves through their text form.
  it('toMultiaddr refuses bytes that do not re-encode to themselves (found by fuzzing: lenient upstream parser)', () => {
    expect(toMultiaddr(Uint8Array.from([0x35, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x61]))).to.equal(undefined)
    expect(toMultiaddr(Uint8Array.from([0x90, 0x03, 0x08, 0xec, 0x6d, 0x70, 0x2f, 0x71, 0x6f, 0x63, 0x6b]))).to.equal(undefined)
    expect(toMultiaddr(Uint8Array.from([0x36, 0x0b, ...new TextEncoder().encode('exa/Ele.com')]))).to.equal(undefined)
  })

  it('valid multiaddrs round-trip through bytes', () => {
    fc.assert(fc.property(validAddr, (text) => {
      expect(toMultiaddr(bytesOf(text))?.toString()).to.equal(multiaddr(text).toString())
    }), params())
  })
})
