import { InvalidMessageError } from '@ts-libp2p/interface'

/**
 * A datagram received on the mDNS socket is not a DNS message we can read:
 * too large, not decodable, or missing what the spec requires. The discovery
 * logs and ignores such packets; the codec functions throw this error.
 * A subclass of InvalidMessageError.
 */
export class InvalidMdnsPacketError extends InvalidMessageError {
  static override name = 'InvalidMdnsPacketError'

  constructor (message = 'Invalid mDNS packet') {
    super(message)
    this.name = 'InvalidMdnsPacketError'
  }
}
