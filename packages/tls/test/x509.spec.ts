import { expect } from 'chai'
import * as x509 from '../src/x509.js'

describe('x509', () => {
  it('loads @peculiar/x509 with the Reflect metadata API in place', () => {
    expect(typeof (Reflect as any).getMetadata).to.equal('function')
    expect(x509.X509Certificate).to.be.a('function')
  })
})
