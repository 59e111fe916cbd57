/**
 * The official js-libp2p transport compliance suite, unchanged, against each
 * of our transports (memory, tcp, websockets), with the factories imported
 * from the packages. The suite builds OFFICIAL libp2p nodes (plaintext, its
 * mock muxer, echo) around our transport. Runs with the Promise.withResolvers
 * polyfill (official code needs Node 22).
 */
import tests from '@libp2p/interface-compliance-tests/transport'
import { TCP, WebSockets } from '@multiformats/multiaddr-matcher'
import { CODE_MEMORY, isDialAddress, memory } from '@ts-libp2p/memory'
import { tcp } from '@ts-libp2p/tcp'
import { webSockets } from '@ts-libp2p/websockets'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { MultiaddrMatcher } from '@multiformats/multiaddr-matcher'

/** `/memory/<name>` with an optional `/p2p/<peer>`, decided by our memory package's own address check. */
const memoryMatcher: MultiaddrMatcher = {
  matchers: [],
  matches: (ma?: Multiaddr) => ma?.getComponents()[0]?.code === CODE_MEMORY,
  exactMatch: (ma?: Multiaddr) => ma != null && isDialAddress(ma)
}

let memoryRun = 0

const transports: Array<{ name: string, factory: () => unknown, listen: () => [string, string], matcher: MultiaddrMatcher }> = [
  {
    name: 'memory',
    factory: () => memory(),
    listen: () => {
      memoryRun++
      return [`/memory/official-${process.pid}-${memoryRun}-1`, `/memory/official-${process.pid}-${memoryRun}-2`]
    },
    matcher: memoryMatcher
  },
  { name: 'tcp', factory: () => tcp(), listen: () => ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0'], matcher: TCP },
  {
    name: 'websockets',
    // a parameter, not an edit: the suite's "one big write" echoes 10 MiB as
    // ONE WebSocket message through the official mock muxer; our default
    // maxPayload (4 MiB) is sized for real muxers' frames (64 KiB or less)
    factory: () => webSockets({ maxPayload: 16 * 1024 * 1024 }),
    listen: () => ['/ip4/127.0.0.1/tcp/0/ws', '/ip4/127.0.0.1/tcp/0/ws'],
    matcher: WebSockets
  }
]

for (const transport of transports) {
  describe(`official transport suite: ${transport.name}`, () => {
    tests({
      async setup () {
        const dialer = {
          transports: [transport.factory() as any],
          connectionMonitor: { enabled: false }
        }
        return {
          dialer,
          listener: { addresses: { listen: transport.listen() }, ...dialer },
          dialMultiaddrMatcher: transport.matcher,
          listenMultiaddrMatcher: transport.matcher
        }
      },
      async teardown () {}
    })
  })
}
