import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { isPublicAddress } from '../src/addresses.js'

describe('address classification', () => {
  it('classifies public and private addresses', () => {
    const cases: Array<[string, boolean]> = [
      ['/ip4/8.8.8.8/tcp/1', true], ['/ip4/192.168.1.1/tcp/1', false], ['/ip4/172.20.0.1/tcp/1', false],
      ['/ip4/100.64.0.1/tcp/1', false], ['/ip4/169.254.1.1/tcp/1', false], ['/ip6/::1/tcp/1', false],
      ['/ip6/fd00::1/tcp/1', false], ['/ip6/fe80::1/tcp/1', false], ['/ip6/2001:db8::1/tcp/1', true],
      ['/dns4/example.com/tcp/1', true], ['/dns4/localhost/tcp/1', false], ['/memory/x', false]
    ]
    for (const [addr, expected] of cases) expect(isPublicAddress(multiaddr(addr)), addr).to.equal(expected)
  })
})
