import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync } from 'node:crypto'
import type { Aead, NoiseCrypto, X25519KeyPair } from './crypto.js'
import type { JsonWebKey, KeyObject } from 'node:crypto'

// The DER prefix that wraps a raw X25519 secret (RFC 8410, PKCS#8). Keys
// otherwise move in and out of node:crypto as JWK (RFC 8037 OKP keys): with
// OpenSSL 3, importing or exporting DER costs 300-600 us a key on this
// machine and JWK 5-50 us, and connection setup imports the remote's keys
// for every Diffie-Hellman.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')
const EMPTY = Buffer.alloc(0)

/** The node:crypto handle, created once per key pair and reused for every DH. */
const handles = new WeakMap<X25519KeyPair, KeyObject>()

/**
 * Remote public keys as KeyObjects, by their base64url form. A handshake
 * uses the remote's ephemeral key twice and peers reconnect with the same
 * static key. Bounded: the oldest entry goes first.
 */
const remoteKeys = new Map<string, KeyObject>()
const REMOTE_KEY_CACHE_SIZE = 64

function toBuffer (bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function fromBase64url (text: string | undefined): Uint8Array {
  return new Uint8Array(Buffer.from(text ?? '', 'base64url'))
}

function keyPairFromObject (privateKey: KeyObject): X25519KeyPair {
  // a private JWK carries the public key too (x)
  const jwk = privateKey.export({ format: 'jwk' })
  const pair = {
    privateKey: fromBase64url(jwk.d),
    publicKey: fromBase64url(jwk.x)
  }
  handles.set(pair, privateKey)
  return pair
}

function remoteKeyObject (publicKey: Uint8Array): KeyObject {
  const x = toBuffer(publicKey).toString('base64url')
  let key = remoteKeys.get(x)
  if (key == null) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' })
    if (remoteKeys.size >= REMOTE_KEY_CACHE_SIZE) {
      const oldest = remoteKeys.keys().next().value
      if (oldest != null) {
        remoteKeys.delete(oldest)
      }
    }
    remoteKeys.set(x, key)
  }
  return key
}

class NodeAead implements Aead {
  /**
   * The raw key (a copy), handed to each createCipheriv. Not a KeyObject: a
   * secret KeyObject holds native memory for as long as the connection is
   * open (two per connection) and costs about 4 us to make; sealing with a
   * raw key is as fast (3.3-3.6 us per 100-byte seal either way).
   */
  readonly #key: Uint8Array

  constructor (key: Uint8Array) {
    this.#key = key.slice()
  }

  seal (nonce: Uint8Array, ad: Uint8Array | undefined, plaintext: readonly Uint8Array[], out: Uint8Array[]): void {
    const cipher = createCipheriv('chacha20-poly1305', this.#key, nonce, { authTagLength: 16 })
    if (ad != null && ad.byteLength > 0) {
      let length = 0
      for (const part of plaintext) {
        length += part.byteLength
      }
      cipher.setAAD(ad, { plaintextLength: length })
    }
    for (const part of plaintext) {
      if (part.byteLength > 0) {
        out.push(cipher.update(part))
      }
    }
    cipher.final()
    out.push(cipher.getAuthTag())
  }

  open (nonce: Uint8Array, ad: Uint8Array | undefined, ciphertext: readonly Uint8Array[], tag: Uint8Array, out: Uint8Array[]): void {
    const decipher = createDecipheriv('chacha20-poly1305', this.#key, nonce, { authTagLength: 16 })
    decipher.setAuthTag(tag)
    if (ad != null && ad.byteLength > 0) {
      let length = 0
      for (const part of ciphertext) {
        length += part.byteLength
      }
      decipher.setAAD(ad, { plaintextLength: length })
    }
    const start = out.length
    for (const part of ciphertext) {
      if (part.byteLength > 0) {
        out.push(decipher.update(part))
      }
    }
    try {
      decipher.final()
    } catch (err) {
      // never hand out plaintext that failed authentication
      out.length = start
      throw err
    }
  }
}

/** The node:crypto backend: OpenSSL's ChaCha20-Poly1305, X25519, SHA-256 and HKDF. */
export const nodeCrypto: NoiseCrypto = {
  name: 'node',

  sha256 (...parts: Uint8Array[]): Uint8Array {
    const hash = createHash('sha256')
    for (const part of parts) {
      hash.update(part)
    }
    return hash.digest()
  },

  hkdf (chainingKey: Uint8Array, inputKeyMaterial: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
    const okm = new Uint8Array(hkdfSync('sha256', inputKeyMaterial, chainingKey, EMPTY, 96))
    return [okm.subarray(0, 32), okm.subarray(32, 64), okm.subarray(64, 96)]
  },

  generateX25519KeyPair (): X25519KeyPair {
    // The key is exported as JWK inside the generation job, and the KeyObject for Diffie-Hellman is imported
    // from that JWK. Exporting the KeyObject that generateKeyPairSync returns can deadlock Node 20: the export
    // holds the key's mutex while it allocates, a garbage collection then runs the finished generation job's
    // destructor, which takes the same mutex (seen as a listener hung in futex_wait, stack
    // ExportJWKEdKey -> GC -> ~KeyGenJob; a loop of generateKeyPairSync + export hung in 2 of 6 runs of 20000)
    const { privateKey: jwk } = generateKeyPairSync('x25519', {
      publicKeyEncoding: { format: 'jwk' },
      privateKeyEncoding: { format: 'jwk' }
    } as any) as unknown as { privateKey: JsonWebKey }
    const pair = {
      privateKey: fromBase64url(jwk.d),
      publicKey: fromBase64url(jwk.x)
    }
    handles.set(pair, createPrivateKey({ key: jwk, format: 'jwk' }))
    return pair
  },

  x25519KeyPairFromSecret (secret: Uint8Array): X25519KeyPair {
    return keyPairFromObject(createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' }))
  },

  dh (keyPair: X25519KeyPair, publicKey: Uint8Array): Uint8Array {
    let privateKey = handles.get(keyPair)
    if (privateKey == null) {
      privateKey = createPrivateKey({
        key: { kty: 'OKP', crv: 'X25519', d: toBuffer(keyPair.privateKey).toString('base64url'), x: toBuffer(keyPair.publicKey).toString('base64url') },
        format: 'jwk'
      })
      handles.set(keyPair, privateKey)
    }
    const remote = remoteKeyObject(publicKey)
    // OpenSSL refuses an all-zero shared secret (a low-order remote key)
    return diffieHellman({ privateKey, publicKey: remote })
  },

  aead (key: Uint8Array): Aead {
    return new NodeAead(key)
  }
}
