/**
 * Property tests of the plaintext exchange on peer bytes: the Exchange
 * protobuf (peer id and key must agree) and the responder fed arbitrary
 * bytes. Run longer with `npm run fuzz -- --target plaintext`.
 */
import { generateKeyPair, generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { plaintext } from '../src/index.js'
import { decodeExchange, encodeExchange } from '../src/plaintext.js'
import type { PrivateKey } from '@ts-libp2p/interface'

describe('fuzz: plaintext', function () {
  this.timeout(Math.max(5_000, RUNS * 60))
  let key: PrivateKey
  let seeds: Uint8Array[]

  before(async () => {
    key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(7))
    seeds = [encodeExchange(key), encodeExchange(await generateKeyPair('secp256k1'))]
  })

  it('decodeExchange returns the peer its key proves, or throws InvalidCryptoExchangeError', () => {
    fc.assert(fc.property(fc.constant(null).chain(() => peerBytes(seeds, 200)), (bytes) => {
      try {
        const peer = decodeExchange(bytes)
        expect(peer.publicKey).to.not.equal(undefined)
      } catch (err) { expectTyped(err, ['InvalidCryptoExchangeError']) }
    }), params())
    expect(decodeExchange(encodeExchange(key)).equals(peerIdFromPrivateKey(key))).to.equal(true)
  })

  it('the responder fed arbitrary bytes fails with a typed error within the deadline', async () => {
    await fc.assert(fc.asyncProperty(fc.constant(null).chain(() => peerBytes(seeds.map(s => Uint8Array.from([s.length, ...s])), 200)), async (bytes) => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const started = Date.now()
      const result = plaintext()({ privateKey: key, logger: defaultLogger() } as any).secureInbound(inbound, { signal: AbortSignal.timeout(1_000) }).then(() => undefined, (err: any) => err)
      outbound.send(bytes)
      await outbound.close({ signal: AbortSignal.timeout(200) }).catch(() => { outbound.abort(new Error('raw peer gives up')) })
      const error = await result
      inbound.abort(new Error('done'))
      // a well-formed exchange from the corpus may succeed; anything else fails typed
      if (error != null && error.message !== 'raw peer gives up') expectTyped(error, ['InvalidCryptoExchangeError', 'UnexpectedEOFError', 'InvalidDataLengthError', 'InvalidDataLengthLengthError', 'TimeoutError', 'StreamStateError', 'UnexpectedPeerError'])
      expect(Date.now() - started).to.be.below(1_500)
    }), params(Math.ceil(RUNS / 3)))
  })
})
