import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, createSecretKey, diffieHellman, generateKeyPairSync, hkdfSync } from 'node:crypto'
import type { Aead, NoiseCrypto, X25519KeyPair } from './crypto.js'
import type { KeyObject } from 'node:crypto'

// DER prefixes that wrap a raw X25519 key (RFC 8410): PKCS#8 for the secret,
// SubjectPublicKeyInfo for the public key. node:crypto only imports keys
// through these forms.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex')
const EMPTY = Buffer.alloc(0)

/** The node:crypto handle, created once per key pair and reused for every DH. */
const handles = new WeakMap<X25519KeyPair, KeyObject>()

function toBuffer (bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function keyPairFromObject (privateKey: KeyObject, publicKey: KeyObject = createPublicKey(privateKey)): X25519KeyPair {
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' })
  const spki = publicKey.export({ format: 'der', type: 'spki' })
  const pair = {
    privateKey: new Uint8Array(pkcs8.subarray(PKCS8_PREFIX.byteLength)),
    publicKey: new Uint8Array(spki.subarray(SPKI_PREFIX.byteLength))
  }
  handles.set(pair, privateKey)
  return pair
}

class NodeAead implements Aead {
  readonly #key: KeyObject

  constructor (key: Uint8Array) {
    this.#key = createSecretKey(toBuffer(key))
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
    // the generator gives both KeyObjects: deriving the public one again would cost a createPublicKey per handshake
    const { privateKey, publicKey } = generateKeyPairSync('x25519')
    return keyPairFromObject(privateKey, publicKey)
  },

  x25519KeyPairFromSecret (secret: Uint8Array): X25519KeyPair {
    return keyPairFromObject(createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' }))
  },

  dh (keyPair: X25519KeyPair, publicKey: Uint8Array): Uint8Array {
    let privateKey = handles.get(keyPair)
    if (privateKey == null) {
      privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, keyPair.privateKey]), format: 'der', type: 'pkcs8' })
      handles.set(keyPair, privateKey)
    }
    const remote = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
    // OpenSSL refuses an all-zero shared secret (a low-order remote key)
    return diffieHellman({ privateKey, publicKey: remote })
  },

  aead (key: Uint8Array): Aead {
    return new NodeAead(key)
  }
}
