/**
 * DHT queries answered by hostile peers: garbage bytes, frames over the size
 * limit, a peer that never answers, one that hangs up at once, and one that
 * answers every request with thousands of fresh unreachable peers. Honest
 * lookups must still finish in bounded time, and nothing may escape as an
 * unhandled rejection or uncaught exception. (kad-dht.spec.ts covers the
 * flooding liar with invalid records.) Listed in SECURITY-TESTS.md.
 */
import { randomBytes } from 'node:crypto'
import { identify } from '@ts-libp2p/identify'
import { expect } from 'chai'
import { PROTOCOL } from '../src/index.js'
import { messageChannel } from '../src/message.js'
import { connect, dhtNode, eventually, plainNode, stopNodes } from './fixtures.js'
import type { DHTNode } from './fixtures.js'
import type { Stream } from '@ts-libp2p/interface'

type Behaviour = (stream: Stream) => Promise<void> | void

const behaviours: Record<string, Behaviour> = {
  'answers with garbage bytes': (stream) => { stream.send(Uint8Array.from([0x20, ...randomBytes(32)])) },
  'answers with a frame declaring 64 MiB': (stream) => { stream.send(Uint8Array.from([0x80, 0x80, 0x80, 0x20, ...randomBytes(1024)])) },
  'never answers': () => { /* holds the stream open and silent */ },
  'hangs up at once': (stream) => { stream.abort(new Error('hostile hang-up')) },
  'answers every request with 5000 fresh unreachable peers': async (stream) => {
    const channel = messageChannel(stream)
    try {
      while (true) {
        const request = await channel.read()
        const closerPeers = Array.from({ length: 5000 }, () => ({ id: Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...randomBytes(32)]), addrs: [Uint8Array.of(4, 10, 0, 0, 1, 6, 0x0f, 0xa1)], connection: 0 as const }))
        await channel.write({ type: request.type, key: request.key, closerPeers, providerPeers: [] })
      }
    } catch {
      stream.abort(new Error('done'))
    }
  }
}

describe('kad-dht queries against hostile peers', function () {
  this.timeout(20_000)
  const escaped: unknown[] = []
  const onEscape = (err: unknown): void => { escaped.push(err) }
  before(() => { process.on('unhandledRejection', onEscape); process.on('uncaughtException', onEscape) })
  after(() => { process.off('unhandledRejection', onEscape); process.off('uncaughtException', onEscape) })
  afterEach(async () => {
    await stopNodes()
    expect(escaped.map(String), 'unhandled rejections or uncaught exceptions').to.deep.equal([])
  })

  for (const [name, behaviour] of Object.entries(behaviours)) {
    it(`a peer that ${name}: honest lookups finish, within the query timeout`, async () => {
      const honest: DHTNode[] = []
      for (let i = 0; i < 3; i++) honest.push(await dhtNode({ rpcTimeout: 1_000, queryTimeout: 5_000 }))
      const hostile = await plainNode({ services: { identify: identify() } })
      let requests = 0
      await hostile.handle(PROTOCOL, async (stream) => { requests++; await behaviour(stream) })
      for (const n of honest) await hostile.dial(n.getMultiaddrs()[0])
      await connect(honest[0], honest[1])
      await connect(honest[1], honest[2])
      expect(await eventually(() => honest.every(n => n.services.dht.routingTable.has(hostile.peerId)))).to.equal(true)

      const started = Date.now()
      const found = await honest[0].services.dht.findPeer(honest[2].peerId, { useCache: false })
      expect(found.id.equals(honest[2].peerId)).to.equal(true)
      const key = new TextEncoder().encode('/hostile/none')
      // a value nobody has: the lookup must end (NotFoundError), not hang on the hostile peer
      const err = await honest[2].services.dht.get(key, { useCache: false }).then(() => undefined, (e: Error) => e)
      expect(err?.name).to.equal('NotFoundError')
      expect(Date.now() - started).to.be.below(12_000)
      expect(requests).to.be.above(0)
    })
  }
})
