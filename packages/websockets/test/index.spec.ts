import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import * as constants from '../src/constants.js'
import { webSockets } from '../src/index.js'

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

  it('has the spec default ports and bounded defaults', () => {
    expect(constants.DEFAULT_WS_PORT).to.equal(80)
    expect(constants.DEFAULT_WSS_PORT).to.equal(443)
    expect(constants.DEFAULT_MAX_PAYLOAD).to.equal(4 * 1024 * 1024)
    expect(constants.DEFAULT_CLOSE_TIMEOUT).to.be.greaterThan(0)
  })
})
