import { expect } from 'chai'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runDirection } from '../src/cell.js'
import { startChildListener } from '../src/child.js'
import { ECHO_BYTES, ECHO_PROTOCOL } from '../src/constants.js'
import { ChildListenerError } from '../src/errors.js'
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

describe('cells with the listener in a separate process', function () {
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

  it('rejects a child that exits before its readiness line', async () => {
    const err = await startChildListener(listenerScript, ['quic', 'noise', 'yamux']).then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(ChildListenerError)
    expect((err as Error).message).to.match(/exited \(1\) before its readiness line; stderr: .*RangeError: no cell quic x noise x yamux/)
  })

  it('rejects a child that prints something else, and kills it', async () => {
    const err = await startChildListener(join(fixtures, 'not-a-listener.js'), []).then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(ChildListenerError)
    expect((err as Error).message).to.match(/instead of its readiness line/)
  })
})
