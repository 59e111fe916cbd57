import { expect } from 'chai'
import { MATRIX, cell, cells, rowsOf } from '../src/matrix.js'

describe('matrix table', () => {
  it('has every transport, encrypter and muxer of ours once', () => {
    expect(rowsOf('transport').map(r => r.name)).to.deep.equal(['tcp', 'websockets', 'memory'])
    expect(rowsOf('encrypter').map(r => r.name)).to.deep.equal(['noise', 'tls', 'plaintext'])
    expect(rowsOf('muxer').map(r => r.name)).to.deep.equal(['yamux', 'mplex'])
    expect(new Set(MATRIX.map(r => `${r.role}:${r.name}`)).size).to.equal(MATRIX.length)
  })

  it('crosses the three roles into 18 cells', () => {
    const all = cells()
    expect(all).to.have.length(18)
    expect(new Set(all.map(c => c.name)).size).to.equal(18)
    expect(all[0].name).to.equal('tcp x noise x yamux')
  })

  it('grows by one row: a second muxer row adds a cell per transport and encrypter', () => {
    const extra = { ...rowsOf('muxer')[0], name: 'yamux-again' }
    expect(cells([...MATRIX, extra])).to.have.length(27)
  })

  it('finds a cell by names and refuses an unknown one', () => {
    expect(cell('memory', 'tls', 'mplex').name).to.equal('memory x tls x mplex')
    expect(() => cell('quic', 'noise', 'yamux')).to.throw(RangeError, /no cell quic x noise x yamux/)
  })

  it('gives memory nodes distinct listen addresses and loopback ones otherwise', () => {
    const [tcpRow, wsRow, memoryRow] = rowsOf('transport')
    expect(tcpRow.listen()).to.equal('/ip4/127.0.0.1/tcp/0')
    expect(wsRow.listen()).to.equal('/ip4/127.0.0.1/tcp/0/ws')
    expect(memoryRow.listen()).to.not.equal(memoryRow.listen())
  })
})
