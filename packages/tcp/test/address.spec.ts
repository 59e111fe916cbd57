import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { expandListenAddress, isTcpAddress, toMultiaddr, toNetAddress } from '../src/address.js'

describe('address', () => {
  it('accepts /ip4, /ip6, /dns, /dns4, /dns6 tcp addresses with an optional /p2p', () => {
    for (const a of [
      '/ip4/127.0.0.1/tcp/4001',
      '/ip6/::1/tcp/4001',
      '/dns/localhost/tcp/4001',
      '/dns4/example.com/tcp/4001',
      '/dns6/example.com/tcp/4001',
      '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV'
    ]) {
      expect(isTcpAddress(multiaddr(a)), a).to.equal(true)
    }
  })

  it('rejects websockets, circuit, udp and bare hosts', () => {
    for (const a of [
      '/ip4/127.0.0.1/tcp/4001/ws',
      '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV/p2p-circuit',
      '/ip4/127.0.0.1/udp/4001',
      '/ip4/127.0.0.1'
    ]) {
      expect(isTcpAddress(multiaddr(a)), a).to.equal(false)
    }
  })

  it('reads host, port and family', () => {
    expect(toNetAddress(multiaddr('/ip4/127.0.0.1/tcp/80'))).to.deep.equal({ host: '127.0.0.1', port: 80, family: 4 })
    expect(toNetAddress(multiaddr('/ip6/::1/tcp/81'))).to.deep.equal({ host: '::1', port: 81, family: 6 })
    expect(toNetAddress(multiaddr('/dns/localhost/tcp/82'))).to.deep.equal({ host: 'localhost', port: 82, family: 0 })
    expect(toNetAddress(multiaddr('/dns4/localhost/tcp/83'))).to.deep.equal({ host: 'localhost', port: 83, family: 4 })
    expect(toNetAddress(multiaddr('/dns6/localhost/tcp/84'))).to.deep.equal({ host: 'localhost', port: 84, family: 6 })
  })

  it('throws UnsupportedAddressError for other addresses', () => {
    expect(() => toNetAddress(multiaddr('/ip4/127.0.0.1/udp/1'))).to.throw().with.property('name', 'UnsupportedAddressError')
    expect(() => toNetAddress(multiaddr('/ip4/127.0.0.1/tcp/1/ws'))).to.throw().with.property('name', 'UnsupportedAddressError')
  })

  it('turns socket addresses into multiaddrs, unmapping IPv4-mapped IPv6', () => {
    expect(toMultiaddr('127.0.0.1', 1).toString()).to.equal('/ip4/127.0.0.1/tcp/1')
    expect(toMultiaddr('::ffff:127.0.0.1', 2).toString()).to.equal('/ip4/127.0.0.1/tcp/2')
    expect(toMultiaddr('::1', 3).toString()).to.equal('/ip6/::1/tcp/3')
    expect(() => toMultiaddr('not-an-ip', 4)).to.throw().with.property('name', 'UnsupportedAddressError')
  })

  it('expands wildcards to interface addresses of the family, without link-local IPv6', () => {
    const interfaces: any = {
      lo: [
        { address: '127.0.0.1', family: 'IPv4' },
        { address: '::1', family: 'IPv6' }
      ],
      eth0: [
        { address: '10.0.0.2', family: 'IPv4' },
        { address: 'fd00::2', family: 'IPv6' },
        { address: 'fe80::1', family: 'IPv6' }
      ]
    }
    expect(expandListenAddress('0.0.0.0', 5, interfaces).map(String)).to.deep.equal(['/ip4/127.0.0.1/tcp/5', '/ip4/10.0.0.2/tcp/5'])
    expect(expandListenAddress('::', 6, interfaces).map(String)).to.deep.equal(['/ip6/::1/tcp/6', '/ip6/fd00::2/tcp/6'])
    expect(expandListenAddress('127.0.0.1', 7, interfaces).map(String)).to.deep.equal(['/ip4/127.0.0.1/tcp/7'])
  })
})
