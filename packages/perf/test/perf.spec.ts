import { defaultLogger } from '@ts-libp2p/utils'
import { streamPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { HEADER_LENGTH, MAX_INBOUND_STREAMS, MAX_UINT64, PROTOCOL, perf } from '../src/index.js'
import { PerfService } from '../src/perf.js'
import { node, stopNodes } from './fixtures.js'
import type { PerfPhase } from '../src/index.js'
import type { Stream } from '@ts-libp2p/interface'

type PerfNode = Awaited<ReturnType<typeof node<{ perf: PerfService }>>>

async function perfNode (init: Parameters<typeof perf>[0] = {}): Promise<PerfNode> {
  return await node<{ perf: PerfService }>({ services: { perf: perf(init) as any } })
}

/** A service not attached to any node, to drive `serve()` over a stream pair. */
function detached (init: Parameters<typeof perf>[0] = {}): PerfService {
  const never = async (): Promise<never> => { throw new Error('not used') }
  return new PerfService({ registrar: { handle: never, unhandle: never }, connectionManager: { openConnection: never }, logger: defaultLogger() }, init)
}

function header (n: bigint): Uint8Array {
  const bytes = new Uint8Array(HEADER_LENGTH)
  new DataView(bytes.buffer).setBigUint64(0, n, false)
  return bytes
}

async function expectRejection (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err: any) {
    return err
  }
  throw new Error('expected a rejection')
}

async function finished (stream: Stream): Promise<string> {
  if (['closed', 'aborted', 'reset'].includes(stream.status)) return stream.status
  return await new Promise(resolve => {
    stream.addEventListener('close', () => { resolve(stream.status) }, { once: true })
  })
}

/** Sends all of `bytes` honouring backpressure. */
async function sendAll (stream: Stream, bytes: Uint8Array): Promise<void> {
  if (!stream.send(bytes)) await stream.onDrain()
}

async function count (stream: Stream): Promise<number> {
  let n = 0
  for await (const chunk of stream) n += chunk.byteLength
  return n
}

describe('perf', () => {
  afterEach(stopNodes)

  const sizes: Array<[number, number]> = [[0, 0], [1, 0], [0, 1], [100_000, 70_001], [3 * 65_536 + 5, (1 << 20) + 3]]

  for (const [up, down] of sizes) {
    it(`moves exactly ${up} bytes up and ${down} down between two nodes`, async () => {
      const a = await perfNode()
      const b = await perfNode()
      const serve = b.services.perf.serve.bind(b.services.perf)
      const served: Array<Promise<unknown>> = []
      b.services.perf.serve = async (stream) => { const p = serve(stream); served.push(p); return await p }
      const result = await a.services.perf.measure(b.getMultiaddrs()[0], { uploadBytes: up, downloadBytes: down })
      expect(result.uploadBytes).to.equal(up)
      expect(result.downloadBytes).to.equal(down)
      expect(result.uploadMs).to.be.at.least(0)
      expect(result.downloadMs).to.be.at.least(0)
      expect(result.totalMs).to.be.closeTo(result.uploadMs + result.downloadMs, 1e-6)
      expect(result.uploadBytesPerSecond === 0).to.equal(up === 0)
      expect(result.downloadBytesPerSecond === 0).to.equal(down === 0)
      expect(await served[0]).to.deep.equal({ uploadBytes: up, downloadBytes: down })
    })
  }

  it('reports progress per phase, ending at the totals', async () => {
    const a = await perfNode({ writeBlockSize: 10_000 })
    const b = await perfNode()
    const seen: Record<PerfPhase, number[]> = { upload: [], download: [] }
    await a.services.perf.measure(b.getMultiaddrs()[0], {
      uploadBytes: 45_000,
      downloadBytes: 200_000,
      onProgress: (phase, bytes) => { seen[phase].push(bytes) }
    })
    expect(seen.upload).to.deep.equal([10_000, 20_000, 30_000, 40_000, 45_000])
    expect(seen.download.at(-1)).to.equal(200_000)
    for (let i = 1; i < seen.download.length; i++) expect(seen.download[i]).to.be.greaterThan(seen.download[i - 1])
  })

  it('the server answers a raw client per the spec: drain the upload, then send the requested bytes and close', async () => {
    const a = await perfNode()
    const b = await perfNode()
    const stream = await a.dialProtocol(b.getMultiaddrs()[0], PROTOCOL)
    await sendAll(stream, header(12_345n))
    await sendAll(stream, new Uint8Array(500_000))
    // nothing comes back while we have not closed our write side (step 3 must not overlap step 2)
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(stream.readBufferLength).to.equal(0)
    await stream.close()
    expect(await count(stream)).to.equal(12_345)
  })

  it('the client follows the spec against a raw server: header, upload, close, then read to the end', async () => {
    const a = await perfNode()
    const b = await node()
    let got: { requested: bigint, uploaded: number } | undefined
    await b.handle(PROTOCOL, async (stream) => {
      let buf = new Uint8Array(0)
      for await (const chunk of stream) {
        const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray()
        const joined = new Uint8Array(buf.length + bytes.length)
        joined.set(buf)
        joined.set(bytes, buf.length)
        buf = joined
      }
      got = { requested: new DataView(buf.buffer).getBigUint64(0, false), uploaded: buf.length - HEADER_LENGTH }
      await sendAll(stream, new Uint8Array(777))
      await stream.close()
    })
    const result = await a.services.perf.measure(b.getMultiaddrs()[0], { uploadBytes: 4_321, downloadBytes: 777n })
    expect(got).to.deep.equal({ requested: 777n, uploaded: 4_321 })
    expect(result.downloadBytes).to.equal(777)
  })

  describe('limits', () => {
    it('refuses a request for 2^64-1 bytes: the stream is reset before anything is sent', async () => {
      const a = await perfNode()
      const b = await perfNode()
      const started = Date.now()
      const err = await expectRejection(a.services.perf.measure(b.getMultiaddrs()[0], { uploadBytes: 10, downloadBytes: MAX_UINT64 }))
      expect(err.name).to.equal('StreamResetError')
      expect(Date.now() - started).to.be.lessThan(2_000)
    })

    it('serve() rejects a request over maxDownloadBytes with DownloadTooLargeError; at the limit is served', async () => {
      const service = detached({ maxDownloadBytes: 1_000 })
      const [client, server] = streamPair()
      const served = service.serve(server)
      client.send(header(1_001n))
      const err = await expectRejection(served)
      expect(err.name).to.equal('DownloadTooLargeError')
      expect(await finished(client)).to.equal('reset')

      const [client2, server2] = streamPair()
      const served2 = service.serve(server2)
      client2.send(header(1_000n))
      await client2.close()
      expect(await count(client2)).to.equal(1_000)
      expect(await served2).to.deep.equal({ uploadBytes: 0, downloadBytes: 1_000 })
    })

    it('rejects bad sizes with InvalidParametersError before dialing', async () => {
      const service = detached()
      for (const options of [
        { uploadBytes: -1, downloadBytes: 0 },
        { uploadBytes: 1.5, downloadBytes: 0 },
        { uploadBytes: 0, downloadBytes: -1n },
        { uploadBytes: 0, downloadBytes: MAX_UINT64 + 1n },
        { uploadBytes: 0, downloadBytes: Number.MAX_SAFE_INTEGER + 2 }
      ]) {
        const err = await expectRejection(service.measure([], options))
        expect(err.name).to.equal('InvalidParametersError')
      }
    })

    it('a client that stalls after the header is timed out and reset by the server', async () => {
      const service = detached({ timeout: 100 })
      const [client, server] = streamPair()
      const started = Date.now()
      const served = service.serve(server)
      client.send(header(10n))
      client.send(new Uint8Array(100))
      const err = await expectRejection(served)
      expect(err.name).to.equal('TimeoutError')
      expect(Date.now() - started).to.be.within(90, 1_000)
      expect(await finished(client)).to.equal('reset')
    })

    it('a client that never sends the header is timed out over a real connection', async () => {
      const a = await node()
      const b = await perfNode({ timeout: 100 })
      const stream = await a.dialProtocol(b.getMultiaddrs()[0], PROTOCOL, { negotiateFully: true })
      const started = Date.now()
      expect(await finished(stream)).to.equal('reset')
      expect(Date.now() - started).to.be.within(90, 2_000)
    })

    it('a server that stalls times the client out with TimeoutError', async () => {
      const a = await perfNode({ timeout: 100 })
      const b = await node()
      await b.handle(PROTOCOL, async () => { /* reads nothing, sends nothing */ })
      const started = Date.now()
      const err = await expectRejection(a.services.perf.measure(b.getMultiaddrs()[0], { uploadBytes: 0, downloadBytes: 10 }))
      expect(err.name).to.equal('TimeoutError')
      expect(Date.now() - started).to.be.lessThan(2_000)
    })

    it('a server that sends fewer or more bytes than requested is a ProtocolError', async () => {
      const a = await perfNode()
      const b = await node()
      let reply = 9
      await b.handle(PROTOCOL, async (stream) => {
        await count(stream)
        await sendAll(stream, new Uint8Array(reply))
        await stream.close()
      }, { maxInboundStreams: 4 })
      const short = await expectRejection(a.services.perf.measure(b.getMultiaddrs()[0], { uploadBytes: 0, downloadBytes: 10 }))
      expect(short.name).to.equal('ProtocolError')
      reply = 11
      const long = await expectRejection(a.services.perf.measure(b.getMultiaddrs()[0], { uploadBytes: 0, downloadBytes: 10 }))
      expect(long.name).to.equal('ProtocolError')
    })

    it('an aborted signal ends the measurement with its reason and resets the stream', async () => {
      const a = await perfNode()
      const b = await perfNode({ maxDownloadBytes: Infinity })
      const controller = new AbortController()
      let streamAtAbort = 0
      const measuring = a.services.perf.measure(b.getMultiaddrs()[0], {
        uploadBytes: 0,
        downloadBytes: MAX_UINT64,
        signal: controller.signal,
        onProgress: (_phase, bytes) => { if (bytes > 1 << 20 && streamAtAbort === 0) { streamAtAbort = bytes; controller.abort() } }
      })
      const err = await expectRejection(measuring)
      expect(err.name).to.equal('AbortError')
      expect(streamAtAbort).to.be.greaterThan(1 << 20)
      // the server noticed and stopped sending: the connection carries no perf stream any more
      const [connection] = a.getConnections(b.peerId)
      expect(connection.streams.filter(s => s.protocol === PROTOCOL)).to.have.length(0)
    })

    it(`accepts at most ${MAX_INBOUND_STREAMS} perf streams per connection`, async () => {
      const a = await node()
      const b = await perfNode()
      const target = b.getMultiaddrs()[0]
      const open: Stream[] = []
      for (let i = 0; i < MAX_INBOUND_STREAMS; i++) {
        open.push(await a.dialProtocol(target, PROTOCOL, { maxOutboundStreams: 10, negotiateFully: true }))
      }
      const extra = await a.dialProtocol(target, PROTOCOL, { maxOutboundStreams: 10, negotiateFully: true })
      expect(await finished(extra)).to.equal('reset')
      expect(open.map(s => s.status)).to.deep.equal(open.map(() => 'open'))
      // the open ones still work
      await sendAll(open[0], header(5n))
      await open[0].close()
      expect(await count(open[0])).to.equal(5)
    })

    it('stop() ends streams being served and unregisters the protocol', async () => {
      const a = await perfNode()
      const b = await perfNode({ maxDownloadBytes: Infinity })
      const measuring = a.services.perf.measure(b.getMultiaddrs()[0], { uploadBytes: 0, downloadBytes: MAX_UINT64 })
      await new Promise(resolve => setTimeout(resolve, 50))
      await b.services.perf.stop()
      const err = await expectRejection(measuring)
      expect(err.name).to.equal('StreamResetError')
      const again = await expectRejection(a.services.perf.measure(b.peerId, { uploadBytes: 0, downloadBytes: 0 }))
      expect(again.name).to.equal('UnsupportedProtocolError')
    })
  })
})
