import { expect } from 'chai'
import { SeenCache } from '../src/seen-cache.js'

describe('seen-cache', () => {
  it('add returns true for new ids and false for duplicates within the TTL', () => {
    let now = 1000
    const cache = new SeenCache({ ttl: 100, now: () => now })
    expect(cache.add('a')).to.equal(true)
    expect(cache.add('a')).to.equal(false)
    expect(cache.has('a')).to.equal(true)
    now += 99
    expect(cache.add('a')).to.equal(false)
    now += 1
    expect(cache.has('a')).to.equal(false)
    expect(cache.add('a')).to.equal(true)
  })

  it('prunes expired entries from the oldest on', () => {
    let now = 0
    const cache = new SeenCache({ ttl: 10, now: () => now })
    for (let i = 0; i < 10; i++) {
      cache.add(String(i))
      now += 1
    }
    now = 15 // entries 0..5 expired
    cache.prune()
    expect(cache.size).to.equal(4)
    expect(cache.has('5')).to.equal(false)
    expect(cache.has('6')).to.equal(true)
  })

  it('never holds more than maxSize entries (the oldest go first)', () => {
    const cache = new SeenCache({ ttl: 1e9, maxSize: 100 })
    for (let i = 0; i < 1000; i++) cache.add(String(i))
    expect(cache.size).to.equal(100)
    expect(cache.has('899')).to.equal(false)
    expect(cache.has('900')).to.equal(true)
    cache.delete('900')
    expect(cache.has('900')).to.equal(false)
    cache.clear()
    expect(cache.size).to.equal(0)
  })
})
