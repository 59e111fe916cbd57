/**
 * The listener (responder) state machine.
 */

import { ProtocolError } from '@ts-libp2p/interface'
import { decodeText, encodeLsResponse, encodeMessages } from './codec.js'
import { checkHeader } from './dialer.js'
import { LIST_PROTOCOLS, MAX_LISTENER_MESSAGES, MAX_MESSAGE_LENGTH, NOT_AVAILABLE, PROTOCOL_ID } from './constants.js'
import type { Negotiation, NegotiationStep } from './negotiation.js'

/** Options of the listener state machine. */
export interface ListenerNegotiationOptions {
  /** Messages answered before giving up (default MAX_LISTENER_MESSAGES). */
  maxMessages?: number
}

/**
 * Answers a dialer: the header with the header, `ls` with the protocol list,
 * an unknown protocol with `na`, a supported one with its echo (which ends
 * the negotiation).
 *
 * The header is answered when the dialer's header arrives rather than before
 * anything is read; the driver sends every answer to messages that arrived
 * together in one write, so a dialer that sends header and proposal in one
 * packet gets header and answer in one packet ("the responder SHOULD send its
 * first response in the same packet as the multistream protocol").
 *
 * A repeated header after the first is answered again, as js-libp2p does.
 */
export class ListenerNegotiation implements Negotiation<string> {
  private readonly protocols: string[]
  private readonly maxMessages: number
  private awaitingHeader = true
  private messages = 0
  /** Encoded ls answer, built on first request. */
  private lsResponse?: Uint8Array

  constructor (protocols: string[], options: ListenerNegotiationOptions = {}) {
    this.protocols = protocols
    this.maxMessages = options.maxMessages ?? MAX_LISTENER_MESSAGES
  }

  get nextMessageLimit (): number {
    return MAX_MESSAGE_LENGTH
  }

  start (): undefined {
    return undefined
  }

  onMessage (body: Uint8Array): NegotiationStep<string> {
    this.messages++
    if (this.messages > this.maxMessages) {
      throw new ProtocolError(`The remote sent more than ${this.maxMessages} multistream-select messages without agreeing on a protocol`)
    }

    if (this.awaitingHeader) {
      checkHeader(body)
      this.awaitingHeader = false
      return { send: encodeMessages(PROTOCOL_ID), done: false }
    }

    const text = decodeText(body)

    if (text === PROTOCOL_ID) {
      return { send: encodeMessages(PROTOCOL_ID), done: false }
    }

    if (text === LIST_PROTOCOLS) {
      this.lsResponse ??= encodeLsResponse(this.protocols).bytes
      return { send: this.lsResponse, done: false }
    }

    if (this.protocols.includes(text)) {
      return { send: encodeMessages(text), done: true, result: text }
    }

    return { send: encodeMessages(NOT_AVAILABLE), done: false }
  }
}
