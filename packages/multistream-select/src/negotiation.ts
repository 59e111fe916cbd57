/**
 * The shape shared by the dialer and listener state machines: they consume
 * decoded messages and say what to send and when they are done. They do no
 * I/O, so they can be tested byte by byte and driven over any stream.
 */

/** What a state machine wants after a message. */
export type NegotiationStep<R> =
  | { send?: Uint8Array, done: false }
  | { send?: Uint8Array, done: true, result: R }

/** A multistream-select state machine for one side of one stream. */
export interface Negotiation<R> {
  /** Bytes to send before anything is read (may be undefined). */
  start(): Uint8Array | undefined

  /** The largest message (length prefix value) accepted next. */
  readonly nextMessageLimit: number

  /**
   * Consumes one message body (without its newline).
   *
   * @throws InvalidMessageError, ProtocolError or UnsupportedProtocolError
   * when the negotiation cannot go on
   */
  onMessage(body: Uint8Array): NegotiationStep<R>
}
