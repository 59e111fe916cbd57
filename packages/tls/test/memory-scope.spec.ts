/**
 * The secured TLS connection charges its unread and queued plaintext to the
 * memory scope the upgrader passes (`peerMemoryScope`), in 64 KiB steps, and
 * aborts with the scope's error when it refuses.
 */
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { countingMemoryScope, multiaddrConnectionPair, waitFor } from '@ts-libp2p/test-utils'
import { BUFFER_MEMORY_STEP } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { encrypter, hostKey } from './fixtures/peers.js'
import type { MemoryScope, PeerId } from '@ts-libp2p/interface'

const scope = countingMemoryScope

describe('tls memory scope', () => {
  it('charges unread plaintext to the scope peerMemoryScope returns for the authenticated peer, returns it as it is read and on abort; past the limit the connection is aborted with ResourceLimitError', async () => {
    const alice = await hostKey()
    const bob = await hostKey()
    for (const limit of [Infinity, BUFFER_MEMORY_STEP]) {
      const memory = scope(limit)
      const asked: string[] = []
      const peerMemoryScope = (peer: PeerId): MemoryScope => {
        asked.push(peer.toString())
        return memory
      }
      const [outbound, inbound] = multiaddrConnectionPair()
      const [client, server] = await Promise.all([
        encrypter(alice).secureOutbound(outbound, { remotePeer: peerIdFromPrivateKey(bob) }),
        encrypter(bob).secureInbound(inbound, { peerMemoryScope })
      ])
      expect(asked).to.deep.equal([peerIdFromPrivateKey(alice).toString()])
      // the server does not read yet: what arrives waits in its read buffer
      client.connection.send(new Uint8Array(100_000))
      if (limit === Infinity) {
        await waitFor(() => server.connection.readBufferLength === 100_000)
        expect(memory.used).to.equal(2 * BUFFER_MEMORY_STEP)
        let read = 0
        for await (const chunk of server.connection) {
          read += chunk.byteLength
          if (read === 100_000) break
        }
        expect(memory.used).to.equal(0)
        expect(server.connection.status).to.not.equal('aborted')
      } else {
        await waitFor(() => server.connection.status === 'aborted')
        expect((server.connection as any).error?.name).to.equal('ResourceLimitError')
      }
      server.connection.abort(new Error('done'))
      client.connection.abort(new Error('done'))
      expect(memory.used).to.equal(0)
    }
  })
})
