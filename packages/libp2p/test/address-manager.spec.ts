import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { AddressManager, MAX_OBSERVED_ADDRS } from '../src/index.js'
import type { Multiaddr } from '@multiformats/multiaddr'

function manager (listening: string[], init: ConstructorParameters<typeof AddressManager>[1] = {}): AddressManager {
  return new AddressManager({ transportManager: { getAddrs: (): Multiaddr[] => listening.map(a => multiaddr(a)) } }, init)
}

const strings = (addrs: Multiaddr[]): string[] => addrs.map(String)

describe('address manager', () => {
  it('advertises the transport addresses, minus noAnnounce, plus appendAnnounce', () => {
    const am = manager(['/ip4/127.0.0.1/tcp/4001', '/ip4/192.168.1.2/tcp/4001'], {
      listen: ['/ip4/0.0.0.0/tcp/4001'],
      noAnnounce: ['/ip4/192.168.1.2'],
      appendAnnounce: ['/dns4/example.com/tcp/443/wss']
    })
    expect(strings(am.getListenAddrs())).to.deep.equal(['/ip4/0.0.0.0/tcp/4001'])
    expect(strings(am.getAddresses())).to.deep.equal(['/ip4/127.0.0.1/tcp/4001', '/dns4/example.com/tcp/443/wss'])
  })

  it('advertises exactly the announce addresses when given', () => {
    const am = manager(['/ip4/127.0.0.1/tcp/4001'], { announce: ['/ip4/1.2.3.4/tcp/4001'] })
    expect(strings(am.getAnnounceAddrs())).to.deep.equal(['/ip4/1.2.3.4/tcp/4001'])
    expect(strings(am.getAddresses())).to.deep.equal(['/ip4/1.2.3.4/tcp/4001'])
  })

  it('advertises an observed address only once confirmed, and not after it expires', async () => {
    const am = manager(['/ip4/127.0.0.1/tcp/4001'])
    const observed = multiaddr('/ip4/5.6.7.8/tcp/4001')
    am.addObservedAddr(observed)
    expect(strings(am.getObservedAddrs())).to.deep.equal(['/ip4/5.6.7.8/tcp/4001'])
    expect(strings(am.getAddresses())).to.not.include('/ip4/5.6.7.8/tcp/4001')
    am.confirmObservedAddr(observed, { ttl: 30 })
    expect(strings(am.getAddresses())).to.include('/ip4/5.6.7.8/tcp/4001')
    const meta = am.getAddressesWithMetadata().find(a => a.multiaddr.equals(observed))
    expect(meta?.verified).to.equal(true)
    expect(meta?.type).to.equal('observed')
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(strings(am.getAddresses())).to.not.include('/ip4/5.6.7.8/tcp/4001')
    am.removeObservedAddr(observed)
    expect(am.getObservedAddrs()).to.have.length(0)
  })

  it('bounds the observed addresses, dropping unconfirmed ones first', () => {
    const am = manager([])
    const confirmed = multiaddr('/ip4/9.9.9.9/tcp/1')
    am.confirmObservedAddr(confirmed)
    for (let i = 0; i < MAX_OBSERVED_ADDRS * 3; i++) am.addObservedAddr(multiaddr(`/ip4/1.1.1.1/tcp/${i + 1}`))
    expect(am.getObservedAddrs()).to.have.length(MAX_OBSERVED_ADDRS)
    expect(strings(am.getObservedAddrs())).to.include(confirmed.toString())
  })

  it('adds DNS and public address mappings of listen addresses', () => {
    const am = manager(['/ip4/10.0.0.5/tcp/4001'])
    am.addDNSMapping('node.example.com', ['10.0.0.5'])
    am.addPublicAddressMapping('10.0.0.5', 4001, '203.0.113.7', 40001)
    expect(strings(am.getAddresses())).to.deep.equal(['/ip4/10.0.0.5/tcp/4001', '/dns4/node.example.com/tcp/4001', '/ip4/203.0.113.7/tcp/40001'])
    am.removeDNSMapping('node.example.com')
    am.removePublicAddressMapping('10.0.0.5', 4001, '203.0.113.7', 40001)
    expect(strings(am.getAddresses())).to.deep.equal(['/ip4/10.0.0.5/tcp/4001'])
  })

  it('tells the node when the advertised addresses may have changed', () => {
    let changes = 0
    const am = new AddressManager({ transportManager: { getAddrs: () => [] }, onAddressesChanged: () => { changes++ } })
    const observed = multiaddr('/ip4/5.6.7.8/tcp/4001')
    am.addObservedAddr(observed)
    expect(changes).to.equal(0) // unconfirmed addresses are not advertised
    am.confirmObservedAddr(observed)
    am.addDNSMapping('a.example.com', ['10.0.0.1'])
    am.addPublicAddressMapping('10.0.0.1', 1, '1.2.3.4')
    am.removePublicAddressMapping('10.0.0.1', 1, '1.2.3.4')
    am.removeDNSMapping('a.example.com')
    am.removeObservedAddr(observed)
    am.removeObservedAddr(observed) // already gone: no change
    expect(changes).to.equal(6)
  })

  it('applies the announce filter and rejects invalid configured addresses', () => {
    const am = manager(['/ip4/127.0.0.1/tcp/1', '/ip4/8.8.8.8/tcp/1'], { announceFilter: (addrs) => addrs.filter(a => !a.toString().includes('127.0.0.1')) })
    expect(strings(am.getAddresses())).to.deep.equal(['/ip4/8.8.8.8/tcp/1'])
    expect(() => manager([], { listen: ['not an address'] })).to.throw().with.property('name', 'InvalidParametersError')
  })
})
