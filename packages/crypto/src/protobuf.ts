/**
 * The `PublicKey` / `PrivateKey` protobuf messages of the peer-ids spec, with
 * the spec's rules on top of the generated codec (`pb/keys.js`, built from
 * `pb/keys.proto` by `npm run generate`):
 *
 * - encoding is deterministic: both fields, in tag order, minimal varints
 *   (the generated proto2 encoder with `required` fields does exactly that);
 * - decoding accepts only such encodings, so the bytes a peer id is derived
 *   from are the bytes every implementation derives it from; anything else
 *   (unknown or repeated fields, padded varints, reordered fields) is refused;
 * - sizes are bounded before any parsing.
 */
import { InvalidPrivateKeyError, InvalidPublicKeyError, UnsupportedKeyTypeError } from '@ts-libp2p/interface'
import { MAX_PRIVATE_KEY_PROTOBUF_LENGTH, MAX_PUBLIC_KEY_PROTOBUF_LENGTH } from './constants.js'
import * as pb from './pb/keys.js'
import { bytesEqual, copyBytes } from './util.js'
import type { KeyType } from '@ts-libp2p/interface'

const TO_PB: Record<KeyType, pb.KeyType> = {
  RSA: pb.KeyType.RSA,
  Ed25519: pb.KeyType.Ed25519,
  secp256k1: pb.KeyType.Secp256k1,
  ECDSA: pb.KeyType.ECDSA
}

const FROM_PB: Record<number, KeyType | undefined> = {
  [pb.KeyType.RSA]: 'RSA',
  [pb.KeyType.Ed25519]: 'Ed25519',
  [pb.KeyType.Secp256k1]: 'secp256k1',
  [pb.KeyType.ECDSA]: 'ECDSA'
}

/** A decoded key message: the key type and a private copy of `Data`. */
export interface KeyMessage {
  type: KeyType
  data: Uint8Array
}

type Codec = typeof pb.PublicKey | typeof pb.PrivateKey
type ErrorClass = typeof InvalidPublicKeyError | typeof InvalidPrivateKeyError

function encode (codec: Codec, type: KeyType, data: Uint8Array): Uint8Array {
  const pbType = TO_PB[type]
  if (pbType === undefined) {
    throw new UnsupportedKeyTypeError(`Unsupported key type ${String(type)}`)
  }
  // finish() returns a Buffer from a shared pool in Node: hand out a plain copy
  return copyBytes(codec.encode({ Type: pbType, Data: data }).finish())
}

/** Reads a protobuf varint at `offset` (at most 10 bytes; only used to name an unknown key type). */
function readVarint (bytes: Uint8Array, offset: number): number {
  let value = 0
  for (let i = 0, shift = 1; i < 10 && offset + i < bytes.byteLength; i++, shift *= 128) {
    value += (bytes[offset + i] & 0x7f) * shift
    if ((bytes[offset + i] & 0x80) === 0) {
      break
    }
  }
  return value
}

function decode (codec: Codec, bytes: Uint8Array, maxLength: number, InvalidKeyError: ErrorClass, what: string): KeyMessage {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidKeyError(`${what} must be a Uint8Array`)
  }
  if (bytes.byteLength > maxLength) {
    throw new InvalidKeyError(`${what} is ${bytes.byteLength} bytes, more than the ${maxLength} any valid key needs`)
  }
  let message: pb.PublicKey
  try {
    message = codec.decode(bytes)
  } catch (err: any) {
    // the decoder drops an enum value outside KeyType and then reports Type
    // as missing: look at the leading Type field to say what really happened
    if (bytes[0] === 0x08 && bytes.byteLength > 1) {
      const value = readVarint(bytes, 1)
      if (FROM_PB[value] === undefined) {
        throw new UnsupportedKeyTypeError(`Unknown key type ${value} in ${what}`)
      }
    }
    throw new InvalidKeyError(`Malformed ${what}: ${String(err?.message ?? err)}`)
  }
  const type = FROM_PB[message.Type]
  if (type === undefined) {
    throw new UnsupportedKeyTypeError(`Unknown key type ${message.Type} in ${what}`)
  }
  // peer-ids spec, "Keys": encoding must be deterministic; accept nothing else
  const canonical = codec.encode({ Type: message.Type, Data: message.Data }).finish()
  if (!bytesEqual(canonical, bytes)) {
    throw new InvalidKeyError(`${what} is not deterministically encoded (extra, repeated or reordered fields, or padded varints)`)
  }
  return { type, data: copyBytes(message.Data) }
}

/** Encodes a `PublicKey` message. */
export function encodePublicKeyMessage (type: KeyType, data: Uint8Array): Uint8Array {
  return encode(pb.PublicKey, type, data)
}

/** Encodes a `PrivateKey` message. */
export function encodePrivateKeyMessage (type: KeyType, data: Uint8Array): Uint8Array {
  return encode(pb.PrivateKey, type, data)
}

/** Decodes a `PublicKey` message; throws InvalidPublicKeyError or UnsupportedKeyTypeError. */
export function decodePublicKeyMessage (bytes: Uint8Array): KeyMessage {
  return decode(pb.PublicKey, bytes, MAX_PUBLIC_KEY_PROTOBUF_LENGTH, InvalidPublicKeyError, 'PublicKey protobuf')
}

/** Decodes a `PrivateKey` message; throws InvalidPrivateKeyError or UnsupportedKeyTypeError. */
export function decodePrivateKeyMessage (bytes: Uint8Array): KeyMessage {
  return decode(pb.PrivateKey, bytes, MAX_PRIVATE_KEY_PROTOBUF_LENGTH, InvalidPrivateKeyError, 'PrivateKey protobuf')
}
