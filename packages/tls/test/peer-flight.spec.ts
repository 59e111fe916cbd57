import { expect } from 'chai'
import { PeerFlight, countCertificateEntries, hkdfExpandLabel } from '../src/peer-flight.js'

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex')

function certificateBody (certs: Uint8Array[], context = new Uint8Array()): Uint8Array {
  const entries = certs.map(c => Buffer.concat([Buffer.from([c.byteLength >> 16, (c.byteLength >> 8) & 0xff, c.byteLength & 0xff]), c, Buffer.from([0, 0])]))
  const list = Buffer.concat(entries)
  return Buffer.concat([Buffer.from([context.byteLength]), context, Buffer.from([list.byteLength >> 16, (list.byteLength >> 8) & 0xff, list.byteLength & 0xff]), list])
}

describe('peer flight', () => {
  it('HKDF-Expand-Label matches RFC 8448 (server handshake write key and iv)', () => {
    const secret = hex('b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38')
    expect(hkdfExpandLabel('sha256', secret, 'key', 16).toString('hex')).to.equal('3fce516009c21727d0f2e4e86ee403bc')
    expect(hkdfExpandLabel('sha256', secret, 'iv', 12).toString('hex')).to.equal('5d313eb2671276ee13000b30')
  })

  it('counts the entries of a Certificate message', () => {
    expect(countCertificateEntries(certificateBody([]))).to.equal(0)
    expect(countCertificateEntries(certificateBody([Uint8Array.of(1, 2, 3)]))).to.equal(1)
    expect(countCertificateEntries(certificateBody([Uint8Array.of(1), Uint8Array.of(2)], Uint8Array.of(9)))).to.equal(2)
  })

  it('rejects malformed Certificate messages', () => {
    const good = certificateBody([Uint8Array.of(1, 2, 3)])
    for (const bad of [new Uint8Array(), good.subarray(0, good.byteLength - 1), Uint8Array.of(...good, 0), Uint8Array.of(5)]) {
      expect(() => countCertificateEntries(bad)).to.throw().with.property('name', 'InvalidCertificateError')
    }
  })

  it('refuses to count without the secret, under an unknown suite, or from an incomplete flight', () => {
    const flight = new PeerFlight(true)
    expect(() => flight.countCertificates('TLS_AES_128_GCM_SHA256')).to.throw(/secret/)
    flight.keylog(Buffer.from(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${'00'.repeat(32)} ${'11'.repeat(32)}\n`))
    expect(() => flight.countCertificates('TLS_AES_128_CCM_SHA256')).to.throw(/cipher suite/)
    // a plaintext ServerHello-like record and nothing encrypted
    flight.record(Uint8Array.of(22, 3, 3, 0, 1, 2))
    expect(() => flight.countCertificates('TLS_AES_128_GCM_SHA256')).to.throw(/did not complete/)
    // an encrypted record that does not decrypt
    flight.record(Uint8Array.of(23, 3, 3, 0, 17, ...new Uint8Array(17)))
    expect(() => flight.countCertificates('TLS_AES_128_GCM_SHA256')).to.throw(/Could not read/)
  })

  it('keeps at most the bound of bytes', () => {
    const flight = new PeerFlight(false)
    flight.record(new Uint8Array(60 * 1024))
    flight.record(new Uint8Array(60 * 1024))
    flight.keylog(Buffer.from(`CLIENT_HANDSHAKE_TRAFFIC_SECRET ${'00'.repeat(32)} ${'11'.repeat(32)}`))
    // zero bytes parse as records of an unknown type 0
    expect(() => flight.countCertificates('TLS_AES_128_GCM_SHA256')).to.throw(/unknown type 0/)
  })
})
