import { expect } from 'chai'
import { JsonChild } from '../src/index.js'

const ECHO = `
process.stdout.write('not json\\n' + JSON.stringify({ ready: true }) + '\\n')
process.stdin.on('data', (d) => { for (const line of String(d).split('\\n').filter(Boolean)) process.stdout.write(JSON.stringify({ echo: JSON.parse(line) }) + '\\n') })
process.stdin.on('end', () => { process.exit(0) })
`

describe('JsonChild', function () {
  this.timeout(10_000)

  it('collects JSON lines (skipping others), answers next() for past and future lines, and sends lines to stdin', async () => {
    const child = new JsonChild([process.execPath, '-e', ECHO])
    try {
      expect(await child.next(l => l.ready === true, 5_000)).to.deep.equal({ ready: true })
      child.send({ n: 1 })
      child.send({ n: 2 })
      expect((await child.next(l => l.echo?.n === 2, 5_000)).echo).to.deep.equal({ n: 2 })
      expect(child.lines).to.deep.equal([{ ready: true }, { echo: { n: 1 } }, { echo: { n: 2 } }])
      // from: only lines at or after that index
      const err = await child.next(l => l.ready === true, 100, 1).then(() => undefined, (e: Error) => e)
      expect(err?.message).to.match(/no matching line within 100 ms/)
    } finally {
      await child.stop()
    }
    expect(child.process.exitCode != null || child.process.signalCode != null).to.equal(true)
  })
})
