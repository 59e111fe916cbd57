import { PassThrough } from 'node:stream'
import { expect } from 'chai'
import { ChatScreen, fit, renderScreen, wrap } from '../../src/chat/screen.js'

describe('chat screen', () => {
  it('fits and wraps text to columns', () => {
    expect(fit('abc', 5)).to.equal('abc  ')
    expect(fit('abcdef', 4)).to.equal('abc…')
    expect(wrap('abcdefg', 3)).to.deep.equal(['abc', 'def', 'g'])
    expect(wrap('', 3)).to.deep.equal([''])
  })

  it('renders the title, the last lines that fit, the members and the input', () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({ kind: 'message' as const, text: `line ${i}`, nick: 'bob', peerId: '12D3KooWabcdefghijklmn', time: new Date(0) }))
    const frame = renderScreen({ title: 'room x', lines, members: [{ peerId: '12D3KooWzzzzzzzz', nick: 'bob' }], input: 'typing', columns: 80, rows: 10 })
    const rows = frame.split('\r\n')
    expect(rows).to.have.lengthOf(10)
    expect(rows[0]).to.include('room x')
    expect(frame).to.include('line 29')
    expect(frame).to.not.include('line 22')
    expect(rows[1]).to.match(/│in the room: 2/)
    expect(rows[3]).to.match(/│bob …zzzzzz/)
    expect(rows[9]).to.match(/> typing$/)
  })

  it('edits the input line and hands over complete lines and quits', () => {
    const out = new PassThrough()
    out.resume()
    const sent: string[] = []
    let quit = 0
    const screen = new ChatScreen(out, 't', (line) => sent.push(line), () => { quit++ })
    screen.input('hex\x7fllo\r')
    screen.input('\x1b[Aabc\x15xyz\r   \r')
    expect(sent).to.deep.equal(['hello', 'xyz'])
    screen.input('\x03')
    expect(quit).to.equal(1)
  })
})
