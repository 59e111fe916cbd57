/**
 * The official js-libp2p stream-muxer compliance suite (base, close, stream,
 * stress), unchanged, against our mplex. It wires our muxers over the
 * official `multiaddrConnectionPair`. Runs with the Promise.withResolvers
 * polyfill (see scripts/polyfill-with-resolvers.mjs).
 */
import tests from '@libp2p/interface-compliance-tests/stream-muxer'
import { defaultLogger } from '@ts-libp2p/utils'
import { mplex } from '../src/index.js'

describe('mplex stream muxer compliance', () => {
  tests({
    async setup () {
      return mplex()({ logger: defaultLogger() }) as any
    },
    async teardown () {}
  })
})
