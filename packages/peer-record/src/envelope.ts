import { InvalidParametersError } from '@ts-libp2p/interface'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_DOMAIN_LENGTH, MAX_ENVELOPE_SIZE } from './constants.js'
import { InvalidEnvelopeError, InvalidSignatureError } from './errors.js'
import * as pb from './pb/envelope.js'
import { bytesEqual, copyBytes, encodeUvarint } from './varint.js'
import type { AbortOptions, Envelope, PrivateKey, PublicKey, Record } from '@ts-libp2p/interface'

/** What a {@link RecordEnvelope} is made of. */
export interface RecordEnvelopeInit {
  /** The key whose private half signed the payload. */
  publicKey: PublicKey
  /** The multicodec-prefixed type hint of the payload (RFC 0002 "Payload Type Information"). */
  payloadType: Uint8Array
  payload: Uint8Array
  signature: Uint8Array
}

const textEncoder = new TextEncoder()

function toBytes (data: Uint8Array | Uint8ArrayList): Uint8Array {
  return data instanceof Uint8Array ? data : data.subarray()
}

/**
 * The bytes RFC 0002 signs ("Signature Production / Verification"): the
 * domain, the payload type and the payload, each after its length as an
 * unsigned varint.
 */
export function signaturePayload (domain: string, payloadType: Uint8Array, payload: Uint8Array): Uint8Array {
  if (typeof domain !== 'string') {
    throw new InvalidParametersError('The signature domain must be a string')
  }
  const domainBytes = textEncoder.encode(domain)
  if (domainBytes.byteLength === 0 || domainBytes.byteLength > MAX_DOMAIN_LENGTH) {
    throw new InvalidParametersError(`The signature domain must be 1 to ${MAX_DOMAIN_LENGTH} bytes of UTF-8, got ${domainBytes.byteLength}`)
  }
  return new Uint8ArrayList(
    encodeUvarint(domainBytes.byteLength), domainBytes,
    encodeUvarint(payloadType.byteLength), payloadType,
    encodeUvarint(payload.byteLength), payload
  ).subarray()
}

/**
 * A signed envelope (RFC 0002): a payload, its type, the signer's public key
 * and a signature over the three bound to a domain string, so a signature made
 * for one purpose is never valid for another.
 */
export class RecordEnvelope implements Envelope {
  readonly publicKey: PublicKey
  readonly payloadType: Uint8Array
  readonly payload: Uint8Array
  readonly signature: Uint8Array
  #marshaled?: Uint8Array

  constructor (init: RecordEnvelopeInit) {
    this.publicKey = init.publicKey
    this.payloadType = init.payloadType
    this.payload = init.payload
    this.signature = init.signature
  }

  /**
   * Marshals `record`, and signs it under the record's domain with
   * `privateKey`.
   */
  static async seal (record: Record, privateKey: PrivateKey, options?: AbortOptions): Promise<RecordEnvelope> {
    if (privateKey == null || typeof privateKey.sign !== 'function') {
      throw new InvalidParametersError('seal() needs a private key')
    }
    options?.signal?.throwIfAborted()
    const payloadType = copyBytes(record.codec)
    const payload = record.marshal()
    const signature = await privateKey.sign(signaturePayload(record.domain, payloadType, payload), options)
    return new RecordEnvelope({ publicKey: privateKey.publicKey, payloadType, payload, signature })
  }

  /**
   * Parses a marshalled envelope without checking its signature. Anything but
   * a well-formed envelope of at most {@link MAX_ENVELOPE_SIZE} bytes with a
   * valid public key fails with {@link InvalidEnvelopeError}.
   */
  static createFromProtobuf (data: Uint8Array | Uint8ArrayList): RecordEnvelope {
    if (!(data instanceof Uint8Array) && !(data instanceof Uint8ArrayList)) {
      throw new InvalidEnvelopeError('A signed envelope must be a Uint8Array or Uint8ArrayList')
    }
    if (data.byteLength > MAX_ENVELOPE_SIZE) {
      throw new InvalidEnvelopeError(`The signed envelope is ${data.byteLength} bytes, more than the ${MAX_ENVELOPE_SIZE} allowed`)
    }
    const bytes = copyBytes(toBytes(data))
    let message: pb.Envelope
    try {
      message = pb.Envelope.decode(bytes)
    } catch (err: any) {
      throw new InvalidEnvelopeError(`Could not decode the signed envelope: ${String(err?.message ?? err)}`)
    }
    let publicKey: PublicKey
    try {
      publicKey = publicKeyFromProtobuf(message.publicKey)
    } catch (err: any) {
      throw new InvalidEnvelopeError(`The signed envelope has no valid public key: ${String(err?.message ?? err)}`)
    }
    const envelope = new RecordEnvelope({
      publicKey,
      payloadType: copyBytes(message.payloadType),
      payload: copyBytes(message.payload),
      signature: copyBytes(message.signature)
    })
    // keep the bytes as received: they are what peers compare and forward
    envelope.#marshaled = bytes
    return envelope
  }

  /**
   * Parses a marshalled envelope and checks its signature under `domain`.
   * Fails with {@link InvalidEnvelopeError} for malformed bytes and with
   * {@link InvalidSignatureError} when the signature does not verify (a wrong
   * domain included).
   */
  static async openAndCertify (data: Uint8Array | Uint8ArrayList, domain: string, options?: AbortOptions): Promise<RecordEnvelope> {
    const envelope = RecordEnvelope.createFromProtobuf(data)
    if (!await envelope.validate(domain, options)) {
      throw new InvalidSignatureError(`The envelope signature by ${envelope.publicKey.toString()} is not valid for the domain "${domain}"`)
    }
    return envelope
  }

  /** The envelope's protobuf form. */
  marshal (): Uint8Array {
    this.#marshaled ??= copyBytes(pb.Envelope.encode({
      publicKey: publicKeyToProtobuf(this.publicKey),
      payloadType: this.payloadType,
      payload: this.payload,
      signature: this.signature
    }).finish())
    return this.#marshaled
  }

  /** True when the signature verifies under `domain`; false for any bad signature. */
  async validate (domain: string, options?: AbortOptions): Promise<boolean> {
    const data = signaturePayload(domain, this.payloadType, this.payload)
    options?.signal?.throwIfAborted()
    try {
      return await this.publicKey.verify(data, this.signature, options) === true
    } catch (err: any) {
      if (err?.name === 'AbortError') throw err
      // a malformed signature (wrong length, bad DER) is just an invalid one
      return false
    }
  }

  /** True when `other` has the same key, payload type, payload and signature. */
  equals (other?: Envelope): boolean {
    if (other == null) return false
    return this.publicKey.equals(other.publicKey) &&
      bytesEqual(this.payloadType, toBytes(other.payloadType)) &&
      bytesEqual(this.payload, toBytes(other.payload)) &&
      bytesEqual(this.signature, toBytes(other.signature))
  }
}
