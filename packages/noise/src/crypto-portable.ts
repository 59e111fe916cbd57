import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { x25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { EMPTY, concat } from './bytes.js'
import type { Aead, NoiseCrypto, X25519KeyPair } from './crypto.js'

class PortableAead implements Aead {
  readonly #key: Uint8Array

  constructor (key: Uint8Array) {
    this.#key = Uint8Array.from(key)
  }

  seal (nonce: Uint8Array, ad: Uint8Array | undefined, plaintext: readonly Uint8Array[], out: Uint8Array[]): void {
    const sealed = chacha20poly1305(this.#key, nonce, ad?.byteLength === 0 ? undefined : ad).encrypt(concat(plaintext))
    out.push(sealed.subarray(0, sealed.byteLength - 16), sealed.subarray(sealed.byteLength - 16))
  }

  open (nonce: Uint8Array, ad: Uint8Array | undefined, ciphertext: readonly Uint8Array[], tag: Uint8Array, out: Uint8Array[]): void {
    out.push(chacha20poly1305(this.#key, nonce, ad?.byteLength === 0 ? undefined : ad).decrypt(concat([...ciphertext, tag])))
  }
}

function isAllZero (bytes: Uint8Array): boolean {
  let acc = 0
  for (const byte of bytes) {
    acc |= byte
  }
  return acc === 0
}

/** The portable backend: @noble/ciphers, @noble/curves and @noble/hashes (pure JavaScript). */
export const portableCrypto: NoiseCrypto = {
  name: 'portable',

  sha256 (...parts: Uint8Array[]): Uint8Array {
    const hash = sha256.create()
    for (const part of parts) {
      hash.update(part)
    }
    return hash.digest()
  },

  hkdf (chainingKey: Uint8Array, inputKeyMaterial: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
    const okm = hkdf(sha256, inputKeyMaterial, chainingKey, EMPTY, 96)
    return [okm.subarray(0, 32), okm.subarray(32, 64), okm.subarray(64, 96)]
  },

  generateX25519KeyPair (): X25519KeyPair {
    const { secretKey, publicKey } = x25519.keygen()
    return { privateKey: secretKey, publicKey }
  },

  x25519KeyPairFromSecret (secret: Uint8Array): X25519KeyPair {
    return { privateKey: Uint8Array.from(secret), publicKey: x25519.getPublicKey(secret) }
  },

  dh (keyPair: X25519KeyPair, publicKey: Uint8Array): Uint8Array {
    const shared = x25519.getSharedSecret(keyPair.privateKey, publicKey)
    if (isAllZero(shared)) {
      throw new Error('X25519 produced an all-zero shared secret (low-order public key)')
    }
    return shared
  },

  aead (key: Uint8Array): Aead {
    return new PortableAead(key)
  }
}
