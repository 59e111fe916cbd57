/**
 * The libp2p TLS certificate: creation and verification, per tls.md "Peer
 * Authentication". X.509 parsing and signing use @peculiar/x509 (over Node's
 * WebCrypto); the SignedKey ASN.1 structure uses asn1js.
 */
import { webcrypto } from 'node:crypto'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { UnexpectedPeerError } from '@ts-libp2p/interface'
import { peerIdFromPublicKey } from '@ts-libp2p/peer-id'
import * as asn1js from 'asn1js'
import { CERTIFICATE_NOT_BEFORE_SKEW_MS, CERTIFICATE_VALIDITY_MS, LIBP2P_PUBLIC_KEY_EXTENSION_OID, MAX_CERTIFICATE_LENGTH, SIGNATURE_PREFIX, UNDERSTOOD_CRITICAL_EXTENSIONS } from './constants.js'
import { InvalidCertificateError } from './errors.js'
import type { AbortOptions, PeerId, PrivateKey, PublicKey } from '@ts-libp2p/interface'
import * as x509 from './x509.js'

const crypto = webcrypto as unknown as Crypto

/** The certificate key: ECDSA P-256, as tls.md asks for an efficient elliptic curve. */
const CERTIFICATE_KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' }
const CERTIFICATE_SIGNING_ALGORITHM: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' }

/** A certificate and its key, in the PEM form Node's TLS takes. */
export interface CertificateAndKey {
  /** The self-signed certificate, PEM. */
  cert: string
  /** The certificate's private key (not the host key), PKCS#8 PEM. */
  key: string
  /** The certificate, DER. */
  der: Uint8Array
  /** When it was made (ms since the epoch), for reuse windows. */
  createdAt: number
}

/** Who a verified certificate belongs to. */
export interface VerifiedCertificate {
  /** The host public key carried in the libp2p Public Key Extension. */
  publicKey: PublicKey
  /** The peer id derived from it. */
  peerId: PeerId
}

/** Options for {@link generateCertificate}. */
export interface GenerateCertificateOptions extends AbortOptions {
  /** The time to issue the certificate at (ms since the epoch). Default now. */
  now?: number
  /** NotBefore; default `now` minus an hour of clock skew. */
  notBefore?: Date
  /** NotAfter; default `now` plus 100 years. */
  notAfter?: Date
}

/**
 * The bytes the host key signs: "libp2p-tls-handshake:" followed by the
 * certificate key's SubjectPublicKeyInfo, DER (tls.md, "libp2p Public Key
 * Extension").
 */
export function signatureData (spki: Uint8Array): Uint8Array {
  const prefix = new TextEncoder().encode(SIGNATURE_PREFIX)
  const out = new Uint8Array(prefix.byteLength + spki.byteLength)
  out.set(prefix, 0)
  out.set(spki, prefix.byteLength)
  return out
}

/** DER of `SignedKey ::= SEQUENCE { publicKey OCTET STRING, signature OCTET STRING }`. */
export function encodeSignedKey (publicKey: Uint8Array, signature: Uint8Array): Uint8Array<ArrayBuffer> {
  const der = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: publicKey }),
      new asn1js.OctetString({ valueHex: signature })
    ]
  }).toBER(false)
  return new Uint8Array(der)
}

/**
 * Reads a DER `SignedKey`. Strict: exactly a SEQUENCE of two primitive OCTET
 * STRINGs and no trailing bytes, else InvalidCertificateError.
 */
export function decodeSignedKey (der: Uint8Array): { publicKey: Uint8Array, signature: Uint8Array } {
  const parsed = parseBer(der, 'The libp2p Public Key Extension')
  if (parsed.offset === -1 || parsed.offset !== der.byteLength) {
    throw new InvalidCertificateError('The libp2p Public Key Extension is not valid DER')
  }
  const seq = parsed.result
  if (!(seq instanceof asn1js.Sequence) || seq.valueBlock.value.length !== 2) {
    throw new InvalidCertificateError('The libp2p Public Key Extension is not a SignedKey SEQUENCE of two fields')
  }
  const [publicKey, signature] = seq.valueBlock.value
  if (!(publicKey instanceof asn1js.OctetString) || !(signature instanceof asn1js.OctetString) || publicKey.idBlock.isConstructed || signature.idBlock.isConstructed) {
    throw new InvalidCertificateError('The SignedKey fields of the libp2p Public Key Extension are not OCTET STRINGs')
  }
  return {
    publicKey: new Uint8Array(publicKey.valueBlock.valueHexView),
    signature: new Uint8Array(signature.valueBlock.valueHexView)
  }
}

/**
 * asn1js throws its own untyped errors (a plain Error for a malformed
 * GeneralizedTime, a RangeError for a UniversalString of odd length) from
 * inside fromBER; bytes from a peer must only ever give InvalidCertificateError.
 */
function parseBer (der: Uint8Array, what: string): ReturnType<typeof asn1js.fromBER> {
  try {
    return asn1js.fromBER(der)
  } catch (err: any) {
    throw new InvalidCertificateError(`${what} is not valid DER: ${String(err?.message ?? err)}`)
  }
}

function randomSerialNumber (): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  // positive and of full length
  bytes[0] = (bytes[0] & 0x7f) | 0x40
  return Buffer.from(bytes).toString('hex')
}

/**
 * Makes a self-signed certificate with a fresh ECDSA P-256 key, carrying the
 * libp2p Public Key Extension (marked critical) signed by the host key.
 */
export async function generateCertificate (hostKey: PrivateKey, options: GenerateCertificateOptions = {}): Promise<CertificateAndKey> {
  const now = options.now ?? Date.now()
  const keys = await crypto.subtle.generateKey(CERTIFICATE_KEY_ALGORITHM, true, ['sign', 'verify'])
  options.signal?.throwIfAborted()
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey))
  const signature = await hostKey.sign(signatureData(spki), options)
  options.signal?.throwIfAborted()
  const notAfter = options.notAfter ?? new Date(now + CERTIFICATE_VALIDITY_MS)
  const notBefore = options.notBefore ?? new Date(now - CERTIFICATE_NOT_BEFORE_SKEW_MS)
  // X.509 times have a resolution of one second
  notAfter.setMilliseconds(0)
  notBefore.setMilliseconds(0)
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    notBefore,
    notAfter,
    signingAlgorithm: CERTIFICATE_SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.Extension(LIBP2P_PUBLIC_KEY_EXTENSION_OID, true, encodeSignedKey(publicKeyToProtobuf(hostKey.publicKey), signature))
    ]
  }, crypto)
  options.signal?.throwIfAborted()
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey))
  const der = new Uint8Array(certificate.rawData)
  return {
    cert: x509.PemConverter.encode(der, 'CERTIFICATE'),
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    der,
    createdAt: now
  }
}

/**
 * tls.md "Peer Authentication": "Certificates MUST omit the deprecated
 * subjectUniqueId and issuerUniqueId fields. Endpoints MAY abort the
 * connection attempt if either is present." We do: they are the TBSCertificate
 * fields tagged [1] and [2] (RFC 5280 4.1), which @peculiar/x509 does not
 * surface, so we look at the TBSCertificate with asn1js.
 */
function rejectUniqueIds (der: Uint8Array): void {
  const parsed = parseBer(der, 'The certificate')
  const tbs = parsed.result instanceof asn1js.Sequence ? parsed.result.valueBlock.value[0] : undefined
  if (!(tbs instanceof asn1js.Sequence)) {
    return
  }
  for (const field of tbs.valueBlock.value) {
    // context-specific class, tags 1 (issuerUniqueID) and 2 (subjectUniqueID)
    if (field.idBlock.tagClass === 3 && (field.idBlock.tagNumber === 1 || field.idBlock.tagNumber === 2)) {
      throw new InvalidCertificateError(`The certificate has the deprecated ${field.idBlock.tagNumber === 1 ? 'issuerUniqueID' : 'subjectUniqueID'} field`)
    }
  }
}

/** Options for {@link verifyCertificate}. */
export interface VerifyCertificateOptions {
  /** The peer we expect; another identity fails with UnexpectedPeerError. */
  expectedPeer?: PeerId
  /** The time to check validity at (ms since the epoch). Default now. */
  now?: number
}

/**
 * Checks a peer's certificate as tls.md "Peer Authentication" requires and
 * returns the identity it proves: valid now, a valid self-signature, no
 * critical extension we do not understand, exactly one libp2p Public Key
 * Extension whose host-key signature over the certificate key verifies, and
 * (if given) the expected peer. Throws InvalidCertificateError or
 * UnexpectedPeerError.
 */
export async function verifyCertificate (der: Uint8Array, options: VerifyCertificateOptions = {}): Promise<VerifiedCertificate> {
  if (der.byteLength > MAX_CERTIFICATE_LENGTH) {
    throw new InvalidCertificateError(`The certificate is ${der.byteLength} bytes, over the limit of ${MAX_CERTIFICATE_LENGTH}`)
  }
  let certificate: x509.X509Certificate
  try {
    // copy: the parser wants an ArrayBuffer-backed view
    certificate = new x509.X509Certificate(new Uint8Array(der))
  } catch (err: any) {
    throw new InvalidCertificateError(`The certificate could not be parsed: ${err?.message ?? err}`, { cause: err })
  }

  rejectUniqueIds(der)

  const now = options.now ?? Date.now()
  if (certificate.notBefore.getTime() > now) {
    throw new InvalidCertificateError(`The certificate is not valid before ${certificate.notBefore.toISOString()}`)
  }
  if (certificate.notAfter.getTime() < now) {
    throw new InvalidCertificateError(`The certificate expired at ${certificate.notAfter.toISOString()}`)
  }

  let selfSigned: boolean
  try {
    selfSigned = await certificate.verify({ signatureOnly: true }, crypto)
  } catch (err: any) {
    throw new InvalidCertificateError(`The certificate's self-signature could not be checked: ${err?.message ?? err}`, { cause: err })
  }
  if (!selfSigned) {
    throw new InvalidCertificateError('The certificate\'s self-signature is not valid')
  }

  let extension: x509.Extension | undefined
  for (const ext of certificate.extensions) {
    if (ext.type === LIBP2P_PUBLIC_KEY_EXTENSION_OID) {
      if (extension != null) {
        throw new InvalidCertificateError('The certificate carries the libp2p Public Key Extension twice')
      }
      extension = ext
    } else if (ext.critical && !UNDERSTOOD_CRITICAL_EXTENSIONS.has(ext.type)) {
      throw new InvalidCertificateError(`The certificate has a critical extension we do not understand: ${ext.type}`)
    }
  }
  if (extension == null) {
    throw new InvalidCertificateError('The certificate does not carry the libp2p Public Key Extension')
  }

  const signedKey = decodeSignedKey(new Uint8Array(extension.value))
  let publicKey: PublicKey
  try {
    publicKey = publicKeyFromProtobuf(signedKey.publicKey)
  } catch (err: any) {
    throw new InvalidCertificateError(`The host public key in the certificate is not valid: ${err?.message ?? err}`, { cause: err })
  }

  const spki = new Uint8Array(certificate.publicKey.rawData)
  let valid: boolean
  try {
    valid = await publicKey.verify(signatureData(spki), signedKey.signature)
  } catch (err: any) {
    throw new InvalidCertificateError(`The host key signature in the certificate could not be checked: ${err?.message ?? err}`, { cause: err })
  }
  if (!valid) {
    throw new InvalidCertificateError('The host key signature in the libp2p Public Key Extension is not valid')
  }

  const peerId = peerIdFromPublicKey(publicKey)
  if (options.expectedPeer != null && !options.expectedPeer.equals(peerId)) {
    throw new UnexpectedPeerError(`Expected peer ${options.expectedPeer.toString()} but the certificate proves ${peerId.toString()}`)
  }
  return { publicKey, peerId }
}
