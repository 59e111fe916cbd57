/**
 * The dialer (initiator) state machines: proposing protocols in order, and
 * asking for the listener's protocol list with `ls`.
 */

import { ProtocolError, UnsupportedProtocolError } from '@ts-libp2p/interface'
import { decodeLsResponse, decodeText, quoted, encodeMessages } from './codec.js'
import { LIST_PROTOCOLS, MAX_LS_RESPONSE_LENGTH, MAX_MESSAGE_LENGTH, NOT_AVAILABLE, PROTOCOL_ID } from './constants.js'
import type { Negotiation, NegotiationStep } from './negotiation.js'

/** Options of the dialer state machines. */
export interface DialerNegotiationOptions {
  /**
   * The `/multistream/1.0.0` header was already exchanged on this stream (by
   * an earlier `ls()`), so it is neither sent nor expected again.
   */
  headerExchanged?: boolean
}

/**
 * Checks the listener's header: connections/README.md: "If either side
 * receives anything other than the multistream protocol id as the first
 * message, they abort the negotiation process."
 */
export function checkHeader (body: Uint8Array): void {
  const text = decodeText(body)
  if (text !== PROTOCOL_ID) {
    throw new ProtocolError(`Expected the multistream-select header ${PROTOCOL_ID}, received ${quoted(text)}`)
  }
}

/**
 * Proposes `protocols` one after the other until the listener echoes one.
 *
 * The header and the first proposal go out together (multistream-select
 * README: "the initiator SHOULD send the multistream protocol AND the desired
 * protocol in the same packet"); each `na` is answered with the next proposal.
 * Anything but the echo or `na` is a ProtocolError, as in go-multistream
 * (`ErrUnrecognizedResponse`) and rust-libp2p (`ProtocolError::InvalidMessage`).
 */
export class SelectNegotiation implements Negotiation<string> {
  private readonly protocols: string[]
  private awaitingHeader: boolean
  private readonly headerExchanged: boolean
  private index = 0

  constructor (protocols: string[], options: DialerNegotiationOptions = {}) {
    this.protocols = protocols
    this.headerExchanged = options.headerExchanged === true
    this.awaitingHeader = !this.headerExchanged
  }

  get nextMessageLimit (): number {
    return MAX_MESSAGE_LENGTH
  }

  /** The protocol currently proposed. */
  get proposed (): string {
    return this.protocols[this.index]
  }

  start (): Uint8Array {
    return this.headerExchanged
      ? encodeMessages(this.protocols[0])
      : encodeMessages(PROTOCOL_ID, this.protocols[0])
  }

  onMessage (body: Uint8Array): NegotiationStep<string> {
    if (this.awaitingHeader) {
      checkHeader(body)
      this.awaitingHeader = false
      return { done: false }
    }

    const text = decodeText(body)
    const proposed = this.protocols[this.index]

    if (text === proposed) {
      return { done: true, result: proposed }
    }

    if (text !== NOT_AVAILABLE) {
      throw new ProtocolError(`Expected ${quoted(proposed)} or "na" in answer to ${quoted(proposed)}, received ${quoted(text)}`)
    }

    this.index++
    if (this.index === this.protocols.length) {
      throw new UnsupportedProtocolError(`The remote supports none of the protocols ${this.protocols.map(p => quoted(p)).join(', ')}`)
    }
    return { send: encodeMessages(this.protocols[this.index]), done: false }
  }
}

/**
 * Asks the listener for its protocols with `ls` (multistream-select README,
 * "Listing"). Support for `ls` is optional: a listener that answers `na`
 * makes this fail with UnsupportedProtocolError, after which the stream is
 * still in negotiation and a protocol can be proposed.
 */
export class LsNegotiation implements Negotiation<string[]> {
  private awaitingHeader: boolean
  private readonly headerExchanged: boolean

  constructor (options: DialerNegotiationOptions = {}) {
    this.headerExchanged = options.headerExchanged === true
    this.awaitingHeader = !this.headerExchanged
  }

  get nextMessageLimit (): number {
    return this.awaitingHeader ? MAX_MESSAGE_LENGTH : MAX_LS_RESPONSE_LENGTH
  }

  start (): Uint8Array {
    return this.headerExchanged
      ? encodeMessages(LIST_PROTOCOLS)
      : encodeMessages(PROTOCOL_ID, LIST_PROTOCOLS)
  }

  onMessage (body: Uint8Array): NegotiationStep<string[]> {
    if (this.awaitingHeader) {
      checkHeader(body)
      this.awaitingHeader = false
      return { done: false }
    }

    if (body.byteLength === NOT_AVAILABLE.length && decodeText(body) === NOT_AVAILABLE) {
      throw new UnsupportedProtocolError('The remote does not support listing protocols with "ls"')
    }

    return { done: true, result: decodeLsResponse(body) }
  }
}
