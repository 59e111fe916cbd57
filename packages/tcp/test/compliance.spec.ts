/**
 * The official js-libp2p transport compliance suite, unchanged, against our
 * TCP transport: it builds official libp2p nodes (plaintext, the mock muxer,
 * echo) from these fixtures with our transport factory. Runs with the
 * Promise.withResolvers polyfill (official code needs Node 22); see
 * scripts/polyfill-with-resolvers.mjs.
 */
import tests from '@libp2p/interface-compliance-tests/transport'
import { TCP } from '@multiformats/multiaddr-matcher'
import { tcp } from '../src/index.js'

describe('tcp transport interface compliance tests', () => {
  tests({
    async setup () {
      const dialer = {
        transports: [
          tcp()
        ],
        connectionMonitor: {
          enabled: false
        }
      }

      return {
        dialer,
        listener: {
          addresses: {
            listen: [
              '/ip4/127.0.0.1/tcp/0',
              '/ip4/127.0.0.1/tcp/0'
            ]
          },
          ...dialer
        },
        dialMultiaddrMatcher: TCP,
        listenMultiaddrMatcher: TCP
      }
    },
    async teardown () {}
  })
})
