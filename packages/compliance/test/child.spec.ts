import { expect } from 'chai'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runDirection } from '../src/cell.js'
import { runChildDialer, startChildListener } from '../src/child.js'
import { ECHO_BYTES, ECHO_PROTOCOL } from '../src/constants.js'
import { ChildProcessError } from '../src/errors.js'
import { cell } from '../src/matrix.js'
import { createMatrixNode } from '../src/node.js'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const listenerScript = join(fixtures, 'listener.js')

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('cells across two processes (a child listener or a child dialler)', function () {
  this.timeout(60_000)

  for (const [transport, encrypter, muxer] of [['tcp', 'noise', 'yamux'], ['websockets', 'tls', 'mplex'], ['tcp', 'plaintext', 'mplex']]) {
    const c = cell(transport, encrypter, muxer)
    it(`${c.name}: this process dials a child listener`, async () => {
      const child = await startChildListener(listenerScript, [transport, encrypter, muxer])
      const dialer = await createMatrixNode(c)
      try {
        expect(child.multiaddr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\//).and.to.have.string(`/p2p/${child.peerId.toString()}`)
        const result = await runDirection(c, 'parent->child', dialer, child.multiaddr, child.peerId, undefined, {
          echoBytes: ECHO_BYTES, signal: AbortSignal.timeout(30_000)
        })
        expect(result.echoBytes).to.equal(ECHO_BYTES)
        expect(result.remoteProtocols).to.include(ECHO_PROTOCOL)
      } finally {
        await dialer.stop()
        const exit = await child.stop()
        // the child stops its node on SIGTERM and exits 0 by itself
        expect(exit).to.equal(0)
        expect(alive(child.pid)).to.equal(false)
      }
    })
  }

  for (const [transport, encrypter, muxer] of [['tcp', 'noise', 'yamux'], ['websockets', 'tls', 'mplex']]) {
    const c = cell(transport, encrypter, muxer)
    it(`${c.name}: a child dialler dials this process`, async () => {
      const listener = await createMatrixNode(c)
      try {
        const result = await runChildDialer(join(fixtures, 'dialer.js'), [transport, encrypter, muxer, listener.getMultiaddrs()[0].toString()])
        expect(result.direction).to.equal('child->parent')
        expect(result.echoBytes).to.equal(ECHO_BYTES)
        expect(result.encryption).to.equal(c.encrypter.protocol)
        expect(result.multiplexer).to.equal(c.muxer.protocol)
        expect(result.remoteProtocols).to.include(ECHO_PROTOCOL)
        // the child hung up: this side sees the connection go
        const deadline = Date.now() + 10_000
        while (listener.getConnections().length > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
        expect(listener.getConnections()).to.have.length(0)
      } finally {
        await listener.stop()
      }
    })
  }

  it('reports a child dialler whose direction failed, with its error', async () => {
    const c = cell('tcp', 'noise', 'yamux')
    const listener = await createMatrixNode(c)
    try {
      // the child speaks plaintext to a noise listener: no common encrypter
      const err = await runChildDialer(join(fixtures, 'dialer.js'), ['tcp', 'plaintext', 'yamux', listener.getMultiaddrs()[0].toString()]).then(() => undefined, (e: unknown) => e)
      expect(err).to.be.instanceOf(ChildProcessError)
      expect((err as Error).message).to.match(/^child dialler failed: \w+: /)
    } finally {
      await listener.stop()
    }
  })

  it('rejects a child that exits before its readiness line', async () => {
    const err = await startChildListener(listenerScript, ['quic', 'noise', 'yamux']).then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(ChildProcessError)
    expect((err as Error).message).to.match(/exited \(1\) before its line; stderr: .*RangeError: no cell quic x noise x yamux/)
  })

  it('rejects a child that prints something else, and kills it', async () => {
    const err = await startChildListener(join(fixtures, 'not-a-listener.js'), []).then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(ChildProcessError)
    expect((err as Error).message).to.match(/instead of its JSON line/)
  })
})
