import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { isSecureWebSocketAddress, isWebSocketAddress, toMultiaddr, toWebSocketAddress } from '../src/address.js'
import { filters } from '../src/filters.js'

describe('address', () => {
  it('accepts the forms of websockets/README.md', () => {
    for (const a of [
      '/ip4/192.0.2.0/tcp/1234/ws',
      '/ip4/192.0.2.0/tcp/1234/tls/ws',
      '/ip4/192.0.2.0/tcp/1234/tls/sni/foo.example.com/ws',
      '/ip4/192.0.2.0/ws',
      '/ip4/192.0.2.0/tls/ws',
      '/ip4/192.0.2.0/wss',
      '/dns/example.com/wss',
      '/dns/example.com/wss/http-path/path%2Fto%2Fendpoint',
      '/ip6/::1/tcp/1/ws/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV'
    ]) {
      expect(isWebSocketAddress(multiaddr(a)), a).to.equal(true)
    }
  })

  it('rejects tcp, circuit and quic addresses', () => {
    for (const a of [
      '/ip4/127.0.0.1/tcp/1',
      '/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV/p2p-circuit',
      '/ip4/127.0.0.1/udp/1/quic-v1'
    ]) {
      expect(isWebSocketAddress(multiaddr(a)), a).to.equal(false)
    }
  })

  it('builds URLs with the spec default ports, SNI and path', () => {
    expect(toWebSocketAddress(multiaddr('/ip4/192.0.2.0/ws')).url).to.equal('ws://192.0.2.0:80/')
    expect(toWebSocketAddress(multiaddr('/ip4/192.0.2.0/tls/ws')).url).to.equal('wss://192.0.2.0:443/')
    expect(toWebSocketAddress(multiaddr('/ip6/::1/tcp/5/ws')).url).to.equal('ws://[::1]:5/')
    const sni = toWebSocketAddress(multiaddr('/ip4/192.0.2.0/tcp/1234/tls/sni/foo.example.com/ws'))
    expect(sni).to.include({ url: 'wss://192.0.2.0:1234/', servername: 'foo.example.com', secure: true, form: 'tls/ws' })
    const path = toWebSocketAddress(multiaddr('/dns/example.com/wss/http-path/path%2Fto%2Fendpoint'))
    expect(path).to.include({ url: 'wss://example.com:443/path/to/endpoint', dns: true, family: 0, form: 'wss' })
    expect(() => toWebSocketAddress(multiaddr('/ip4/1.2.3.4/tcp/1'))).to.throw().with.property('name', 'UnsupportedAddressError')
  })

  it('tells secure addresses apart', () => {
    expect(isSecureWebSocketAddress(multiaddr('/ip4/1.2.3.4/tcp/1/wss'))).to.equal(true)
    expect(isSecureWebSocketAddress(multiaddr('/ip4/1.2.3.4/tcp/1/tls/ws'))).to.equal(true)
    expect(isSecureWebSocketAddress(multiaddr('/ip4/1.2.3.4/tcp/1/ws'))).to.equal(false)
  })

  it('makes listen multiaddrs, unmapping IPv4-mapped IPv6', () => {
    expect(toMultiaddr('::ffff:127.0.0.1', 1).toString()).to.equal('/ip4/127.0.0.1/tcp/1/ws')
    expect(toMultiaddr('::1', 2, 'tls/ws').toString()).to.equal('/ip6/::1/tcp/2/tls/ws')
    expect(toMultiaddr('127.0.0.1', 3, 'wss').toString()).to.equal('/ip4/127.0.0.1/tcp/3/wss')
  })

  it('filters: all, dnsWss, dnsWsOrWss', () => {
    const addrs = ['/ip4/1.2.3.4/tcp/1/ws', '/ip4/1.2.3.4/tcp/1/wss', '/dns/a.com/tcp/1/ws', '/dns/a.com/tcp/443/wss', '/dns/a.com/tcp/443/tls/ws', '/ip4/1.2.3.4/tcp/1'].map(a => multiaddr(a))
    expect(filters.all(addrs).map(String)).to.deep.equal(['/ip4/1.2.3.4/tcp/1/ws', '/ip4/1.2.3.4/tcp/1/wss', '/dns/a.com/tcp/1/ws', '/dns/a.com/tcp/443/wss', '/dns/a.com/tcp/443/tls/ws'])
    expect(filters.dnsWss(addrs).map(String)).to.deep.equal(['/dns/a.com/tcp/443/wss', '/dns/a.com/tcp/443/tls/ws'])
    expect(filters.dnsWsOrWss(addrs).map(String)).to.deep.equal(['/dns/a.com/tcp/1/ws', '/dns/a.com/tcp/443/wss', '/dns/a.com/tcp/443/tls/ws'])
  })
})
