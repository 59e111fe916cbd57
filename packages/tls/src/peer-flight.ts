/**
 * Counts the certificates the remote really sent.
 *
 * tls.md "Peer Authentication": "Endpoints MUST abort the connection attempt
 * if more than one certificate is received". Node's TLS API only shows a
 * peer's chain as issuer links, so an unrelated second certificate is
 * invisible to it. In TLS 1.3 the Certificate message is encrypted under the
 * remote's handshake traffic secret, which node:tls hands out through its
 * `keylog` event; with it we decrypt the remote's handshake records (kept
 * from the raw connection, bounded) and count the entries of its
 * Certificate message (RFC 8446 4.4.2) ourselves.
 */
import { createDecipheriv, createHmac } from 'node:crypto'
import { MAX_HANDSHAKE_FLIGHT_LENGTH } from './constants.js'
import { InvalidCertificateError } from './errors.js'

/** RFC 8446 5.1 ContentType. */
const CHANGE_CIPHER_SPEC = 20
const ALERT = 21
const HANDSHAKE = 22
const APPLICATION_DATA = 23
/** RFC 8446 4 HandshakeType. */
const CERTIFICATE = 11
const FINISHED = 20
const RECORD_HEADER_LENGTH = 5
const AEAD_TAG_LENGTH = 16

interface Suite { cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305', keyLength: number, hash: 'sha256' | 'sha384' }

/** RFC 8446 B.4, the suites node:tls enables for TLS 1.3. */
const SUITES: Record<string, Suite> = {
  TLS_AES_128_GCM_SHA256: { cipher: 'aes-128-gcm', keyLength: 16, hash: 'sha256' },
  TLS_AES_256_GCM_SHA384: { cipher: 'aes-256-gcm', keyLength: 32, hash: 'sha384' },
  TLS_CHACHA20_POLY1305_SHA256: { cipher: 'chacha20-poly1305', keyLength: 32, hash: 'sha256' }
}

/** RFC 5869 HKDF-Expand. */
function hkdfExpand (hash: string, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = []
  let previous = Buffer.alloc(0)
  let total = 0
  for (let i = 1; total < length; i++) {
    previous = createHmac(hash, prk).update(previous).update(info).update(Uint8Array.of(i)).digest()
    blocks.push(previous)
    total += previous.byteLength
  }
  return Buffer.concat(blocks).subarray(0, length)
}

/** RFC 8446 7.1 HKDF-Expand-Label with an empty context. */
export function hkdfExpandLabel (hash: string, secret: Uint8Array, label: string, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'ascii')
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, fullLabel.byteLength]),
    fullLabel,
    Buffer.from([0])
  ])
  return hkdfExpand(hash, secret, info, length)
}

function readUint24 (buf: Uint8Array, offset: number): number {
  return (buf[offset] << 16) | (buf[offset + 1] << 8) | buf[offset + 2]
}

/** Counts the CertificateEntry items of a Certificate message body (RFC 8446 4.4.2). */
export function countCertificateEntries (body: Uint8Array): number {
  const fail = (): never => { throw new InvalidCertificateError('The remote\'s Certificate message is malformed') }
  if (body.byteLength < 1) fail()
  let offset = 1 + body[0]
  if (offset + 3 > body.byteLength) fail()
  const listEnd = offset + 3 + readUint24(body, offset)
  offset += 3
  if (listEnd !== body.byteLength) fail()
  let count = 0
  while (offset < listEnd) {
    if (offset + 3 > listEnd) fail()
    offset += 3 + readUint24(body, offset)
    if (offset + 2 > listEnd) fail()
    offset += 2 + ((body[offset] << 8) | body[offset + 1])
    if (offset > listEnd) fail()
    count++
  }
  return count
}

/**
 * Keeps the first bytes the remote sends (its handshake flight) and the
 * remote's handshake traffic secret, and counts the certificates of its
 * Certificate message once the handshake is done.
 */
export class PeerFlight {
  /** The keylog label of the secret the remote encrypts its handshake with. */
  readonly #secretLabel: string
  #chunks: Uint8Array[] = []
  #length = 0
  #secret?: Buffer

  /** `remoteIsServer`: true on the client (the remote is the server). */
  constructor (remoteIsServer: boolean) {
    this.#secretLabel = remoteIsServer ? 'SERVER_HANDSHAKE_TRAFFIC_SECRET' : 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  }

  /** Bytes from the raw connection, as they arrive; kept up to the bound. */
  record (data: Uint8Array): void {
    const room = MAX_HANDSHAKE_FLIGHT_LENGTH - this.#length
    if (room <= 0) {
      return
    }
    const kept = data.byteLength > room ? data.subarray(0, room) : data
    // copy: the raw connection may reuse its buffers
    this.#chunks.push(Uint8Array.from(kept))
    this.#length += kept.byteLength
  }

  /** A line of node:tls's `keylog` event (NSS key log format). */
  keylog (line: Uint8Array): void {
    const [label, , secret] = Buffer.from(line).toString('ascii').trim().split(' ')
    if (label === this.#secretLabel && secret != null) {
      this.#secret = Buffer.from(secret, 'hex')
    }
  }

  /** Frees what was kept. */
  clear (): void {
    this.#chunks = []
    this.#secret = undefined
  }

  /**
   * The number of certificates in the remote's Certificate message (0 when
   * it sent none). `cipherSuite` is the negotiated suite's standard name.
   * Throws InvalidCertificateError when the flight cannot be read.
   */
  countCertificates (cipherSuite: string): number {
    const suite = SUITES[cipherSuite]
    if (suite == null) {
      throw new InvalidCertificateError(`Cannot check the certificate count under cipher suite ${cipherSuite}`)
    }
    if (this.#secret == null) {
      throw new InvalidCertificateError('node:tls did not report the remote\'s handshake secret')
    }
    const key = hkdfExpandLabel(suite.hash, this.#secret, 'key', suite.keyLength)
    const iv = hkdfExpandLabel(suite.hash, this.#secret, 'iv', 12)
    const flight = Buffer.concat(this.#chunks)
    const handshake: Uint8Array[] = []
    let seq = 0n
    let offset = 0
    while (offset + RECORD_HEADER_LENGTH <= flight.byteLength) {
      const type = flight[offset]
      const length = (flight[offset + 3] << 8) | flight[offset + 4]
      const end = offset + RECORD_HEADER_LENGTH + length
      if (end > flight.byteLength) {
        break
      }
      if (type === APPLICATION_DATA) {
        if (length < AEAD_TAG_LENGTH) {
          throw new InvalidCertificateError('The remote sent a truncated encrypted record')
        }
        const nonce = Buffer.from(iv)
        const seqBytes = Buffer.alloc(8)
        seqBytes.writeBigUInt64BE(seq++)
        for (let i = 0; i < 8; i++) {
          nonce[4 + i] ^= seqBytes[i]
        }
        const decipher = createDecipheriv(suite.cipher, key, nonce, { authTagLength: AEAD_TAG_LENGTH } as any) as any
        decipher.setAAD(flight.subarray(offset, offset + RECORD_HEADER_LENGTH))
        decipher.setAuthTag(flight.subarray(end - AEAD_TAG_LENGTH, end))
        let inner: Buffer
        try {
          inner = Buffer.concat([decipher.update(flight.subarray(offset + RECORD_HEADER_LENGTH, end - AEAD_TAG_LENGTH)), decipher.final()])
        } catch (err: any) {
          throw new InvalidCertificateError('Could not read the remote\'s encrypted handshake', { cause: err })
        }
        // TLSInnerPlaintext: content, content type, zero padding (RFC 8446 5.2)
        let last = inner.byteLength - 1
        while (last >= 0 && inner[last] === 0) {
          last--
        }
        if (last < 0) {
          throw new InvalidCertificateError('The remote sent an encrypted record without a content type')
        }
        if (inner[last] !== HANDSHAKE) {
          throw new InvalidCertificateError(`The remote sent content type ${inner[last]} before finishing its handshake`)
        }
        handshake.push(inner.subarray(0, last))
        const count = this.#scan(Buffer.concat(handshake))
        if (count != null) {
          return count
        }
      } else if (type !== HANDSHAKE && type !== CHANGE_CIPHER_SPEC && type !== ALERT) {
        throw new InvalidCertificateError(`The remote sent a record of unknown type ${type} during the handshake`)
      }
      offset = end
    }
    throw new InvalidCertificateError(`The remote's handshake did not complete within the first ${MAX_HANDSHAKE_FLIGHT_LENGTH} bytes`)
  }

  /** Walks the handshake messages; the certificate count once Finished is seen, else undefined. */
  #scan (messages: Uint8Array): number | undefined {
    let certificates = 0
    let offset = 0
    while (offset + 4 <= messages.byteLength) {
      const type = messages[offset]
      const length = readUint24(messages, offset + 1)
      const end = offset + 4 + length
      if (end > messages.byteLength) {
        return undefined
      }
      if (type === CERTIFICATE) {
        certificates += countCertificateEntries(messages.subarray(offset + 4, end))
      } else if (type === FINISHED) {
        return certificates
      }
      offset = end
    }
    return undefined
  }
}
