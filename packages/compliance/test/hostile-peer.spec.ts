/**
 * Hostile peers against a real node over loopback TCP (noise, yamux and
 * mplex, identify and ping): a scripted attacker that speaks only as much of
 * the protocols as the attack needs, while a well-behaved peer keeps using the
 * node in the same test. Every test fails on an unhandled rejection or an
 * uncaught exception anywhere in the process. The table of these attacks and
 * what they showed is SECURITY-TESTS.md at the repository root.
 */
import net from 'node:net'
import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { mplex } from '@ts-libp2p/mplex'
import { noise } from '@ts-libp2p/noise'
import { ping } from '@ts-libp2p/ping'
import { tcp } from '@ts-libp2p/tcp'
import { SocketConnection } from '@ts-libp2p/test-utils'
import { defaultLogger, lpStream } from '@ts-libp2p/utils'
import { yamux } from '@ts-libp2p/yamux'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import type { Identify } from '@ts-libp2p/identify'
import type { Libp2pInit, Libp2pNode } from '@ts-libp2p/libp2p'
import type { Ping } from '@ts-libp2p/ping'
import type { MessageStream, PrivateKey } from '@ts-libp2p/interface'

type Services = { ping: Ping, identify: Identify }
const UPGRADE_TIMEOUT = 400
const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const delay = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

async function until (predicate: () => boolean, ms = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`)
    await delay(10)
  }
}

function varint (n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 0x80) }
  out.push(n)
  return out
}

/** multistream-select messages: varint length, text, newline. */
function msMessages (...texts: string[]): Uint8Array {
  return Uint8Array.from(texts.flatMap(t => { const b = enc(`${t}\n`); return [...varint(b.length), ...b] }))
}

/** A yamux header (yamux spec: version, type, flags, stream id, length; big-endian). */
function yamuxFrame (type: number, flags: number, streamId: number, length: number, data?: Uint8Array): Uint8Array {
  const header = new Uint8Array(12)
  const view = new DataView(header.buffer)
  header[1] = type
  view.setUint16(2, flags)
  view.setUint32(4, streamId)
  view.setUint32(8, length)
  return data == null ? header : Uint8Array.from([...header, ...data])
}

/** Parses the yamux frames the node sends back (headers only, payloads skipped). */
class YamuxReader {
  readonly frames: Array<{ type: number, flags: number, streamId: number, length: number }> = []
  readonly #buffer = new Uint8ArrayList()
  #skip = 0
  push (data: Uint8Array | Uint8ArrayList): void {
    this.#buffer.append(data)
    while (true) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, this.#buffer.byteLength)
        this.#buffer.consume(n)
        this.#skip -= n
        if (this.#skip > 0) return
      }
      if (this.#buffer.byteLength < 12) return
      const h = this.#buffer.subarray(0, 12)
      const view = new DataView(h.buffer, h.byteOffset, 12)
      const frame = { type: h[1], flags: view.getUint16(2), streamId: view.getUint32(4), length: view.getUint32(8) }
      this.frames.push(frame)
      this.#buffer.consume(12)
      if (frame.type === 0) this.#skip = frame.length
    }
  }

  goAway (): { type: number, length: number } | undefined {
    return this.frames.find(f => f.type === 3)
  }
}

/** A raw TCP socket to the node, as a message stream. */
async function rawSocket (port: number): Promise<SocketConnection> {
  const socket = net.connect(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  return new SocketConnection(socket, 'outbound')
}

/** Resolves when the node has closed the socket (or rejects after `ms`). */
async function closedByNode (conn: SocketConnection, ms: number): Promise<number> {
  const started = Date.now()
  if (conn.socket.destroyed || conn.socket.readableEnded) return 0
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`the node kept the socket open for ${ms} ms`)) }, ms)
    const done = (): void => { clearTimeout(timer); resolve() }
    conn.socket.once('close', done)
    conn.socket.once('end', done)
  })
  return Date.now() - started
}

/** Negotiates one protocol with multistream-select (dialer side, not optimistic). */
async function negotiate (stream: MessageStream, protocol: string): Promise<MessageStream> {
  const lp = lpStream(stream)
  const signal = AbortSignal.timeout(2_000)
  await lp.bytes.write(msMessages('/multistream/1.0.0', protocol), { signal })
  expect(new TextDecoder().decode((await lp.read({ signal })).subarray())).to.equal('/multistream/1.0.0\n')
  expect(new TextDecoder().decode((await lp.read({ signal })).subarray())).to.equal(`${protocol}\n`)
  return lp.unwrap()
}

/** A secured channel to the node with a muxer agreed, over which the attacker writes raw muxer frames. */
async function rawSession (port: number, key: PrivateKey, muxer = '/yamux/1.0.0'): Promise<{ socket: SocketConnection, secured: MessageStream, frames: YamuxReader, received: () => number }> {
  const socket = await rawSocket(port)
  const negotiated = await negotiate(socket, '/noise')
  const { connection } = await noise()({ privateKey: key, logger: defaultLogger() }).secureOutbound(negotiated, { signal: AbortSignal.timeout(2_000) })
  const secured = await negotiate(connection, muxer)
  const frames = new YamuxReader()
  let received = 0
  secured.addEventListener('message', (evt) => { received += evt.data.byteLength; if (muxer === '/yamux/1.0.0') frames.push(evt.data) })
  return { socket, secured, frames, received: () => received }
}

describe('hostile peers against a TCP node', function () {
  this.timeout(20_000)
  const nodes: Libp2pNode[] = []
  const escaped: unknown[] = []
  const onEscape = (err: unknown): void => { escaped.push(err) }
  let target: Libp2pNode<Services>
  let port: number
  let attackerKey: PrivateKey

  async function node (init: Partial<Libp2pInit<Services>> = {}, listen = false): Promise<Libp2pNode<Services>> {
    const n = await createLibp2p<Services>({
      addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux(), mplex()],
      services: { ping: ping({ timeout: 2_000 }), identify: identify() },
      ...init
    } as Libp2pInit<Services>)
    nodes.push(n)
    return n
  }

  /** A well-behaved peer pings the target: it must be served whatever the attacker is doing. */
  async function goodPeerIsServed (): Promise<void> {
    const good = await node()
    const rtt = await good.services.ping.ping(target.getMultiaddrs()[0], { signal: AbortSignal.timeout(3_000) })
    expect(rtt).to.be.a('number')
    await good.stop()
  }

  before(() => {
    process.on('unhandledRejection', onEscape)
    process.on('uncaughtException', onEscape)
  })

  after(() => {
    process.off('unhandledRejection', onEscape)
    process.off('uncaughtException', onEscape)
  })

  beforeEach(async () => {
    target = await node({ connectionManager: { inboundUpgradeTimeout: UPGRADE_TIMEOUT, inboundConnectionThreshold: 1000 } }, true)
    port = Number(target.getMultiaddrs()[0].getComponents().find(c => c.name === 'tcp')?.value)
    attackerKey = (await node({ start: false })).components.privateKey
  })

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
    expect(escaped.map(String), 'unhandled rejections or uncaught exceptions').to.deep.equal([])
  })

  describe('slow and stalled handshakes (slowloris)', () => {
    it('closes a connection that sends nothing once the inbound upgrade timeout passes', async () => {
      const socket = await rawSocket(port)
      const took = await closedByNode(socket, UPGRADE_TIMEOUT + 3_000)
      expect(took).to.be.at.least(UPGRADE_TIMEOUT - 100)
      await goodPeerIsServed()
    })

    it('closes a connection that drips the handshake one byte at a time: activity does not extend the deadline', async () => {
      const socket = await rawSocket(port)
      const bytes = msMessages('/multistream/1.0.0', '/noise')
      let i = 0
      const drip = setInterval(() => { if (i < bytes.length && !socket.socket.destroyed) socket.socket.write(bytes.subarray(i, ++i)) }, 50)
      try {
        await closedByNode(socket, UPGRADE_TIMEOUT + 3_000)
      } finally {
        clearInterval(drip)
      }
      expect(i).to.be.below(bytes.length + 1)
      await goodPeerIsServed()
    })

    it('ten stalled sockets (the pending-upgrade limit) do not lock other peers out', async () => {
      const stalled = await Promise.all(Array.from({ length: 10 }, async () => rawSocket(port)))
      await Promise.all(stalled.map(async s => closedByNode(s, UPGRADE_TIMEOUT + 3_000)))
      await goodPeerIsServed()
    })

    it('closes a connection that stalls inside the noise handshake', async () => {
      const socket = await rawSocket(port)
      const negotiated = await negotiate(socket, '/noise')
      negotiated.send(Uint8Array.of(0x00, 0x20, 1, 2, 3)) // a 32-byte ephemeral key announced, 3 bytes sent
      await closedByNode(socket, UPGRADE_TIMEOUT + 3_000)
      await goodPeerIsServed()
    })
  })

  describe('handshake flood from one IP', () => {
    it('bounds the upgrades in progress: past the pending limit connections are closed at once', async () => {
      // a longer deadline here, so what closes early can only be the pending limit's refusals
      const flooded = await node({ connectionManager: { inboundUpgradeTimeout: 3_000, inboundConnectionThreshold: 1000 } }, true)
      const floodedPort = Number(flooded.getMultiaddrs()[0].getComponents().find(c => c.name === 'tcp')?.value)
      const good = await node()
      await good.dial(flooded.getMultiaddrs()[0])
      const started = Date.now()
      const sockets = await Promise.all(Array.from({ length: 40 }, async () => rawSocket(floodedPort)))
      for (const s of sockets) s.socket.write(msMessages('/multistream/1.0.0', '/noise'))
      const closed = (): number => sockets.filter(s => s.socket.destroyed || s.socket.readableEnded).length
      // js-libp2p's and our default: 10 upgrades at once; the rest are refused before any handshake work
      await until(() => closed() >= 30, 2_000, '30 refusals')
      expect(Date.now() - started).to.be.below(3_000)
      // the established peer is served during the flood
      expect(await good.services.ping.ping(flooded.peerId, { signal: AbortSignal.timeout(3_000) })).to.be.a('number')
      await Promise.all(sockets.map(async s => closedByNode(s, 3_000 + 3_000)))
      const after = await node()
      expect(await after.services.ping.ping(flooded.getMultiaddrs()[0], { signal: AbortSignal.timeout(3_000) })).to.be.a('number')
    })

    it('refuses more than the per-host rate of new connections per second', async () => {
      // a long deadline, so what closes within it can only be the rate limit's refusals
      const limited = await node({ connectionManager: { inboundUpgradeTimeout: 10_000, inboundConnectionThreshold: 3, maxIncomingPendingConnections: 100 } }, true)
      const limitedPort = Number(limited.getMultiaddrs()[0].getComponents().find(c => c.name === 'tcp')?.value)
      const sockets = await Promise.all(Array.from({ length: 12 }, async () => rawSocket(limitedPort)))
      const refused = (): number => sockets.filter(s => s.socket.destroyed || s.socket.readableEnded).length
      await until(() => refused() >= 12 - 3 - 3, 3_000, 'refusals') // a second boundary may fall inside the burst
      for (const s of sockets) s.socket.destroy()
    })
  })

  describe('stream floods', () => {
    it('a SYN flood past the muxer stream limit is refused and the session stays bounded', async () => {
      const session = await rawSession(port, attackerKey)
      const burst: number[] = []
      for (let i = 0; i < 1500; i++) burst.push(...yamuxFrame(1, 0x1, 2 * i + 1, 0))
      session.secured.send(Uint8Array.from(burst))
      await until(() => session.frames.frames.some(f => (f.flags & 0x8) !== 0) || session.frames.goAway() != null, 3_000, 'a RST or go-away for the streams past the limit')
      const connection = target.getConnections().find(c => c.status === 'open' && c.direction === 'inbound')
      // yamux's default: 1024 inbound streams per session (the node's own identify stream is outbound)
      expect(connection?.streams.filter(s => s.direction === 'inbound').length ?? 0).to.be.at.most(1024)
      await goodPeerIsServed()
      session.socket.abort(new Error('attacker leaves'))
      await until(() => target.components.resourceManager.stat().system.connsInbound === 0, 3_000, 'the connection released')
    })

    it('negotiated streams past the per-peer limit are reset with the resource manager error', async () => {
      const strict = await node({ connectionManager: { inboundUpgradeTimeout: UPGRADE_TIMEOUT }, resourceManager: { limits: { peer: { streamsInbound: 4 } } } }, true)
      const held: unknown[] = []
      await strict.handle('/hold/1.0.0', (stream) => { held.push(stream) }, { maxInboundStreams: 1000 })
      const attacker = await node()
      const streams = await Promise.all(Array.from({ length: 40 }, async () => attacker.dialProtocol(strict.getMultiaddrs()[0], '/hold/1.0.0', { negotiateFully: true }).catch(err => err)))
      await delay(200)
      // the attacker's identify stream may hold one of its four slots
      expect(held.length).to.be.within(3, 4)
      expect(streams.filter(s => s instanceof Error || s.status !== 'open').length).to.equal(40 - held.length)
      expect(strict.components.resourceManager.statPeer(attacker.peerId).streamsInbound).to.be.at.most(4)
      const good = await node()
      expect(await good.services.ping.ping(strict.getMultiaddrs()[0], { signal: AbortSignal.timeout(3_000) })).to.be.a('number')
    })
  })

  describe('yamux window abuse', () => {
    it('data past the stream window ends the session with go-away (protocol error)', async () => {
      const session = await rawSession(port, attackerKey)
      session.secured.send(yamuxFrame(1, 0x1, 1, 0))
      // the initial window is 256 KiB: announce one byte more, then send it
      session.secured.send(yamuxFrame(0, 0, 1, 256 * 1024 + 1))
      session.secured.send(new Uint8Array(256 * 1024 + 1))
      await until(() => session.frames.goAway() != null, 3_000, 'go-away')
      expect(session.frames.goAway()?.length).to.equal(1) // GoAwayCode.ProtocolError
      await closedByNode(session.socket, 3_000)
      await goodPeerIsServed()
    })

    it('a window update that overflows the send window ends the session', async () => {
      const session = await rawSession(port, attackerKey)
      session.secured.send(yamuxFrame(1, 0x1, 1, 0))
      session.secured.send(yamuxFrame(1, 0, 1, 0xffffffff))
      await until(() => session.frames.goAway() != null, 3_000, 'go-away')
      expect(session.frames.goAway()?.length).to.equal(1)
      await goodPeerIsServed()
    })
  })

  describe('a peer that never reads', () => {
    it('the node buffers no more than the windows allow while the peer sends pings and reads nothing', async () => {
      const session = await rawSession(port, attackerKey)
      // a ping stream negotiated inside yamux, then pings without ever reading the echoes
      session.secured.send(yamuxFrame(0, 0x1, 1, msMessages('/multistream/1.0.0', '/ipfs/ping/1.0.0').length, msMessages('/multistream/1.0.0', '/ipfs/ping/1.0.0')))
      await delay(100)
      session.socket.socket.pause() // stop reading at the TCP level
      const before = process.memoryUsage().arrayBuffers
      const chunk = new Uint8Array(32 * 1024)
      let sent = 0
      // the node's receive window (256 KiB) caps what it must accept; send a little past the echo buffers
      while (sent < 240 * 1024) {
        session.secured.send(yamuxFrame(0, 0, 1, chunk.length, chunk))
        sent += chunk.length
        await delay(5)
      }
      await delay(300)
      const grown = process.memoryUsage().arrayBuffers - before
      expect(grown).to.be.below(16 * 1024 * 1024)
      const connection = target.getConnections().find(c => c.direction === 'inbound')
      for (const stream of connection?.streams ?? []) expect(stream.writeBufferLength).to.be.at.most(4 * 1024 * 1024)
      await goodPeerIsServed()
    })
  })

  describe('oversize frames and messages', () => {
    it('multistream-select: a 64 KiB message length closes the connection', async () => {
      // a long deadline, so closing before it means the prefix was refused
      const strict = await node({ connectionManager: { inboundUpgradeTimeout: 10_000 } }, true)
      const socket = await rawSocket(Number(strict.getMultiaddrs()[0].getComponents().find(c => c.name === 'tcp')?.value))
      socket.send(Uint8Array.from([...varint(65535), ...new Uint8Array(100)]))
      await closedByNode(socket, 5_000)
      await goodPeerIsServed()
    })

    it('noise: a first message of the largest length (64 KiB, all plaintext payload) gets nowhere: the upgrade deadline closes it', async () => {
      const socket = await rawSocket(port)
      const negotiated = await negotiate(socket, '/noise')
      // XX message 1 is the ephemeral key and an unencrypted payload: 65535 bytes is a valid message,
      // after which the attacker never sends message 3
      negotiated.send(Uint8Array.from([0xff, 0xff, ...new Uint8Array(65535).fill(7)]))
      await closedByNode(socket, UPGRADE_TIMEOUT + 3_000)
      await goodPeerIsServed()
    })

    it('yamux: a data frame announcing 4 GiB ends the session before any payload is buffered', async () => {
      const session = await rawSession(port, attackerKey)
      session.secured.send(yamuxFrame(0, 0x1, 1, 0xffffffff))
      await until(() => session.frames.goAway() != null, 3_000, 'go-away')
      await goodPeerIsServed()
    })

    it('mplex: a message over the 1 MiB limit closes the connection', async () => {
      const session = await rawSession(port, attackerKey, '/mplex/6.7.0')
      // new stream 1, then a message of 2 MiB declared (mplex header: id << 3 | type, length varint)
      session.secured.send(Uint8Array.from([0x08, 0x00]))
      session.secured.send(Uint8Array.from([0x0a, ...varint(2 * 1024 * 1024), 1, 2, 3]))
      await closedByNode(session.socket, 3_000)
      await goodPeerIsServed()
    })

    it('identify push: a frame over the 8 KiB limit resets the stream, the connection stays', async () => {
      const attacker = await node()
      const stream = await attacker.dialProtocol(target.getMultiaddrs()[0], '/ipfs/id/push/1.0.0', { negotiateFully: true })
      stream.send(Uint8Array.from([...varint(1024 * 1024), ...new Uint8Array(16 * 1024)]))
      await until(() => stream.status !== 'open', 3_000, 'the stream ended')
      expect(attacker.getConnections(target.peerId).some(c => c.status === 'open')).to.equal(true)
      await goodPeerIsServed()
    })

    it('ping: a megabyte of unread pings resets the stream, the connection stays', async () => {
      const attacker = await node()
      const stream = await attacker.dialProtocol(target.getMultiaddrs()[0], '/ipfs/ping/1.0.0', { negotiateFully: true })
      stream.pause() // never read the echoes
      for (let i = 0; i < 32 && stream.status === 'open'; i++) {
        stream.send(new Uint8Array(32 * 1024))
        await delay(5)
      }
      await until(() => stream.status !== 'open', 5_000, 'the ping stream ended')
      expect(attacker.getConnections(target.peerId).some(c => c.status === 'open')).to.equal(true)
      await goodPeerIsServed()
    })
  })

  describe('identify push flood', () => {
    it('many pushes at once are limited per connection and the peer store stays bounded', async () => {
      const attacker = await node()
      await attacker.dial(target.getMultiaddrs()[0])
      await delay(100)
      const message = Uint8Array.from([0x1a, 0x05, ...enc('/x/1.'), ...[0x1a, 0x05, ...enc('/y/1.')]])
      const results = await Promise.all(Array.from({ length: 100 }, async () => {
        try {
          const stream = await attacker.dialProtocol(target.getMultiaddrs()[0], '/ipfs/id/push/1.0.0', { negotiateFully: true })
          stream.send(Uint8Array.from([...varint(message.length), ...message]))
          await stream.close({ signal: AbortSignal.timeout(2_000) })
          return 'sent'
        } catch (err: any) {
          return err.name as string
        }
      }))
      await delay(300)
      expect(results.length).to.equal(100)
      const stored = await target.peerStore.get(attacker.peerId)
      expect(stored.protocols.length).to.be.at.most(256)
      expect(attacker.getConnections(target.peerId).length).to.be.at.most(1)
      await goodPeerIsServed()
    })
  })
})
