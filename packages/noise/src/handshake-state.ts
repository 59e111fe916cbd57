import { InvalidCryptoExchangeError } from '@ts-libp2p/interface'
import { CipherState } from './cipher-state.js'
import { DH_LENGTH, HASH_LENGTH, PROTOCOL_NAME, TAG_LENGTH } from './constants.js'
import { EMPTY, concat } from './bytes.js'
import type { NoiseCrypto, X25519KeyPair } from './crypto.js'

/**
 * Noise spec 5.2 SymmetricState: the chaining key, the handshake hash and
 * the current handshake cipher.
 */
class SymmetricState {
  ck: Uint8Array
  h: Uint8Array
  cipher?: CipherState
  readonly #crypto: NoiseCrypto

  constructor (crypto: NoiseCrypto) {
    this.#crypto = crypto
    // the name is exactly HASHLEN bytes: h = name, no hashing (Noise spec 5.2)
    const name = new TextEncoder().encode(PROTOCOL_NAME)
    if (name.byteLength !== HASH_LENGTH) {
      throw new Error('protocol name must be HASHLEN bytes')
    }
    this.h = name
    this.ck = name
  }

  mixHash (data: Uint8Array): void {
    this.h = this.#crypto.sha256(this.h, data)
  }

  mixKey (inputKeyMaterial: Uint8Array): void {
    const [ck, k] = this.#crypto.hkdf(this.ck, inputKeyMaterial)
    this.ck = ck
    this.cipher = new CipherState(this.#crypto, k)
  }

  encryptAndHash (plaintext: Uint8Array): Uint8Array {
    if (this.cipher == null) {
      this.mixHash(plaintext)
      return plaintext
    }
    const out: Uint8Array[] = []
    this.cipher.encrypt(this.h, [plaintext], out)
    const ciphertext = concat(out)
    this.mixHash(ciphertext)
    return ciphertext
  }

  decryptAndHash (ciphertext: Uint8Array): Uint8Array {
    if (this.cipher == null) {
      this.mixHash(ciphertext)
      return ciphertext
    }
    if (ciphertext.byteLength < TAG_LENGTH) {
      throw new InvalidCryptoExchangeError(`Handshake ciphertext of ${ciphertext.byteLength} bytes is shorter than its tag`)
    }
    const out: Uint8Array[] = []
    try {
      this.cipher.decrypt(this.h, [ciphertext.subarray(0, ciphertext.byteLength - TAG_LENGTH)], ciphertext.subarray(ciphertext.byteLength - TAG_LENGTH), out)
    } catch {
      throw new InvalidCryptoExchangeError('A handshake message failed to decrypt')
    }
    this.mixHash(ciphertext)
    return concat(out.length === 0 ? [EMPTY] : out)
  }

  /** Noise spec 5.2 Split(): the two transport cipher states. */
  split (): [CipherState, CipherState] {
    const [k1, k2] = this.#crypto.hkdf(this.ck, EMPTY)
    return [new CipherState(this.#crypto, k1), new CipherState(this.#crypto, k2)]
  }
}

/** Keys and settings of one side of an XX handshake. */
export interface XXHandshakeInit {
  crypto: NoiseCrypto
  initiator: boolean
  /** Our static Noise key pair `s`. */
  staticKey: X25519KeyPair
  /** Our ephemeral key pair `e`; random unless given (test vectors). */
  ephemeralKey?: X25519KeyPair
  /** Noise spec 5.3 prologue; libp2p uses an empty one. */
  prologue?: Uint8Array
}

/** What a finished handshake yields. */
export interface XXHandshakeResult {
  /** Encrypts what we send. */
  send: CipherState
  /** Decrypts what we receive. */
  receive: CipherState
  /** The remote's static Noise public key `rs`. */
  remoteStaticKey: Uint8Array
  /** The final handshake hash (Noise spec 5.2 GetHandshakeHash). */
  handshakeHash: Uint8Array
}

/**
 * Noise spec 5.3 HandshakeState for the XX pattern only (noise/README.md,
 * "XX": "-> e", "<- e, ee, s, es", "-> s, se"). Each method builds or
 * parses one whole handshake message (without the 2-byte length prefix); the
 * payload is opaque here. I/O lives in handshake.ts.
 */
export class XXHandshakeState {
  readonly #crypto: NoiseCrypto
  readonly #ss: SymmetricState
  readonly #initiator: boolean
  readonly #s: X25519KeyPair
  #e?: X25519KeyPair
  #re?: Uint8Array
  #rs?: Uint8Array

  constructor (init: XXHandshakeInit) {
    this.#crypto = init.crypto
    this.#initiator = init.initiator
    this.#s = init.staticKey
    this.#e = init.ephemeralKey
    this.#ss = new SymmetricState(init.crypto)
    this.#ss.mixHash(init.prologue ?? EMPTY)
  }

  #dh (keyPair: X25519KeyPair, publicKey: Uint8Array): Uint8Array {
    try {
      return this.#crypto.dh(keyPair, publicKey)
    } catch (err: any) {
      throw new InvalidCryptoExchangeError(`X25519 with the remote's key failed: ${err.message}`)
    }
  }

  #writeE (parts: Uint8Array[]): void {
    this.#e ??= this.#crypto.generateX25519KeyPair()
    parts.push(this.#e.publicKey)
    this.#ss.mixHash(this.#e.publicKey)
  }

  #readE (message: Uint8Array, offset: number): number {
    if (message.byteLength < offset + DH_LENGTH) {
      throw new InvalidCryptoExchangeError(`Handshake message of ${message.byteLength} bytes is too short for an ephemeral key`)
    }
    this.#re = message.slice(offset, offset + DH_LENGTH)
    this.#ss.mixHash(this.#re)
    return offset + DH_LENGTH
  }

  #readS (message: Uint8Array, offset: number): number {
    const length = DH_LENGTH + (this.#ss.cipher != null ? TAG_LENGTH : 0)
    if (message.byteLength < offset + length) {
      throw new InvalidCryptoExchangeError(`Handshake message of ${message.byteLength} bytes is too short for a static key`)
    }
    this.#rs = this.#ss.decryptAndHash(message.subarray(offset, offset + length))
    return offset + length
  }

  /** Message 1, initiator: `-> e` and the payload (sent in clear: no key yet). */
  writeMessageA (payload: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = []
    this.#writeE(parts)
    parts.push(this.#ss.encryptAndHash(payload))
    return concat(parts)
  }

  /** Message 1, responder: returns the payload. */
  readMessageA (message: Uint8Array): Uint8Array {
    const offset = this.#readE(message, 0)
    return this.#ss.decryptAndHash(message.subarray(offset))
  }

  /** Message 2, responder: `<- e, ee, s, es` and the payload. */
  writeMessageB (payload: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = []
    this.#writeE(parts)
    this.#ss.mixKey(this.#dh(this.#e!, this.#re!))
    parts.push(this.#ss.encryptAndHash(this.#s.publicKey))
    this.#ss.mixKey(this.#dh(this.#s, this.#re!))
    parts.push(this.#ss.encryptAndHash(payload))
    return concat(parts)
  }

  /** Message 2, initiator: returns the payload; `remoteStaticKey` is known after it. */
  readMessageB (message: Uint8Array): Uint8Array {
    let offset = this.#readE(message, 0)
    this.#ss.mixKey(this.#dh(this.#e!, this.#re!))
    offset = this.#readS(message, offset)
    this.#ss.mixKey(this.#dh(this.#e!, this.#rs!))
    return this.#ss.decryptAndHash(message.subarray(offset))
  }

  /** Message 3, initiator: `-> s, se` and the payload. */
  writeMessageC (payload: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = []
    parts.push(this.#ss.encryptAndHash(this.#s.publicKey))
    this.#ss.mixKey(this.#dh(this.#s, this.#re!))
    parts.push(this.#ss.encryptAndHash(payload))
    return concat(parts)
  }

  /** Message 3, responder: returns the payload. */
  readMessageC (message: Uint8Array): Uint8Array {
    const offset = this.#readS(message, 0)
    this.#ss.mixKey(this.#dh(this.#e!, this.#rs!))
    return this.#ss.decryptAndHash(message.subarray(offset))
  }

  /** The remote's static key, once message 2 (initiator) or 3 (responder) is read. */
  get remoteStaticKey (): Uint8Array | undefined {
    return this.#rs
  }

  /** Our ephemeral public key, once written. */
  get ephemeralPublicKey (): Uint8Array | undefined {
    return this.#e?.publicKey
  }

  /** Split into transport cipher states (after message 3). */
  finish (): XXHandshakeResult {
    if (this.#rs == null) {
      throw new InvalidCryptoExchangeError('The handshake has not finished')
    }
    const [c1, c2] = this.#ss.split()
    return {
      send: this.#initiator ? c1 : c2,
      receive: this.#initiator ? c2 : c1,
      remoteStaticKey: this.#rs,
      handshakeHash: this.#ss.h
    }
  }
}
