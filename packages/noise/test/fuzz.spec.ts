/**
 * Property tests of noise on peer bytes: the handshake payload (protobuf,
 * keys, signature, extensions), both sides of the XX handshake driven by an
 * arbitrary peer, and transport frames injected after a real handshake. Run
 * longer with `npm run fuzz -- --target noise`.
 */
import { generateKeyPair, generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { chunked, corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { noise } from '../src/index.js'
import { createHandshakePayload, verifyHandshakePayload } from '../src/payload.js'
import type { PrivateKey } from '@ts-libp2p/interface'

const HANDSHAKE_ERRORS = ['InvalidCryptoExchangeError', 'UnexpectedPeerError', 'DecryptionError', 'TruncatedFrameError', 'UnexpectedEOFError', 'TimeoutError', 'InvalidDataLengthError', 'ConnectionClosedError', 'StreamStateError'] as const
const STATIC_KEY = new Uint8Array(32).fill(9)

describe('fuzz: noise', function () {
  this.timeout(Math.max(10_000, RUNS * 100))
  let key: PrivateKey

  before(async () => {
    key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
  })

  it('verifyHandshakePayload accepts only a signed payload and throws typed errors for the rest', async () => {
    await fc.assert(fc.asyncProperty(peerBytes(corpus('noise-payload'), 300), async (bytes) => {
      try {
        const { remotePeer } = await verifyHandshakePayload(bytes, STATIC_KEY)
        // accepted: it must be a payload some key really signed over this static key
        expect(remotePeer.type).to.be.a('string')
      } catch (err) { expectTyped(err, ['InvalidCryptoExchangeError', 'UnexpectedPeerError']) }
    }), params())
  })

  it('handshake payloads round-trip with their extensions', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.stringMatching(/^\/[a-z0-9/.]{1,30}$/), { maxLength: 4 }), async (muxers) => {
      const bytes = await createHandshakePayload(key, STATIC_KEY, { streamMuxers: muxers })
      const { remotePeer, extensions } = await verifyHandshakePayload(bytes, STATIC_KEY, peerIdFromPrivateKey(key))
      expect(remotePeer.equals(peerIdFromPrivateKey(key))).to.equal(true)
      expect(extensions.streamMuxers).to.deep.equal(muxers)
    }), params(Math.ceil(RUNS / 3)))
  })

  for (const side of ['responder', 'initiator'] as const) {
    it(`the ${side} fed arbitrary handshake bytes fails with a typed error, within the deadline`, async () => {
      await fc.assert(fc.asyncProperty(peerBytes(corpus('noise-handshake'), 512), fc.array(fc.nat(), { maxLength: 3 }), async (bytes, cuts) => {
        const [outbound, inbound] = multiaddrConnectionPair()
        const ours = side === 'responder' ? inbound : outbound
        const raw = side === 'responder' ? outbound : inbound
        const encrypter = noise()({ privateKey: key, logger: defaultLogger() })
        const started = Date.now()
        const signal = AbortSignal.timeout(1_000)
        // settled at once: a rejection must not sit unhandled while the raw peer writes
        const result = (side === 'responder' ? encrypter.secureInbound(ours, { signal }) : encrypter.secureOutbound(ours, { signal })).then(() => undefined, (err: any) => err)
        for (const chunk of chunked(bytes, cuts)) raw.send(chunk)
        await raw.close({ signal: AbortSignal.timeout(200) }).catch(() => { raw.abort(new Error('raw peer gives up')) })
        const error = await result
        ours.abort(new Error('done'))
        expect(error, 'random bytes completed a handshake').to.not.equal(undefined)
        if (error.message !== 'raw peer gives up') expectTyped(error, HANDSHAKE_ERRORS)
        expect(Date.now() - started).to.be.below(1_500)
      }), params(Math.ceil(RUNS / 3)))
    })
  }

  it('transport frames injected after a real handshake end the connection with a typed error', async () => {
    const remoteKey = await generateKeyPair('Ed25519')
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const a = noise()({ privateKey: remoteKey, logger: defaultLogger() })
      const b = noise()({ privateKey: key, logger: defaultLogger() })
      const signal = AbortSignal.timeout(2_000)
      const [, secured] = await Promise.all([a.secureOutbound(outbound, { signal }), b.secureInbound(inbound, { signal })])
      const closed = new Promise<any>(resolve => { secured.connection.addEventListener('close', (evt) => { resolve(evt.error) }, { once: true }) })
      const messages: Uint8Array[] = []
      secured.connection.addEventListener('message', (evt) => { messages.push(evt.data.subarray()) })
      // a frame the peer's cipher did not make: bytes straight onto the raw connection
      outbound.send(bytes)
      await outbound.close({ signal: AbortSignal.timeout(200) }).catch(() => { outbound.abort(new Error('raw peer gives up')) })
      const error = await Promise.race([closed, new Promise(resolve => setTimeout(() => { resolve('hang') }, 1_000))])
      expect(error).to.not.equal('hang')
      expect(messages, 'forged bytes were delivered as plaintext').to.deep.equal([])
      if (error != null && error.message !== 'raw peer gives up') expectTyped(error, HANDSHAKE_ERRORS)
    }), params(Math.ceil(RUNS / 5)))
  })
})
