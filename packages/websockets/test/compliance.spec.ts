/**
 * The official js-libp2p transport compliance suite, unchanged, against our
 * WebSockets transport (plain /ws on 127.0.0.1): it builds official libp2p
 * nodes from these fixtures with our transport factory. Runs with the
 * Promise.withResolvers polyfill (official code needs Node 22).
 */
import tests from '@libp2p/interface-compliance-tests/transport'
import { WebSockets } from '@multiformats/multiaddr-matcher'
import { webSockets } from '../src/index.js'

describe('websockets transport interface compliance tests', () => {
  tests({
    async setup () {
      const dialer = {
        transports: [
          // the suite's "one big write" echoes 10 MiB through the official
          // mock muxer, which sends it as one WebSocket message; our default
          // maxPayload (4 MiB) is sized for real muxers (yamux/noise frames
          // are 64 KiB or less), so the fixture allows 16 MiB
          webSockets({ maxPayload: 16 * 1024 * 1024 })
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
              '/ip4/127.0.0.1/tcp/0/ws',
              '/ip4/127.0.0.1/tcp/0/ws'
            ]
          },
          ...dialer
        },
        dialMultiaddrMatcher: WebSockets,
        listenMultiaddrMatcher: WebSockets
      }
    },
    async teardown () {}
  })
})
