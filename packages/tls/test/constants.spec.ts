import { expect } from 'chai'
import { ALPN_LIBP2P, LIBP2P_PUBLIC_KEY_EXTENSION_OID, PROTOCOL, SIGNATURE_PREFIX, TLS_VERSION, UNDERSTOOD_CRITICAL_EXTENSIONS } from '../src/constants.js'

describe('constants', () => {
  it('match tls.md', () => {
    expect(PROTOCOL).to.equal('/tls/1.0.0')
    expect(ALPN_LIBP2P).to.equal('libp2p')
    expect(LIBP2P_PUBLIC_KEY_EXTENSION_OID).to.equal('1.3.6.1.4.1.53594.1.1')
    expect(SIGNATURE_PREFIX).to.equal('libp2p-tls-handshake:')
    expect(TLS_VERSION).to.equal('TLSv1.3')
    expect(UNDERSTOOD_CRITICAL_EXTENSIONS.has(LIBP2P_PUBLIC_KEY_EXTENSION_OID)).to.equal(true)
  })
})
