import { expect } from 'chai'
import { MessageCache } from '../src/mcache.js'

describe('mcache', () => {
  it('puts, gets and ignores a second put of one id', () => {
    const mc = new MessageCache<string>(5, 3)
    expect(mc.put('a', 't', 'A')).to.equal(true)
    expect(mc.put('a', 't', 'B')).to.equal(false)
    expect(mc.get('a')).to.equal('A')
    expect(mc.has('b')).to.equal(false)
  })

  it('advertises only the newest mcache_gossip windows and forgets after mcache_len shifts', () => {
    const mc = new MessageCache<number>(5, 3)
    for (let w = 0; w < 6; w++) {
      mc.put(`m${w}`, 't', w)
      mc.put(`x${w}`, 'other', w)
      if (w < 5) mc.shift()
    }
    // windows newest first: m5, m4, m3 advertised; m2, m1 cached but not advertised; m0 gone
    expect(mc.getGossipIDs('t')).to.deep.equal(['m5', 'm4', 'm3'])
    expect(mc.get('m1')).to.equal(1)
    expect(mc.get('m0')).to.equal(undefined)
    expect(mc.getGossipIDsByTopic(['t', 'other']).get('other')).to.deep.equal(['x5', 'x4', 'x3'])
    expect(mc.size).to.equal(10)
  })

  it('counts IWANT transmissions per peer', () => {
    const mc = new MessageCache<string>(5, 3)
    mc.put('a', 't', 'A')
    expect(mc.getForPeer('a', 'p1')?.count).to.equal(1)
    expect(mc.getForPeer('a', 'p1')?.count).to.equal(2)
    expect(mc.getForPeer('a', 'p2')?.count).to.equal(1)
    expect(mc.getForPeer('zz', 'p1')).to.equal(undefined)
  })

  it('rejects mcache_gossip > mcache_len', () => {
    expect(() => new MessageCache(2, 3)).to.throw(RangeError)
  })
})
