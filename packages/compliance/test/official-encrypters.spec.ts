/**
 * The official js-libp2p connection-encryption compliance suite, unchanged,
 * against every encrypter row of our matrix table (noise, tls, plaintext),
 * with the factories imported from the packages. Each package runs the same
 * suite in its own compliance.spec.ts; here one table drives them all, so an
 * encrypter added to MATRIX is covered too. Runs with the
 * Promise.withResolvers polyfill (official code needs Node 22).
 */
import tests from '@libp2p/interface-compliance-tests/connection-encryption'
import { defaultLogger } from '@ts-libp2p/utils'
import { rowsOf } from '../src/matrix.js'

for (const row of rowsOf('encrypter')) {
  describe(`official connection-encryption suite: ${row.name}`, () => {
    tests({
      async setup (opts) {
        // the suite hands official keys; ours are structurally the same role
        return row.factory()({ privateKey: opts!.privateKey, logger: defaultLogger() } as any) as any
      },
      async teardown () {}
    })
  })
}
