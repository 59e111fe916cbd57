import { expect } from 'chai'
import { InactivityTimer } from '../src/inactivity-timer.js'
import { delay } from './fixtures/test-streams.js'

describe('InactivityTimer', () => {
  it('fires once after the timeout without activity', async () => {
    const fired: number[] = []
    const timer = new InactivityTimer(idleFor => { fired.push(idleFor) })
    timer.timeout = 20
    await delay(60)
    expect(fired).to.have.lengthOf(1)
    expect(fired[0]).to.be.at.least(19)
  })

  it('is pushed back by touch()', async () => {
    let fired = false
    const timer = new InactivityTimer(() => { fired = true })
    timer.timeout = 40
    for (let i = 0; i < 4; i++) {
      await delay(20)
      timer.touch()
    }
    expect(fired).to.equal(false)
    await delay(70)
    expect(fired).to.equal(true)
  })

  it('is disabled by 0 and by clear()', async () => {
    let fired = 0
    const timer = new InactivityTimer(() => { fired++ })
    timer.timeout = 10
    timer.timeout = 0
    await delay(30)
    timer.timeout = 10
    timer.clear()
    await delay(30)
    expect(fired).to.equal(0)
    expect(timer.timeout).to.equal(10)
  })
})
