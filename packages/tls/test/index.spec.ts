import { generateKeyPair } from '@ts-libp2p/crypto'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import * as pkg from '../src/index.js'

describe('index', () => {
  it('the factory builds an encrypter for /tls/1.0.0 from narrow components', async () => {
    const encrypter = pkg.tls()({ privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger() })
    expect(encrypter.protocol).to.equal('/tls/1.0.0')
    expect(encrypter.protocol).to.equal(pkg.PROTOCOL)
    expect(encrypter.secureInbound).to.be.a('function')
    expect(encrypter.secureOutbound).to.be.a('function')
    expect(String(encrypter)).to.equal('[object @ts-libp2p/tls]')
  })

  it('exports the errors and the certificate helpers', () => {
    expect(pkg.InvalidCertificateError.name).to.equal('InvalidCertificateError')
    expect(pkg.HandshakeTimeoutError.name).to.equal('HandshakeTimeoutError')
    expect(pkg.generateCertificate).to.be.a('function')
    expect(pkg.verifyCertificate).to.be.a('function')
  })
})
