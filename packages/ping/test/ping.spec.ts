import { byteStream } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { MAX_INBOUND_STREAMS, PING_LENGTH, PROTOCOL, RTT_METADATA_KEY, ping } from '../src/index.js'
import { node, stopNodes } from './fixtures.js'
import type { Stream } from '@ts-libp2p/interface'

async function pingNode (init: Parameters<typeof ping>[0] = {}): ReturnType<typeof node<{ ping: ReturnType<ReturnType<typeof ping>> }>> {
  return await node({ services: { ping: ping(init) } })
}

async function expectRejection (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err: any) {
    return err
  }
  throw new Error('expected a rejection')
}

/** Resolves when the stream has closed or was aborted/reset, with its final status. */
async function finished (stream: Stream): Promise<string> {
  if (['closed', 'aborted', 'reset'].includes(stream.status)) return stream.status
  return await new Promise(resolve => {
    stream.addEventListener('close', () => { resolve(stream.status) }, { once: true })
  })
}

describe('ping', () => {
  afterEach(stopNodes)

  it('measures a positive RTT, sets connection.rtt and records it in the peer store', async () => {
    const a = await pingNode()
    const b = await pingNode()
    const rtt = await a.services.ping.ping(b.getMultiaddrs()[0])
    expect(rtt).to.be.a('number').and.greaterThan(0).and.lessThan(10_000)
    const [connection] = a.getConnections(b.peerId)
    expect(connection.rtt).to.equal(rtt)
    const peer = await a.peerStore.get(b.peerId)
    expect(Number(new TextDecoder().decode(peer.metadata.get(RTT_METADATA_KEY)))).to.equal(rtt)
  })

  it('pings by peer id over an existing connection, and the other way', async () => {
    const a = await pingNode()
    const b = await pingNode()
    await a.dial(b.getMultiaddrs()[0])
    expect(await a.services.ping.ping(b.peerId)).to.be.greaterThan(0)
    expect(await b.services.ping.ping(a.peerId)).to.be.greaterThan(0)
  })

  it('runs concurrent pings to one peer one stream at a time (one outbound stream per peer)', async () => {
    const a = await pingNode()
    const b = await pingNode()
    const target = b.getMultiaddrs()[0]
    const rtts = await Promise.all([1, 2, 3, 4, 5].map(async () => a.services.ping.ping(target)))
    expect(rtts).to.have.length(5)
    for (const rtt of rtts) expect(rtt).to.be.greaterThan(0)
    expect(a.getConnections(b.peerId)).to.have.length(1)
  })

  it('rejects with TimeoutError when the peer never echoes', async () => {
    const a = await pingNode({ timeout: 200 })
    const b = await node()
    await b.handle(PROTOCOL, async () => { /* read nothing, answer nothing */ })
    const started = Date.now()
    const err = await expectRejection(a.services.ping.ping(b.getMultiaddrs()[0]))
    expect(err.name).to.equal('TimeoutError')
    expect(Date.now() - started).to.be.lessThan(2_000)
  })

  it('rejects with the reason of an aborted signal', async () => {
    const a = await pingNode()
    const b = await node()
    await b.handle(PROTOCOL, async () => {})
    const controller = new AbortController()
    setTimeout(() => { controller.abort() }, 50)
    const err = await expectRejection(a.services.ping.ping(b.getMultiaddrs()[0], { signal: controller.signal }))
    expect(err.name).to.equal('AbortError')
  })

  it('rejects an echo that differs from the payload with PingMismatchError', async () => {
    const a = await pingNode()
    const b = await node()
    await b.handle(PROTOCOL, async (stream) => {
      const bytes = byteStream(stream)
      const payload = (await bytes.read({ bytes: PING_LENGTH })).subarray()
      payload[0] ^= 0xff
      await bytes.write(payload)
      await stream.close()
    })
    const err = await expectRejection(a.services.ping.ping(b.getMultiaddrs()[0]))
    expect(err.name).to.equal('PingMismatchError')
  })

  it('resets a stream that carries bytes after the echo (the RTT is still reported)', async () => {
    const a = await pingNode()
    const b = await node()
    let status: Promise<string> | undefined
    await b.handle(PROTOCOL, async (stream) => {
      status = finished(stream)
      const bytes = byteStream(stream)
      const payload = await bytes.read({ bytes: PING_LENGTH })
      await bytes.write(payload)
      await bytes.write(new Uint8Array(5))
    })
    const rtt = await a.services.ping.ping(b.getMultiaddrs()[0])
    expect(rtt).to.be.greaterThan(0)
    expect(await status).to.equal('reset')
  })

  it('reports the RTT without waiting for a listener that never closes, and replaces that stream on the next ping', async () => {
    const a = await pingNode()
    const b = await node()
    const statuses: Array<Promise<string>> = []
    await b.handle(PROTOCOL, async (stream) => {
      statuses.push(finished(stream))
      const bytes = byteStream(stream)
      await bytes.write(await bytes.read({ bytes: PING_LENGTH })) // echo once, then never close
    }, { maxInboundStreams: 2 })
    const start = Date.now()
    expect(await a.services.ping.ping(b.getMultiaddrs()[0])).to.be.greaterThan(0)
    expect(await a.services.ping.ping(b.getMultiaddrs()[0])).to.be.greaterThan(0)
    expect(Date.now() - start).to.be.lessThan(2000)
    // the first stream was reset when the second ping started: one outbound ping stream per peer
    expect(await statuses[0]).to.equal('reset')
  })

  describe('listener', () => {
    it('echoes several payloads on one stream and closes after the dialer does (spec)', async () => {
      const a = await node()
      const b = await pingNode()
      const stream = await a.dialProtocol(b.getMultiaddrs()[0], PROTOCOL)
      const bytes = byteStream(stream)
      for (let i = 0; i < 3; i++) {
        const payload = crypto.getRandomValues(new Uint8Array(PING_LENGTH))
        await bytes.write(payload)
        expect((await bytes.read({ bytes: PING_LENGTH })).subarray()).to.deep.equal(payload)
      }
      // pipelined payloads are echoed in order
      const two = crypto.getRandomValues(new Uint8Array(PING_LENGTH * 2))
      await bytes.write(two)
      expect((await bytes.read({ bytes: PING_LENGTH * 2 })).subarray()).to.deep.equal(two)
      await stream.close()
      expect(await bytes.read()).to.equal(null)
      expect(await finished(stream)).to.equal('closed')
    })

    it('aborts a stream that stays idle past the timeout', async () => {
      const a = await node()
      const b = await pingNode({ timeout: 150 })
      const stream = await a.dialProtocol(b.getMultiaddrs()[0], PROTOCOL, { negotiateFully: true })
      const started = Date.now()
      expect(await finished(stream)).to.equal('reset')
      expect(Date.now() - started).to.be.within(100, 2_000)
    })

    it('aborts a stream that ends inside a payload', async () => {
      const a = await node()
      const b = await pingNode()
      const stream = await a.dialProtocol(b.getMultiaddrs()[0], PROTOCOL)
      stream.send(new Uint8Array(PING_LENGTH - 1))
      await stream.close()
      expect(await finished(stream)).to.equal('reset')
    })

    it(`accepts at most ${MAX_INBOUND_STREAMS} ping streams per connection`, async () => {
      const a = await node()
      const b = await pingNode()
      const target = b.getMultiaddrs()[0]
      const open: Stream[] = []
      for (let i = 0; i < MAX_INBOUND_STREAMS; i++) {
        open.push(await a.dialProtocol(target, PROTOCOL, { maxOutboundStreams: 10, negotiateFully: true }))
      }
      // the open ones work
      const bytes = byteStream(open[0])
      await bytes.write(new Uint8Array(PING_LENGTH).fill(7))
      expect((await bytes.read({ bytes: PING_LENGTH })).subarray()).to.deep.equal(new Uint8Array(PING_LENGTH).fill(7))
      const extra = await a.dialProtocol(target, PROTOCOL, { maxOutboundStreams: 10, negotiateFully: true })
      expect(await finished(extra)).to.equal('reset')
      expect(open.map(s => s.status)).to.deep.equal(open.map(() => 'open'))
    })

    it('stops answering after the service stops', async () => {
      const a = await pingNode()
      const b = await pingNode()
      await a.services.ping.ping(b.getMultiaddrs()[0])
      await b.handle('/other/1.0.0', async (s) => { s.abort(new Error('unused')) })
      await (b.services.ping as any).stop()
      const err = await expectRejection(a.services.ping.ping(b.peerId))
      expect(err.name).to.equal('UnsupportedProtocolError')
    })
  })
})
