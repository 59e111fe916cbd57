import { expect } from 'chai'
import { parseMultiaddr, parseTarget } from '../src/target.js'

describe('target', () => {
  it('parses multiaddrs and peer ids, and refuses anything else as a usage error', () => {
    expect(parseTarget('/ip4/127.0.0.1/tcp/1').toString()).to.equal('/ip4/127.0.0.1/tcp/1')
    expect(parseTarget('12D3KooWN93LtmSkoDd8rHavPvDGtRsJYPgWvV4uikrVQyxyHseo').toString()).to.equal('12D3KooWN93LtmSkoDd8rHavPvDGtRsJYPgWvV4uikrVQyxyHseo')
    for (const bad of [undefined, '', 'hello', '/ip4/999.1.1.1/tcp/1']) {
      expect(() => parseTarget(bad)).to.throw().with.property('name', 'UsageError')
    }
    expect(parseMultiaddr('/ip4/127.0.0.1/tcp/1/ws').toString()).to.equal('/ip4/127.0.0.1/tcp/1/ws')
    expect(() => parseMultiaddr('nope')).to.throw().with.property('name', 'UsageError')
  })
})
