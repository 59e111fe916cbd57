import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import * as constants from '../src/constants.js'
import { TcpTransport, tcp } from '../src/index.js'
import { RawUpgrader, waitFor } from '@ts-libp2p/test-utils'

describe('tcp()', () => {
  it('builds a branded transport with filters', () => {
    const transport: any = tcp()({ logger: defaultLogger() })
    expect(transport[Symbol.for('@libp2p/transport')]).to.equal(true)
    expect(transport[Symbol.toStringTag]).to.equal('@ts-libp2p/tcp')
    const addrs = [
      '/ip4/127.0.0.1/tcp/1',
      '/ip6/::1/tcp/2',
      '/dns/example.com/tcp/3',
      '/ip4/127.0.0.1/tcp/4/ws',
      '/ip4/127.0.0.1/udp/5/quic-v1',
      '/memory/x'
    ].map(a => multiaddr(a))
    expect(transport.dialFilter(addrs).map(String)).to.deep.equal(['/ip4/127.0.0.1/tcp/1', '/ip6/::1/tcp/2', '/dns/example.com/tcp/3'])
    expect(transport.listenFilter(addrs).map(String)).to.deep.equal(['/ip4/127.0.0.1/tcp/1', '/ip6/::1/tcp/2', '/dns/example.com/tcp/3'])
  })

  it('registers counters when metrics are given', () => {
    const names: string[] = []
    const metrics: any = {
      registerCounterGroup: (name: string) => {
        names.push(name)
        return { increment () {}, reset () {} }
      }
    }
    tcp()({ logger: defaultLogger(), metrics })
    expect(names).to.include('libp2p_tcp_dialer_events_total')
    expect(names).to.include('libp2p_tcp_listener_events_total')
  })

  it('counts dials, accepts and connection ends', async () => {
    const counts: Record<string, number> = {}
    const metrics: any = {
      registerCounterGroup: (name: string) => ({
        increment (values: Record<string, true>) {
          for (const key of Object.keys(values)) counts[`${name}:${key}`] = (counts[`${name}:${key}`] ?? 0) + 1
        },
        reset () {}
      })
    }
    const transport = new TcpTransport({ logger: defaultLogger(), metrics })
    const upgrader = new RawUpgrader()
    const listener = transport.createTcpListener({ upgrader: upgrader.upgrader })
    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
    const conn = await transport.connect(listener.getAddrs()[0], { signal: AbortSignal.timeout(5000) })
    const inbound = await upgrader.next()
    await conn.close()
    await waitFor(() => inbound.status === 'closed')
    expect(counts['libp2p_tcp_dialer_events_total:connect']).to.equal(1)
    expect(counts['libp2p_tcp_listener_events_total:accept']).to.equal(1)
    expect(counts['libp2p_tcp_connection_events_total:close']).to.equal(1)
    await listener.close()
  })

  it('has bounded, positive defaults', () => {
    expect(constants.DEFAULT_CLOSE_TIMEOUT).to.be.greaterThan(0)
    expect(constants.DEFAULT_DIAL_TIMEOUT).to.be.greaterThan(0)
    expect(constants.DEFAULT_MAX_CONNECTIONS).to.be.greaterThan(0)
    expect(constants.DEFAULT_INBOUND_SOCKET_INACTIVITY_TIMEOUT).to.be.greaterThan(0)
    expect(constants.DEFAULT_MAX_READ_BUFFER_LENGTH).to.equal(4 * 1024 * 1024)
  })
})
