import { expect } from 'chai'
import { AddressInUseError, ConnectionRefusedError, SocketError, UnsupportedAddressError, toSocketError } from '../src/errors.js'

function sysError (code: string): Error {
  return Object.assign(new Error(`boom ${code}`), { code })
}

describe('errors', () => {
  it('have static and instance names', () => {
    for (const E of [AddressInUseError, ConnectionRefusedError, SocketError, UnsupportedAddressError]) {
      const err = new E()
      expect(err.name).to.equal(E.name)
      expect(err).to.be.an.instanceOf(Error)
    }
  })

  it('map node:net codes to typed errors', () => {
    expect(toSocketError(sysError('ECONNREFUSED'), 'dial x')).to.be.an.instanceOf(ConnectionRefusedError)
    expect(toSocketError(sysError('EADDRINUSE'), 'listen x')).to.be.an.instanceOf(AddressInUseError)
    expect(toSocketError(sysError('ECONNRESET'), 'x').name).to.equal('StreamResetError')
    expect(toSocketError(sysError('EPIPE'), 'x').name).to.equal('StreamResetError')
    expect(toSocketError(sysError('ETIMEDOUT'), 'x').name).to.equal('TimeoutError')
    expect(toSocketError(sysError('ABORT_ERR'), 'x').name).to.equal('AbortError')
    const other = toSocketError(sysError('EHOSTUNREACH'), 'dial y')
    expect(other).to.be.an.instanceOf(SocketError).with.property('code', 'EHOSTUNREACH')
    expect(other.message).to.include('dial y failed').and.include('EHOSTUNREACH')
  })

  it('keeps errors that are already typed', () => {
    const err = new Error('t')
    err.name = 'TimeoutError'
    expect(toSocketError(err, 'x')).to.equal(err)
  })
})
