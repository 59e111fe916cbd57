import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import * as constants from '../src/constants.js'
import { WebSocketsTransport, webSockets } from '../src/index.js'
import { RawUpgrader } from '@ts-libp2p/test-utils'

describe('webSockets()', () => {
  const addrs = ['/ip4/127.0.0.1/tcp/1/ws', '/dns/a.com/tcp/443/wss', '/ip4/127.0.0.1/tcp/1'].map(a => multiaddr(a))

  it('builds a branded transport that dials every WebSocket address by default', () => {
    const transport: any = webSockets()({ logger: defaultLogger() })
    expect(transport[Symbol.for('@libp2p/transport')]).to.equal(true)
    expect(transport[Symbol.toStringTag]).to.equal('@ts-libp2p/websockets')
    expect(transport.dialFilter(addrs).map(String)).to.deep.equal(['/ip4/127.0.0.1/tcp/1/ws', '/dns/a.com/tcp/443/wss'])
    expect(transport.listenFilter(addrs).map(String)).to.deep.equal(['/ip4/127.0.0.1/tcp/1/ws', '/dns/a.com/tcp/443/wss'])
  })

  it('takes a named or custom dial filter', () => {
    const dnsWss: any = webSockets({ filter: 'dnsWss' })({ logger: defaultLogger() })
    expect(dnsWss.dialFilter(addrs).map(String)).to.deep.equal(['/dns/a.com/tcp/443/wss'])
    const none: any = webSockets({ filter: () => [] })({ logger: defaultLogger() })
    expect(none.dialFilter(addrs)).to.deep.equal([])
  })

  it('counts dials and accepted connections when metrics are given', async () => {
    const counts: Record<string, number> = {}
    const metrics: any = {
      registerCounterGroup: (name: string) => ({
        increment (values: Record<string, true>) {
          for (const key of Object.keys(values)) counts[`${name}:${key}`] = (counts[`${name}:${key}`] ?? 0) + 1
        },
        reset () {}
      })
    }
    const transport = new WebSocketsTransport({ logger: defaultLogger(), metrics })
    const upgrader = new RawUpgrader()
    const listener = transport.createWebSocketListener({ upgrader: upgrader.upgrader })
    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0/ws'))
    const conn = await transport.connect(listener.getAddrs()[0], { signal: AbortSignal.timeout(5000) })
    await upgrader.next()
    expect(counts['libp2p_websockets_dialer_events_total:connect']).to.equal(1)
    expect(counts['libp2p_websockets_listener_events_total:accept']).to.equal(1)
    conn.abort(new Error('done'))
    await listener.close()
  })

  it('has the spec default ports and bounded defaults', () => {
    expect(constants.DEFAULT_WS_PORT).to.equal(80)
    expect(constants.DEFAULT_WSS_PORT).to.equal(443)
    expect(constants.DEFAULT_MAX_PAYLOAD).to.equal(4 * 1024 * 1024)
    expect(constants.DEFAULT_CLOSE_TIMEOUT).to.be.greaterThan(0)
  })
})
