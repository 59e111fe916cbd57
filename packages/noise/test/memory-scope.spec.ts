/**
 * The encrypted connection charges what it holds to the remote peer's memory
 * scope (EncryptedConnectionInit.memoryScope, set by Noise from the
 * `peerMemoryScope` handshake option): a frame being received, unread
 * plaintext, plaintext queued behind a full raw connection.
 */
import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { countingMemoryScope, multiaddrConnectionPair, waitFor } from '@ts-libp2p/test-utils'
import { BUFFER_MEMORY_STEP, defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { CipherState } from '../src/cipher-state.js'
import { WRITE_HIGH_WATER_MARK } from '../src/constants.js'
import { nodeCrypto } from '../src/crypto-node.js'
import { EncryptedConnection } from '../src/encrypted-connection.js'
import { noise } from '../src/index.js'
import { k1, k2, log, oneSided } from './fixtures/one-sided.js'
import type { Noise } from '../src/noise.js'
import type { MemoryScope, PeerId } from '@ts-libp2p/interface'


const scope = countingMemoryScope


describe('noise memory scope', () => {
  it('charges a frame that spans raw chunks from its header on, in one 64 KiB step, and returns it when the connection closes', async () => {
    const memory = scope()
    const { conn, remote, forge } = oneSided(nodeCrypto, memory)
    const got: number[] = []
    conn.addEventListener('message', (evt) => { got.push(evt.data.byteLength) })
    const frame = forge(new Uint8Array(60_000))
    remote.send(frame.subarray(0, 1000))
    await waitFor(() => memory.used > 0)
    expect(memory.used).to.equal(BUFFER_MEMORY_STEP)
    expect(conn.reservedMemory).to.equal(BUFFER_MEMORY_STEP)
    remote.send(frame.subarray(1000))
    await waitFor(() => got.length === 1)
    expect(got).to.deep.equal([60_000])
    // more frames of the same size in pieces: no further calls into the scope
    const calls = memory.calls
    for (let i = 0; i < 10; i++) {
      const next = forge(new Uint8Array(60_000))
      remote.send(next.subarray(0, 30_000))
      remote.send(next.subarray(30_000))
    }
    await waitFor(() => got.length === 11)
    expect(memory.calls).to.equal(calls)
    expect(memory.used).to.equal(BUFFER_MEMORY_STEP)
    await Promise.all([conn.close(), remote.close()])
    expect(memory.used).to.equal(0)
  })

  it('aborts the connection with ResourceLimitError when a frame being received does not fit the scope; nothing stays reserved', async () => {
    const memory = scope(BUFFER_MEMORY_STEP / 2)
    const { conn, remote, forge } = oneSided(nodeCrypto, memory)
    const frame = forge(new Uint8Array(60_000))
    remote.send(frame.subarray(0, 100))
    await waitFor(() => conn.status === 'aborted')
    expect(conn.error?.name).to.equal('ResourceLimitError')
    expect(memory.used).to.equal(0)
  })

  it('charges unread plaintext and returns it as the reader takes it', async () => {
    const memory = scope()
    const { conn, remote, forge } = oneSided(nodeCrypto, memory)
    for (let i = 0; i < 4; i++) remote.send(forge(new Uint8Array(50_000)))
    await waitFor(() => conn.readBufferLength === 200_000)
    expect(memory.used).to.equal(4 * BUFFER_MEMORY_STEP)
    let read = 0
    for await (const chunk of conn) {
      read += chunk.byteLength
      if (read === 200_000) break
    }
    expect(memory.used).to.equal(0)
  })

  it('charges plaintext queued behind a full raw connection and returns it on drain; a writer past the scope is aborted with ResourceLimitError', async () => {
    for (const limit of [Infinity, WRITE_HIGH_WATER_MARK / 2]) {
      const memory = scope(limit)
      const [rawX, rawY] = multiaddrConnectionPair({ maxInFlightBytes: 16 * 1024 })
      const x = new EncryptedConnection({ connection: rawX, send: new CipherState(nodeCrypto, k1), receive: new CipherState(nodeCrypto, k2), log, memoryScope: memory })
      const y = new EncryptedConnection({ connection: rawY, send: new CipherState(nodeCrypto, k2), receive: new CipherState(nodeCrypto, k1), log })
      // y does not read yet: its raw side fills and pauses the link
      y.pause()
      const chunk = new Uint8Array(32 * 1024)
      // the first false comes while nothing is queued here: a writer that waits holds nothing
      let sent = 0
      while (x.send(chunk)) {
        sent += chunk.byteLength
        await new Promise(resolve => setTimeout(resolve, 1))
      }
      sent += chunk.byteLength
      expect(memory.used).to.equal(Math.ceil(x.writeBufferLength / BUFFER_MEMORY_STEP) * BUFFER_MEMORY_STEP)
      // a writer that ignores the false: its queue is charged, up to the scope
      let thrown: Error | undefined
      for (let i = 0; i < 16 && thrown == null; i++) {
        try {
          x.send(chunk)
          sent += chunk.byteLength
        } catch (err: any) {
          thrown = err
        }
      }
      if (limit === Infinity) {
        expect(thrown).to.equal(undefined)
        expect(x.writeBufferLength).to.be.greaterThan(8 * chunk.byteLength)
        expect(memory.used).to.equal(Math.ceil(x.writeBufferLength / BUFFER_MEMORY_STEP) * BUFFER_MEMORY_STEP)
        // y reads: everything arrives and the reservation is returned
        let received = 0
        y.addEventListener('message', (evt) => { received += evt.data.byteLength })
        y.resume()
        await waitFor(() => received === sent && x.writeBufferLength === 0)
        expect(memory.used).to.equal(0)
        expect(x.status).to.equal('open')
      } else {
        expect(thrown?.name).to.equal('ResourceLimitError')
        expect(x.status).to.equal('aborted')
        expect(x.error?.name).to.equal('ResourceLimitError')
        expect(memory.used).to.equal(0)
      }
      x.abort(new Error('done'))
      y.abort(new Error('done'))
    }
  })

  it('Noise charges the scope that peerMemoryScope returns for the authenticated peer; without the option nothing is charged', async () => {
    const dialerKey = await generateKeyPair('Ed25519')
    const listenerKey = await generateKeyPair('Ed25519')
    const dialer = noise()({ privateKey: dialerKey, logger: defaultLogger() }) as Noise
    const listener = noise()({ privateKey: listenerKey, logger: defaultLogger() }) as Noise
    const memory = scope()
    const asked: string[] = []
    const peerMemoryScope = (peer: PeerId): MemoryScope => {
      asked.push(peer.toString())
      return memory
    }
    const [a, b] = multiaddrConnectionPair()
    const [out, inb] = await Promise.all([
      dialer.secureOutbound(a, { remotePeer: peerIdFromPrivateKey(listenerKey) }),
      listener.secureInbound(b, { peerMemoryScope })
    ])
    expect(asked).to.deep.equal([peerIdFromPrivateKey(dialerKey).toString()])
    // unread plaintext on the listener's side is charged to that scope
    out.connection.send(new Uint8Array(100_000))
    await waitFor(() => inb.connection.readBufferLength === 100_000)
    expect(memory.used).to.equal(2 * BUFFER_MEMORY_STEP)
    // the dialer had no scope: the same on its side charges nothing
    inb.connection.send(new Uint8Array(100_000))
    await waitFor(() => out.connection.readBufferLength === 100_000)
    expect(memory.used).to.equal(2 * BUFFER_MEMORY_STEP)
    expect(out.connection.send(new Uint8Array(10))).to.equal(true)
    inb.connection.abort(new Error('done'))
    expect(memory.used).to.equal(0)
  })

  it('a well-behaved transfer of 4 MiB runs within a 256 KiB scope on both ends', async () => {
    const mx = scope(256 * 1024)
    const my = scope(256 * 1024)
    const [rawX, rawY] = multiaddrConnectionPair()
    const x = new EncryptedConnection({ connection: rawX, send: new CipherState(nodeCrypto, k1), receive: new CipherState(nodeCrypto, k2), log, memoryScope: mx })
    const y = new EncryptedConnection({ connection: rawY, send: new CipherState(nodeCrypto, k2), receive: new CipherState(nodeCrypto, k1), log, memoryScope: my })
    const total = 4 * 1024 * 1024
    let received = 0
    y.addEventListener('message', (evt) => { received += evt.data.byteLength })
    const chunk = new Uint8Array(64 * 1024)
    for (let sent = 0; sent < total; sent += chunk.byteLength) {
      if (!x.send(chunk)) await x.onDrain()
    }
    await waitFor(() => received === total, 10_000)
    expect(x.status).to.equal('open')
    expect(y.status).to.equal('open')
    await Promise.all([x.close(), y.close()])
    expect(mx.used).to.equal(0)
    expect(my.used).to.equal(0)
  })
})
