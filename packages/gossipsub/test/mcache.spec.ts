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

  it('charges each held message to a memory scope, refuses (does not cache) past its limit, and returns the bytes on shift and clear', () => {
    const refused: string[] = []
    const scope = {
      used: 0,
      reserveMemory (bytes: number) {
        if (this.used + bytes > 10) {
          refused.push('ResourceLimitError')
          throw Object.assign(new Error('full'), { name: 'ResourceLimitError' })
        }
        this.used += bytes
      },
      releaseMemory (bytes: number) { this.used -= bytes }
    }
    const mc = new MessageCache<string>(2, 1, { scope, sizeOf: (m) => m.length })
    expect(mc.put('a', 't', 'aaaa')).to.equal(true)
    expect(mc.put('b', 't', 'bbbb')).to.equal(true)
    expect(scope.used).to.equal(8)
    expect(mc.put('c', 't', 'cccc')).to.equal(false)
    expect(refused).to.deep.equal(['ResourceLimitError'])
    expect(mc.has('c')).to.equal(false)
    expect(mc.put('a', 't', 'aaaa')).to.equal(false)
    expect(scope.used).to.equal(8)
    mc.shift()
    mc.put('d', 't', 'dd')
    expect(scope.used).to.equal(10)
    mc.shift()
    expect(scope.used).to.equal(2)
    expect(mc.get('a')).to.equal(undefined)
    mc.clear()
    expect(scope.used).to.equal(0)
    expect(mc.size).to.equal(0)
    expect(mc.getGossipIDs('t')).to.deep.equal([])
  })
})
