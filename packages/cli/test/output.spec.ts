import { PassThrough } from 'node:stream'
import { expect } from 'chai'
import { Output, formatBitRate, formatBytes, parseBytes } from '../src/output.js'

function capture (): { io: any, text: () => string } {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let text = ''
  stdout.on('data', (d) => { text += String(d) })
  return { io: { stdin: new PassThrough(), stdout, stderr, env: {}, cwd: '/' }, text: () => text }
}

describe('output', () => {
  it('formats sizes and rates', () => {
    expect(formatBytes(512)).to.equal('512 B')
    expect(formatBytes(10 * 1024 * 1024)).to.equal('10.0 MiB')
    expect(formatBitRate(125_000_000)).to.equal('1.0 Gbit/s')
    expect(formatBitRate(0)).to.equal('0.0 bit/s')
  })

  it('parses size flags and refuses nonsense', () => {
    expect(parseBytes('100')).to.equal(100)
    expect(parseBytes('64KiB')).to.equal(65536)
    expect(parseBytes('10m')).to.equal(10 * 1024 * 1024)
    expect(parseBytes('1GiB')).to.equal(1024 ** 3)
    expect(parseBytes('ten')).to.be.NaN
    expect(parseBytes('-1')).to.be.NaN
    expect(parseBytes('1e400')).to.be.NaN
  })

  it('writes human lines or JSON lines', async () => {
    const human = capture()
    new Output(human.io, false).result('hello', { a: 1 })
    expect(human.text()).to.equal('hello\n')
    const json = capture()
    const out = new Output(json.io, true)
    out.result('hello', { a: 1n, b: new Uint8Array([1, 2]) })
    out.say('human only')
    expect(json.text()).to.equal('{"a":"1","b":"AQI="}\n')
  })
})
