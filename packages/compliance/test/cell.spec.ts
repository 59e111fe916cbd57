import { expect } from 'chai'
import { echoCheck, runCell, runDirection } from '../src/cell.js'
import { ECHO_BYTES, ECHO_PROTOCOL } from '../src/constants.js'
import { CellCheckError } from '../src/errors.js'
import { cell, cells } from '../src/matrix.js'
import { createMatrixNode } from '../src/node.js'
import type { MatrixNode } from '../src/node.js'

describe('the cross-package matrix (two nodes, both directions)', function () {
  this.timeout(60_000)

  for (const c of cells()) {
    it(c.name, async () => {
      const result = await runCell(c)
      expect(result.cell).to.equal(c.name)
      expect(result.directions.map(d => d.direction)).to.deep.equal(['A->B', 'B->A'])
      for (const d of result.directions) {
        expect(d.echoBytes).to.equal(ECHO_BYTES)
        expect(d.sha256).to.match(/^[0-9a-f]{64}$/)
        expect(d.encryption).to.equal(c.encrypter.protocol)
        expect(d.multiplexer).to.equal(c.muxer.protocol)
        expect(d.remoteProtocols).to.include.members([ECHO_PROTOCOL, '/ipfs/ping/1.0.0', '/ipfs/id/1.0.0'])
        expect(d.rttMs).to.be.a('number').and.at.least(0)
      }
    })
  }
})

describe('the cell runner detects wrong results', function () {
  this.timeout(20_000)
  const c = cell('memory', 'plaintext', 'yamux')
  let a: MatrixNode
  let b: MatrixNode

  beforeEach(async () => {
    a = await createMatrixNode(c)
    b = await createMatrixNode(c)
  })

  afterEach(async () => {
    await Promise.all([a.stop(), b.stop()])
  })

  it('fails a direction whose connection did not negotiate the expected encrypter', async () => {
    const err = await runDirection(c, 'A->B', a, b.getMultiaddrs()[0], b.peerId, b, {
      echoBytes: 1024, signal: AbortSignal.timeout(10_000), expectEncryption: '/not-this/1.0.0'
    }).then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(CellCheckError)
    expect((err as Error).message).to.match(/connection encryption \/plaintext\/2\.0\.0, expected \/not-this\/1\.0\.0/)
  })

  it('fails an echo that comes back altered (sha256 differs)', async () => {
    await b.unhandle(ECHO_PROTOCOL)
    await b.handle(ECHO_PROTOCOL, async (stream) => {
      for await (const chunk of stream) {
        const copy = chunk.subarray().slice()
        copy[0] ^= 0xff
        stream.send(copy)
      }
      await stream.close()
    })
    const connection = await a.dial(b.getMultiaddrs()[0])
    const err = await echoCheck(connection, 256 * 1024, AbortSignal.timeout(10_000)).then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(CellCheckError)
    expect((err as Error).message).to.match(/echo sha256 [0-9a-f]{64} differs from the sent [0-9a-f]{64}/)
  })

  it('fails an echo that comes back short', async () => {
    await b.unhandle(ECHO_PROTOCOL)
    await b.handle(ECHO_PROTOCOL, async (stream) => {
      let first = true
      for await (const chunk of stream) {
        if (first) stream.send(chunk)
        first = false
      }
      await stream.close()
    })
    const connection = await a.dial(b.getMultiaddrs()[0])
    const err = await echoCheck(connection, 256 * 1024, AbortSignal.timeout(10_000)).then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(CellCheckError)
    expect((err as Error).message).to.match(/echo returned \d+ bytes of 262144/)
  })
})

describe('beyond the cell: simultaneous dials, a listener-side hang-up, parallel streams', function () {
  this.timeout(30_000)

  for (const [transport, encrypter, muxer] of [['tcp', 'noise', 'yamux'], ['websockets', 'tls', 'mplex'], ['memory', 'plaintext', 'yamux']]) {
    const c = cell(transport, encrypter, muxer)
    it(c.name, async () => {
      const a = await createMatrixNode(c)
      const b = await createMatrixNode(c)
      try {
        const [ab, ba] = await Promise.all([a.dial(b.getMultiaddrs()[0]), b.dial(a.getMultiaddrs()[0])])
        await Promise.all([echoCheck(ab, 1 << 20, AbortSignal.timeout(10_000)), echoCheck(ba, 1 << 20, AbortSignal.timeout(10_000))])

        // B hangs up on every connection with A, the one A dialled included
        await b.hangUp(a.peerId)
        const deadline = Date.now() + 5_000
        while ((a.getConnections(b.peerId).length > 0 || b.getConnections(a.peerId).length > 0) && Date.now() < deadline) {
          await new Promise(resolve => setTimeout(resolve, 10))
        }
        expect(a.getConnections(b.peerId)).to.have.length(0)
        expect(b.getConnections(a.peerId)).to.have.length(0)

        const connection = await a.dial(b.getMultiaddrs()[0])
        const echoes = await Promise.all(Array.from({ length: 16 }, async () => await echoCheck(connection, 256 * 1024, AbortSignal.timeout(10_000))))
        expect(new Set(echoes.map(e => e.sha256)).size).to.equal(16)
      } finally {
        await Promise.all([a.stop(), b.stop()])
      }
    })
  }
})
