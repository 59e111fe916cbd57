/**
 * The official js-libp2p transport compliance suite, unchanged, against our
 * memory transport: it builds official libp2p nodes (plaintext encryption,
 * the mock muxer, the echo service) from these fixtures with our transport
 * factory. Runs with the Promise.withResolvers polyfill (official code needs
 * Node 22); see scripts/polyfill-with-resolvers.mjs.
 */
import tests from '@libp2p/interface-compliance-tests/transport'
import { memory } from '../src/index.js'
import { isDialAddress } from '../src/address.js'
import { CODE_MEMORY } from '../src/constants.js'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { MultiaddrMatcher } from '@multiformats/multiaddr-matcher'

/** `/memory/<name>` with an optional `/p2p/<peer>`, like `@multiformats/multiaddr-matcher`'s Memory. */
const memoryMatcher: MultiaddrMatcher = {
  matchers: [],
  matches: (ma?: Multiaddr) => ma?.getComponents()[0]?.code === CODE_MEMORY,
  exactMatch: (ma?: Multiaddr) => ma != null && isDialAddress(ma)
}

let run = 0

describe('memory transport interface compliance tests', () => {
  tests({
    async setup () {
      run++
      const dialer = {
        transports: [
          memory()
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
              `/memory/compliance-${process.pid}-${run}-1`,
              `/memory/compliance-${process.pid}-${run}-2`
            ]
          },
          ...dialer
        },
        dialMultiaddrMatcher: memoryMatcher,
        listenMultiaddrMatcher: memoryMatcher
      }
    },
    async teardown () {}
  })
})
