import { expect } from 'chai'
import { commandHelp, deadline, intFlag, parseCommandArgs } from '../src/command.js'
import { pingCommand } from '../src/commands/ping.js'

describe('command', () => {
  it('deadline fires a TimeoutError after its time, follows its parent, and clear() stops the timer', async () => {
    const t = deadline(new AbortController().signal, 30)
    await new Promise(resolve => setTimeout(resolve, 60))
    expect(t.signal.aborted).to.equal(true)
    expect(t.signal.reason.name).to.equal('TimeoutError')
    const parent = new AbortController()
    const p = deadline(parent.signal, 10_000)
    parent.abort(new Error('interrupted'))
    expect(p.signal.aborted).to.equal(true)
    expect(p.signal.reason.message).to.equal('interrupted')
    p.clear()
    const c = deadline(new AbortController().signal, 20)
    c.clear()
    await new Promise(resolve => setTimeout(resolve, 40))
    expect(c.signal.aborted).to.equal(false)
  })

  it('parses flags strictly and checks integer flags', () => {
    const { values, positionals } = parseCommandArgs(pingCommand, ['-c', '5', '/ip4/1.2.3.4/tcp/1'])
    expect(intFlag(values, 'count', 3, 1, 10)).to.equal(5)
    expect(positionals).to.deep.equal(['/ip4/1.2.3.4/tcp/1'])
    expect(() => intFlag({ count: '0' }, 'count', 3, 1, 10)).to.throw(/from 1 to 10/).with.property('name', 'UsageError')
    expect(() => parseCommandArgs(pingCommand, ['--bogus'])).to.throw().with.property('name', 'UsageError')
    expect(commandHelp(pingCommand)).to.match(/-h, --help/)
  })
})
