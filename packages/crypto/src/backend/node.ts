/**
 * The node:crypto backend. OpenSSL is several times faster than pure
 * JavaScript for Ed25519, P-256 and RSA, and SHA-256 runs natively. Every
 * KeyObject is built once, when a key's signer or verifier is first needed.
 */
import crypto from 'node:crypto'
import { promisify } from 'node:util'
import { ED25519_KEY_OBJECT_CACHE_SIZE } from '../constants.js'
import { asUint8Array, chunks, fromBase64url, toBase64url } from '../util.js'
import type { CryptoBackend, RSAJsonWebKey, SignData } from './interface.js'

const generateKeyPair = promisify(crypto.generateKeyPair)

/** PKCS#8 prefix of an Ed25519 private key (RFC 8410 section 7): the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
])

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a)
  out.set(b, a.byteLength)
  return out
}

function sign (algorithm: string, data: SignData, key: crypto.KeyObject): Uint8Array {
  if (data instanceof Uint8Array) {
    return asUint8Array(crypto.sign(algorithm, data, key))
  }
  const signer = crypto.createSign(algorithm)
  for (const chunk of data) {
    signer.update(chunk)
  }
  return asUint8Array(signer.sign(key))
}

function verify (algorithm: string, data: SignData, key: crypto.KeyObject, signature: Uint8Array): boolean {
  try {
    if (data instanceof Uint8Array) {
      return crypto.verify(algorithm, data, key, signature)
    }
    const verifier = crypto.createVerify(algorithm)
    for (const chunk of data) {
      verifier.update(chunk)
    }
    return verifier.verify(key, signature)
  } catch {
    // OpenSSL throws on some malformed signatures; to the caller that is simply "not valid"
    return false
  }
}

function p256Jwk (publicKey: Uint8Array, d?: Uint8Array): crypto.JsonWebKey {
  const jwk: crypto.JsonWebKey = {
    kty: 'EC',
    crv: 'P-256',
    x: toBase64url(publicKey.subarray(1, 33)),
    y: toBase64url(publicKey.subarray(33, 65))
  }
  if (d != null) {
    jwk.d = toBase64url(d)
  }
  return jwk
}

/**
 * KeyObjects of Ed25519 public keys, by their bytes. Every handshake parses
 * the remote's identity key afresh, and building a KeyObject is one of the
 * largest costs of connection setup (PERF-NOTES); peers reconnect with the
 * same key. Bounded: the oldest entry goes first.
 */
const ed25519KeyObjects = new Map<string, crypto.KeyObject>()

function ed25519PublicKeyObject (publicKey: Uint8Array): crypto.KeyObject {
  const x = toBase64url(publicKey)
  let key = ed25519KeyObjects.get(x)
  if (key != null) {
    // refresh its place as the most recently used
    ed25519KeyObjects.delete(x)
    ed25519KeyObjects.set(x, key)
    return key
  }
  key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })
  if (ed25519KeyObjects.size >= ED25519_KEY_OBJECT_CACHE_SIZE) {
    const oldest = ed25519KeyObjects.keys().next().value
    if (oldest != null) ed25519KeyObjects.delete(oldest)
  }
  ed25519KeyObjects.set(x, key)
  return key
}

export const nodeBackend: CryptoBackend = {
  name: 'node',

  sha256 (data) {
    const hash = crypto.createHash('sha256')
    for (const chunk of chunks(data)) {
      hash.update(chunk)
    }
    return asUint8Array(hash.digest())
  },

  randomBytes (length) {
    return asUint8Array(crypto.randomBytes(length))
  },

  ed25519: {
    publicKeyFromSeed (seed) {
      const privateKey = crypto.createPrivateKey({ key: Buffer.from(concat(ED25519_PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' })
      const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' })
      return fromBase64url(jwk.x ?? '')
    },

    createSigner (seed, publicKey) {
      const key = crypto.createPrivateKey({
        key: { kty: 'OKP', crv: 'Ed25519', d: toBase64url(seed), x: toBase64url(publicKey) },
        format: 'jwk'
      })
      return (data) => asUint8Array(crypto.sign(null, data, key))
    },

    createVerifier (publicKey) {
      const key = ed25519PublicKeyObject(publicKey)
      return (data, signature) => {
        try {
          return crypto.verify(null, data, key, signature)
        } catch {
          return false
        }
      }
    }
  },

  p256: {
    publicKeyFromPrivate (d) {
      // OpenSSL derives the public point when a SEC 1 key omits it
      const sec1 = Uint8Array.from([
        0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20, ...d,
        0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07
      ])
      const privateKey = crypto.createPrivateKey({ key: Buffer.from(sec1), format: 'der', type: 'sec1' })
      const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' })
      return concat(Uint8Array.of(0x04), concat(fromBase64url(jwk.x ?? ''), fromBase64url(jwk.y ?? '')))
    },

    isValidPublicKey (point) {
      if (point.byteLength !== 65 || point[0] !== 0x04) {
        return false
      }
      try {
        // OpenSSL refuses coordinates that are not on the curve
        crypto.createPublicKey({ key: p256Jwk(point), format: 'jwk' })
        return true
      } catch {
        return false
      }
    },

    createSigner (d, publicKey) {
      const key = crypto.createPrivateKey({ key: p256Jwk(publicKey, d), format: 'jwk' })
      return (data) => sign('sha256', data, key)
    },

    createVerifier (publicKey) {
      const key = crypto.createPublicKey({ key: p256Jwk(publicKey), format: 'jwk' })
      return (data, signature) => verify('sha256', data, key, signature)
    }
  },

  rsa: {
    async generate (bits) {
      // encoded inside the generation job: exporting the KeyObject a key generation job returned can deadlock
      // Node 20 (the export holds the key's mutex while allocating, and a GC running the job's destructor takes it)
      const { privateKey } = await generateKeyPair('rsa', {
        modulusLength: bits,
        publicExponent: 0x10001,
        publicKeyEncoding: { format: 'jwk' },
        privateKeyEncoding: { format: 'jwk' }
      } as any) as unknown as { privateKey: RSAJsonWebKey }
      return privateKey
    },

    createSigner (jwk) {
      const key = crypto.createPrivateKey({ key: { ...jwk }, format: 'jwk' })
      // RSA KeyObjects sign with RSASSA-PKCS1-v1_5 unless told otherwise
      return (data) => sign('sha256', data, key)
    },

    createVerifier (jwk) {
      const key = crypto.createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' })
      return (data, signature) => verify('sha256', data, key, signature)
    }
  }
}
