import { expect } from 'chai'
import { AddressInUseError, ConnectionRefusedError, MessageTooLargeError, TextFrameError, UnsupportedAddressError, WebSocketClosedError, WebSocketError, toWebSocketError } from '../src/errors.js'

describe('errors', () => {
  it('have static and instance names', () => {
    for (const err of [new AddressInUseError(), new ConnectionRefusedError(), new MessageTooLargeError(), new TextFrameError(), new UnsupportedAddressError(), new WebSocketClosedError(4000), new WebSocketError()]) {
      expect(err.name).to.equal((err.constructor as any).name)
    }
    expect(new WebSocketClosedError(4001, 'why')).to.include({ code: 4001, reason: 'why' })
  })

  it('map socket and ws codes to typed errors', () => {
    const e = (code: string): Error => Object.assign(new Error(code), { code })
    expect(toWebSocketError(e('ECONNREFUSED'), 'x').name).to.equal('ConnectionRefusedError')
    expect(toWebSocketError(e('EADDRINUSE'), 'x').name).to.equal('AddressInUseError')
    expect(toWebSocketError(e('ECONNRESET'), 'x').name).to.equal('StreamResetError')
    expect(toWebSocketError(e('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'), 'x').name).to.equal('MessageTooLargeError')
    expect(toWebSocketError(e('ERR_TLS_CERT_ALTNAME_INVALID'), 'dial z')).to.include({ name: 'WebSocketError', code: 'ERR_TLS_CERT_ALTNAME_INVALID' })
  })
})
