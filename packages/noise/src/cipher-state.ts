import { NonceExhaustedError } from './errors.js'
import type { Aead, NoiseCrypto } from './crypto.js'

const MAX_UINT32 = 0xffffffff

/**
 * Noise spec 5.1 CipherState: a key and a 64-bit message counter. The nonce
 * is 32 zero bits then the counter as 64-bit little-endian (Noise spec 12.3,
 * ChaChaPoly), kept in one reusable 12-byte buffer and advanced in place.
 *
 * Noise spec 5.1: "n = 2^64-1 is reserved"; EncryptWithAd and DecryptWithAd
 * fail once it is reached, with a NonceExhaustedError, before any reuse.
 */
export class CipherState {
  readonly #aead: Aead
  readonly #nonce: Uint8Array
  readonly #view: DataView
  #low: number
  #high: number

  constructor (crypto: NoiseCrypto, key: Uint8Array) {
    this.#aead = crypto.aead(key)
    this.#nonce = new Uint8Array(12)
    this.#view = new DataView(this.#nonce.buffer)
    this.#low = 0
    this.#high = 0
  }

  /** The next nonce, as a bigint (for logs and tests; the hot path does not use it). */
  get nonce (): bigint {
    return (BigInt(this.#high) << 32n) | BigInt(this.#low)
  }

  /** Sets the counter (tests of nonce exhaustion; Noise spec 5.1 SetNonce). */
  setNonce (nonce: bigint): void {
    this.#low = Number(nonce & 0xffffffffn)
    this.#high = Number((nonce >> 32n) & 0xffffffffn)
  }

  #next (): Uint8Array {
    if (this.#low === MAX_UINT32 && this.#high === MAX_UINT32) {
      throw new NonceExhaustedError('The noise cipher state reached nonce 2^64-1: the connection must end')
    }
    this.#view.setUint32(4, this.#low, true)
    this.#view.setUint32(8, this.#high, true)
    if (this.#low === MAX_UINT32) {
      this.#low = 0
      this.#high++
    } else {
      this.#low++
    }
    return this.#nonce
  }

  /** EncryptWithAd: pushes the ciphertext parts and the tag onto `out`. */
  encrypt (ad: Uint8Array | undefined, plaintext: readonly Uint8Array[], out: Uint8Array[]): void {
    this.#aead.seal(this.#next(), ad, plaintext, out)
  }

  /**
   * DecryptWithAd: pushes the plaintext parts onto `out`, or throws. A
   * failed message still consumes its nonce, so a connection cannot retry
   * it; callers abort the connection anyway.
   */
  decrypt (ad: Uint8Array | undefined, ciphertext: readonly Uint8Array[], tag: Uint8Array, out: Uint8Array[]): void {
    this.#aead.open(this.#next(), ad, ciphertext, tag, out)
  }
}
