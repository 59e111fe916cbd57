import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { WebSocketMultiaddrConnection } from '../src/connection.js'
import { openWebSocket } from '../src/socket.browser.js'
import { listening } from './fixtures/setup.js'
import { waitFor } from '@ts-libp2p/test-utils'
import type { Pair } from './fixtures/setup.js'

/**
 * The browser driver (the native WebSocket, swapped in by the package's
 * `browser` field) against our Node listener. Node 22+ has the same global
 * WebSocket browsers do, so the browser path runs here; on Node 20 there is
 * none and these tests are skipped.
 */
describe('socket.browser (native WebSocket driver)', function () {
  this.timeout(20_000)
  let pair: Pair | undefined

  before(function () {
    if (typeof (globalThis as any).WebSocket !== 'function') {
      // Node 20 has no global WebSocket; run on Node 22+ (npm run test:node24)
      this.skip()
    }
  })

  afterEach(async () => {
    await pair?.close()
    pair = undefined
  })

  async function connect (p: Pair): Promise<[WebSocketMultiaddrConnection, WebSocketMultiaddrConnection]> {
    const socket = openWebSocket(`ws://127.0.0.1:${p.addr.toString().split('/')[4]}/`, { maxPayload: 0, family: 0 })
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve)
      socket.addEventListener('error', reject)
    })
    const out = new WebSocketMultiaddrConnection({ socket, remoteAddr: p.addr, direction: 'outbound', log: defaultLogger().forComponent('test') })
    const inb = await p.upgrader.next() as WebSocketMultiaddrConnection
    return [out, inb]
  }

  it('sends and receives binary data and closes cleanly', async () => {
    pair = await listening()
    const [out, inb] = await connect(pair)
    out.send(Uint8Array.of(1, 2, 3))
    await waitFor(() => inb.bytesReceived === 3)
    inb.send(Uint8Array.of(4, 5))
    const back = await out[Symbol.asyncIterator]().next()
    expect([...(back.value as Uint8Array)]).to.deep.equal([4, 5])
    await out.close()
    expect(out.status).to.equal('closed')
    await waitFor(() => inb.status === 'closed')
  })

  it('waits for bufferedAmount to fall (polling) when sending a lot', async () => {
    pair = await listening()
    const [out, inb] = await connect(pair)
    const total = 16 * 1024 * 1024
    let falses = 0
    let read = 0
    const reading = (async () => { for await (const c of inb) read += c.byteLength })()
    for (let sent = 0; sent < total; sent += 256 * 1024) {
      if (!out.send(new Uint8Array(256 * 1024))) {
        falses++
        await out.onDrain({ signal: AbortSignal.timeout(10_000) })
      }
    }
    await out.close()
    await reading
    expect(read).to.equal(total)
    expect(falses).to.be.greaterThan(0)
  })
})
