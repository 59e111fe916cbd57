/**
 * @packageDocumentation
 *
 * multistream-select 1.0.0: how two libp2p peers agree on the protocol of a
 * new connection or stream (libp2p/specs `connections/README.md`,
 * "multistream-select").
 *
 * Every message is a uvarint length, the UTF-8 text and `\n`. The dialer
 * sends `/multistream/1.0.0` and a protocol id; the listener answers with the
 * header and either echoes the protocol (agreed) or says `na`, after which the
 * dialer may propose another one. `ls` asks the listener for its list.
 *
 * - `select(stream, protocols, options)`: the dialer side. With a single
 *   protocol it is optimistic by default: it returns at once and the header
 *   and protocol travel with the first bytes the application sends.
 * - `handle(stream, protocols, options)`: the listener side.
 * - `ls(stream, options)`: asks the listener for its protocols.
 *
 * Each works on any `MessageStream` (a raw connection, an encrypted channel
 * or a muxed stream), returns the same stream, and leaves bytes that followed
 * the negotiation on it for the application.
 *
 * @example
 * ```ts
 * import { select, handle } from '@ts-libp2p/multistream-select'
 *
 * const [{ protocol }] = await Promise.all([
 *   select(outbound, ['/echo/2.0.0', '/echo/1.0.0'], { signal: AbortSignal.timeout(5000) }),
 *   handle(inbound, ['/echo/1.0.0'])
 * ])
 * // protocol === '/echo/1.0.0'
 * ```
 */

import type { AbortOptions, MessageStream } from '@ts-libp2p/interface'

export { select, ls } from './select.js'
export { handle } from './handle.js'
export {
  PROTOCOL_ID,
  MAX_MESSAGE_LENGTH,
  MAX_LS_RESPONSE_LENGTH,
  MAX_LS_PROTOCOLS,
  MAX_LISTENER_MESSAGES,
  MAX_DIALER_PROTOCOLS,
  NEGOTIATION_TIMEOUT
} from './constants.js'

/** Options shared by every negotiation. */
export interface NegotiationOptions extends AbortOptions {
  /**
   * Time limit in ms for the negotiation, on top of `signal`. When it runs
   * out the negotiation fails with TimeoutError (for an optimistic select,
   * the stream is aborted with it). 0 disables it.
   *
   * @default NEGOTIATION_TIMEOUT (10 000 ms)
   */
  timeout?: number
}

/** Options of `select()`. */
export interface SelectOptions extends NegotiationOptions {
  /**
   * When true, always wait for the listener's answer before resolving. When
   * false or unset and exactly one protocol is given, select optimistically:
   * resolve at once and send the negotiation with the first data, saving a
   * round trip.
   *
   * @default false
   */
  negotiateFully?: boolean

  /**
   * The header was already exchanged on this stream, by an earlier `ls()`:
   * do not send or expect it again.
   *
   * @default false
   */
  headerExchanged?: boolean
}

/** Options of `ls()`. */
export interface LsOptions extends NegotiationOptions {
  /**
   * The header was already exchanged on this stream: do not send or expect
   * it again.
   *
   * @default false
   */
  headerExchanged?: boolean
}

/** Options of `handle()`. */
export interface HandleOptions extends NegotiationOptions {
  /**
   * How many messages (header, `ls`, proposals) to answer before failing with
   * ProtocolError.
   *
   * @default MAX_LISTENER_MESSAGES (64)
   */
  maxMessages?: number
}

/** The outcome of a negotiation. */
export interface SelectResult<S extends MessageStream = MessageStream> {
  /**
   * The stream that was passed in, now carrying `protocol`. Bytes the remote
   * sent right after the negotiation are at the front of its read buffer.
   */
  stream: S

  /** The protocol both sides agreed on. */
  protocol: string
}
