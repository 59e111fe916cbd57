/**
 * The portable backend: @noble/curves for Ed25519 and P-256, @noble/hashes for
 * SHA-256 and WebCrypto for RSA (no audited pure-JavaScript RSA is kept in the
 * ecosystem, and WebCrypto has RSASSA-PKCS1-v1_5 everywhere). Runs in browsers,
 * workers, Deno and Bun; in Node it is used by tests to prove both backends
 * agree.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { p256 } from '@noble/curves/nist.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { chunks, contiguous } from '../util.js'
import type { CryptoBackend, RSAJsonWebKey, SignData } from './interface.js'

const RSA_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }

function hash (data: SignData): Uint8Array {
  const state = sha256.create()
  for (const chunk of chunks(data)) {
    state.update(chunk)
  }
  return state.digest()
}

function subtle (): SubtleCrypto {
  const webcrypto = globalThis.crypto?.subtle
  if (webcrypto == null) {
    throw new Error('RSA keys need WebCrypto (globalThis.crypto.subtle), which this platform lacks')
  }
  return webcrypto
}

/** WebCrypto wants an ArrayBuffer-backed view. */
function bufferSource (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? bytes as Uint8Array<ArrayBuffer> : new Uint8Array(bytes)
}

export const portableBackend: CryptoBackend = {
  name: 'portable',

  sha256: hash,

  randomBytes (length) {
    const bytes = new Uint8Array(length)
    globalThis.crypto.getRandomValues(bytes)
    return bytes
  },

  ed25519: {
    publicKeyFromSeed (seed) {
      return ed25519.getPublicKey(seed)
    },

    createSigner (seed) {
      return (data) => ed25519.sign(data, seed)
    },

    createVerifier (publicKey) {
      return (data, signature) => {
        try {
          // RFC 8032 rules (not ZIP-215) to agree with OpenSSL and go's crypto/ed25519
          return ed25519.verify(signature, data, publicKey, { zip215: false })
        } catch {
          return false
        }
      }
    }
  },

  p256: {
    publicKeyFromPrivate (d) {
      return p256.getPublicKey(d, false)
    },

    isValidPublicKey (point) {
      if (point.byteLength !== 65 || point[0] !== 0x04) {
        return false
      }
      try {
        p256.Point.fromBytes(point).assertValidity()
        return true
      } catch {
        return false
      }
    },

    createSigner (d) {
      return (data) => p256.sign(hash(data), d, { prehash: false, format: 'der' })
    },

    createVerifier (publicKey) {
      return (data, signature) => {
        try {
          // high-S signatures are valid ECDSA: OpenSSL and go produce them half the time
          return p256.verify(signature, hash(data), publicKey, { prehash: false, format: 'der', lowS: false })
        } catch {
          return false
        }
      }
    }
  },

  rsa: {
    async generate (bits) {
      const pair = await subtle().generateKey({
        ...RSA_ALGORITHM,
        modulusLength: bits,
        publicExponent: Uint8Array.of(1, 0, 1)
      }, true, ['sign', 'verify'])
      return await subtle().exportKey('jwk', pair.privateKey) as RSAJsonWebKey
    },

    createSigner (jwk) {
      let key: Promise<CryptoKey> | undefined
      return async (data) => {
        key ??= subtle().importKey('jwk', { ...jwk }, RSA_ALGORITHM, false, ['sign'])
        return new Uint8Array(await subtle().sign(RSA_ALGORITHM, await key, bufferSource(contiguous(data))))
      }
    },

    createVerifier (jwk: RSAJsonWebKey) {
      let key: Promise<CryptoKey> | undefined
      return async (data, signature) => {
        key ??= subtle().importKey('jwk', { kty: 'RSA', n: jwk.n, e: jwk.e }, RSA_ALGORITHM, false, ['verify'])
        try {
          return await subtle().verify(RSA_ALGORITHM, await key, bufferSource(signature), bufferSource(contiguous(data)))
        } catch {
          return false
        }
      }
    }
  }
}
