import type { PublicKey } from './keys.js'
import type { Uint8ArrayList } from 'uint8arraylist'

/** A record that can be carried in a signed envelope (RFC 0002). */
export interface Record {
  /** The signature domain, e.g. `libp2p-peer-record`. */
  domain: string
  /** The payload type (a multicodec), e.g. 0x0301 for peer records. */
  codec: Uint8Array
  marshal(): Uint8Array
  equals(other: Record): boolean
}

/** A signed envelope (RFC 0002). */
export interface Envelope {
  publicKey: PublicKey
  payloadType: Uint8Array | Uint8ArrayList
  payload: Uint8Array
  signature: Uint8Array | Uint8ArrayList
  marshal(): Uint8Array
  /** Checks the signature under `domain`. */
  validate(domain: string): Promise<boolean>
  equals(other?: Envelope): boolean
}
