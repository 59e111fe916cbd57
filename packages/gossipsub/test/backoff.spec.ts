import { expect } from 'chai'
import { Backoff } from '../src/backoff.js'

describe('backoff', () => {
  it('backs off a peer per topic until the expiry, extends but never shortens', () => {
    let now = 1000
    const b = new Backoff(() => now)
    b.add('t', 'p', 60_000)
    expect(b.isBackoff('t', 'p')).to.equal(true)
    expect(b.isBackoff('u', 'p')).to.equal(false)
    b.add('t', 'p', 10_000)
    expect(b.expiry('t', 'p')).to.equal(61_000)
    now = 61_001
    expect(b.isBackoff('t', 'p')).to.equal(false)
  })

  it('clears expired records after the slack', () => {
    let now = 0
    const b = new Backoff(() => now)
    b.add('t', 'p', 100)
    b.add('t', 'q', 10_000)
    now = 150
    b.clearExpired(100)
    expect(b.size()).to.equal(2)
    now = 250
    b.clearExpired(100)
    expect(b.size()).to.equal(1)
  })
})
