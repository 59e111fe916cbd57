import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import * as asn1js from 'asn1js'
import { expect } from 'chai'
import { decodeSignedKey, encodeSignedKey, generateCertificate, signatureData, verifyCertificate } from '../src/certificate.js'
import { LIBP2P_PUBLIC_KEY_EXTENSION_OID } from '../src/constants.js'
import { SPEC_VECTORS, hostileCertificate } from './fixtures/certificates.js'
import type { PrivateKey } from '@ts-libp2p/interface'
import * as x509 from '../src/x509.js'

async function rejects (p: Promise<unknown>, name: string, message?: RegExp): Promise<Error> {
  try {
    await p
  } catch (err: any) {
    expect(err).to.have.property('name', name)
    if (message != null) {
      expect(err.message).to.match(message)
    }
    return err
  }
  expect.fail(`expected a ${name}`)
}

describe('certificate', () => {
  describe('spec test vectors (tls.md)', () => {
    for (const name of ['ed25519', 'ecdsa', 'secp256k1'] as const) {
      it(`verifies vector "${name}" and derives its peer id`, async () => {
        const { cert, peerId } = SPEC_VECTORS[name]
        const result = await verifyCertificate(Buffer.from(cert, 'hex'))
        expect(result.peerId.toString()).to.equal(peerId)
      })
    }

    it('rejects the invalid vector (peer id and signing key mismatch)', async () => {
      await rejects(verifyCertificate(Buffer.from(SPEC_VECTORS.invalid.cert, 'hex')), 'InvalidCertificateError', /signature/)
    })
  })

  describe('round trip with every host key type', () => {
    const keys: Record<string, () => Promise<PrivateKey>> = {
      Ed25519: async () => generateKeyPair('Ed25519'),
      secp256k1: async () => generateKeyPair('secp256k1'),
      ECDSA: async () => generateKeyPair('ECDSA'),
      RSA: async () => generateKeyPair('RSA', 2048)
    }
    for (const [type, make] of Object.entries(keys)) {
      it(`${type} host key`, async function () {
        this.timeout(20_000)
        const hostKey = await make()
        const { der, cert, key } = await generateCertificate(hostKey)
        expect(cert).to.match(/^-----BEGIN CERTIFICATE-----\n/)
        expect(key).to.match(/^-----BEGIN PRIVATE KEY-----\n/)
        const { peerId } = await verifyCertificate(der, { expectedPeer: peerIdFromPrivateKey(hostKey) })
        expect(peerId.toString()).to.equal(peerIdFromPrivateKey(hostKey).toString())
      })
    }
  })

  it('marks the libp2p extension critical and gives a fresh certificate key each time', async () => {
    const hostKey = await generateKeyPair('Ed25519')
    const a = new x509.X509Certificate(new Uint8Array((await generateCertificate(hostKey)).der))
    const b = new x509.X509Certificate(new Uint8Array((await generateCertificate(hostKey)).der))
    const ext = a.extensions.find(e => e.type === LIBP2P_PUBLIC_KEY_EXTENSION_OID)
    expect(ext?.critical).to.equal(true)
    expect(Buffer.from(a.publicKey.rawData)).to.not.deep.equal(Buffer.from(b.publicKey.rawData))
    expect(a.notBefore.getTime()).to.be.lessThan(Date.now())
    expect(a.notAfter.getTime()).to.be.greaterThan(Date.now() + 50 * 365 * 24 * 3_600_000)
  })

  it('fails with UnexpectedPeerError for another peer', async () => {
    const hostKey = await generateKeyPair('Ed25519')
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const { der } = await generateCertificate(hostKey)
    await rejects(verifyCertificate(der, { expectedPeer: other }), 'UnexpectedPeerError')
  })

  describe('hostile certificates', () => {
    let hostKey: PrivateKey
    before(async () => { hostKey = await generateKeyPair('Ed25519') })

    it('rejects a certificate without the libp2p extension', async () => {
      const { der } = await hostileCertificate(hostKey, { extension: 'none' })
      await rejects(verifyCertificate(der), 'InvalidCertificateError', /does not carry/)
    })

    it('rejects a wrong host-key signature in the extension', async () => {
      const { der } = await hostileCertificate(hostKey, { extension: 'bad-signature' })
      await rejects(verifyCertificate(der), 'InvalidCertificateError', /signature .* not valid/)
    })

    it('rejects an expired certificate', async () => {
      const { der } = await hostileCertificate(hostKey, { notBefore: new Date(Date.now() - 7_200_000), notAfter: new Date(Date.now() - 3_600_000) })
      await rejects(verifyCertificate(der), 'InvalidCertificateError', /expired/)
    })

    it('rejects a certificate not valid yet', async () => {
      const { der } = await hostileCertificate(hostKey, { notBefore: new Date(Date.now() + 3_600_000), notAfter: new Date(Date.now() + 7_200_000) })
      await rejects(verifyCertificate(der), 'InvalidCertificateError', /not valid before/)
    })

    it('rejects an unknown critical extension but accepts an unknown non-critical one', async () => {
      const critical = await hostileCertificate(hostKey, { extraExtensions: [new x509.Extension('1.2.3.4.5', true, new Uint8Array([5, 0]))] })
      await rejects(verifyCertificate(critical.der), 'InvalidCertificateError', /critical extension .* 1\.2\.3\.4\.5/)
      const nonCritical = await hostileCertificate(hostKey, { extraExtensions: [new x509.Extension('1.2.3.4.5', false, new Uint8Array([5, 0]))] })
      const { peerId } = await verifyCertificate(nonCritical.der)
      expect(peerId.toString()).to.equal(peerIdFromPrivateKey(hostKey).toString())
    })

    it('rejects a broken self-signature', async () => {
      const { der } = await generateCertificate(hostKey)
      const tampered = new Uint8Array(der)
      // flip a bit of the ECDSA signature's last integer byte
      tampered[tampered.byteLength - 1] ^= 0x01
      await rejects(verifyCertificate(tampered), 'InvalidCertificateError', /self-signature/)
    })

    it('rejects the deprecated issuerUniqueID / subjectUniqueID fields', async () => {
      for (const tagNumber of [1, 2]) {
        const { der } = await generateCertificate(hostKey)
        const cert = asn1js.fromBER(new Uint8Array(der)).result as asn1js.Sequence
        const tbs = cert.valueBlock.value[0] as asn1js.Sequence
        // after subjectPublicKeyInfo (index 6 with the version field), before the extensions
        tbs.valueBlock.value.splice(7, 0, new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber }, valueHex: Uint8Array.of(0, 1) }))
        const tampered = new Uint8Array(cert.toBER())
        await rejects(verifyCertificate(tampered), 'InvalidCertificateError', tagNumber === 1 ? /issuerUniqueID/ : /subjectUniqueID/)
      }
    })

    it('rejects bytes that are not a certificate, and oversized input', async () => {
      await rejects(verifyCertificate(new Uint8Array([0x30, 0x03, 1, 2, 3])), 'InvalidCertificateError', /parsed/)
      await rejects(verifyCertificate(new Uint8Array(20_000)), 'InvalidCertificateError', /over the limit/)
    })
  })

  describe('SignedKey', () => {
    it('round trips', () => {
      const decoded = decodeSignedKey(encodeSignedKey(Uint8Array.of(1, 2), Uint8Array.of(3)))
      expect(decoded.publicKey).to.deep.equal(Uint8Array.of(1, 2))
      expect(decoded.signature).to.deep.equal(Uint8Array.of(3))
    })

    it('rejects trailing bytes, wrong arity and wrong field types', () => {
      const good = encodeSignedKey(Uint8Array.of(1), Uint8Array.of(2))
      expect(() => decodeSignedKey(Uint8Array.of(...good, 0))).to.throw().with.property('name', 'InvalidCertificateError')
      const one = new Uint8Array(new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: Uint8Array.of(1) })] }).toBER())
      expect(() => decodeSignedKey(one)).to.throw().with.property('name', 'InvalidCertificateError')
      const ints = new Uint8Array(new asn1js.Sequence({ value: [new asn1js.Integer({ value: 1 }), new asn1js.Integer({ value: 2 })] }).toBER())
      expect(() => decodeSignedKey(ints)).to.throw().with.property('name', 'InvalidCertificateError')
      expect(() => decodeSignedKey(Uint8Array.of(0xff))).to.throw().with.property('name', 'InvalidCertificateError')
    })

    it('signs the prefix followed by the SubjectPublicKeyInfo', () => {
      expect(new TextDecoder().decode(signatureData(Uint8Array.of(0x41)))).to.equal('libp2p-tls-handshake:A')
    })
  })
})
