/**
 * The official js-libp2p connection-encryption compliance suite, unchanged,
 * against our noise encrypter. The suite hands us official keys and official raw connection
 * pairs. Runs with the Promise.withResolvers polyfill (official code needs
 * Node 22); see scripts/polyfill-with-resolvers.mjs.
 */
import tests from '@libp2p/interface-compliance-tests/connection-encryption'
import { defaultLogger } from '@ts-libp2p/utils'
import { noise } from '../src/index.js'

// the default (node:crypto) primitives; the portable ones run the same
// handshake and transport in noise.spec.ts, and a second pass of this suite
// would only add its 4 s of 10 000 tiny writes over the official pair
describe('noise connection-encryption compliance', () => {
  tests({
    async setup (opts) {
      return noise()({ privateKey: opts!.privateKey as any, logger: defaultLogger() }) as any
    },
    async teardown () {}
  })
})
