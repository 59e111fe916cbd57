/**
 * The official js-libp2p stream-muxer compliance suite (base, close, stream,
 * stress), unchanged, against every muxer row of our matrix table (yamux,
 * mplex), with the factories imported from the packages. Runs with the
 * Promise.withResolvers polyfill (official code needs Node 22).
 */
import tests from '@libp2p/interface-compliance-tests/stream-muxer'
import { defaultLogger } from '@ts-libp2p/utils'
import { rowsOf } from '../src/matrix.js'

for (const row of rowsOf('muxer')) {
  describe(`official stream-muxer suite: ${row.name}`, () => {
    tests({
      async setup () {
        return row.factory()({ logger: defaultLogger() } as any) as any
      },
      async teardown () {}
    })
  })
}
