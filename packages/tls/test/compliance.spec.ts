/**
 * The official js-libp2p connection-encryption compliance suite, unchanged,
 * against our TLS encrypter. The suite hands us official keys and official
 * raw connection pairs. Runs with the Promise.withResolvers polyfill
 * (official code needs Node 22); see scripts/polyfill-with-resolvers.mjs.
 */
import tests from '@libp2p/interface-compliance-tests/connection-encryption'
import { defaultLogger } from '@ts-libp2p/utils'
import { tls } from '../src/index.js'

describe('tls connection-encryption compliance', () => {
  tests({
    async setup (opts) {
      return tls()({ privateKey: opts!.privateKey as any, logger: defaultLogger() }) as any
    },
    async teardown () {}
  })
})
