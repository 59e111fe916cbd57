/**
 * The dialer side: `select()` proposes protocols, `ls()` asks for the
 * listener's list.
 */

import { AbortError } from '@ts-libp2p/interface'
import { toProtocolList } from './codec.js'
import { MAX_DIALER_PROTOCOLS } from './constants.js'
import { LsNegotiation, SelectNegotiation } from './dialer.js'
import { negotiate, negotiationSignal } from './negotiate.js'
import { canSelectOptimistically, optimisticSelect } from './optimistic.js'
import type { LsOptions, SelectOptions, SelectResult } from './index.js'
import type { MessageStream } from '@ts-libp2p/interface'

/**
 * Negotiates one of `protocols` (in order of preference) as the dialer.
 *
 * With several protocols, or with `negotiateFully: true`, it sends the header
 * and the first protocol in one write, reads the header and the answer, moves
 * to the next protocol on each `na`, and resolves once the listener echoes
 * one. Bytes the listener sent after its echo are put back on the stream.
 *
 * With exactly one protocol and `negotiateFully` not set, it resolves at once
 * (optimistic select): the header and the protocol go out with the first
 * `send()` (or when the application first reads or closes), and the answer is
 * checked before the application sees any received byte. If the listener
 * refuses, the stream is aborted with UnsupportedProtocolError.
 *
 * @returns the same stream and the protocol chosen
 * @throws InvalidParametersError for an empty list or an id that cannot be
 * negotiated; UnsupportedProtocolError when every protocol got `na`;
 * ProtocolError for a wrong header, an unexpected answer or a stream that
 * ended early; InvalidMessageError for malformed bytes; TimeoutError or
 * AbortError when the time limit or `signal` fired. On error the stream is
 * left to the caller, who should abort it.
 */
export async function select <S extends MessageStream> (stream: S, protocols: string | string[], options: SelectOptions = {}): Promise<SelectResult<S>> {
  const list = toProtocolList(protocols, MAX_DIALER_PROTOCOLS)
  const log = stream.log.newScope('mss:select')

  if (list.length === 1 && options.negotiateFully !== true && canSelectOptimistically(stream)) {
    if (options.signal?.aborted === true) {
      throw new AbortError('multistream-select was aborted')
    }
    log.trace('optimistic select of %s', list[0])
    optimisticSelect(stream, list[0], options, log)
    return { stream, protocol: list[0] }
  }

  log.trace('select one of %s', list)
  const signal = negotiationSignal(options)
  try {
    const protocol = await negotiate(stream, new SelectNegotiation(list, options), signal)
    log.trace('selected %s', protocol)
    return { stream, protocol }
  } catch (err: any) {
    log.trace('select failed - %s', err.message)
    throw err
  } finally {
    signal.clear()
  }
}

/**
 * Asks the listener which protocols it supports (`ls`).
 *
 * Listing is optional in the spec ("implementations MUST NOT depend on a
 * remote node supporting `ls`"): go-libp2p answers `na`, which makes this
 * throw UnsupportedProtocolError. Either way the stream is still in
 * negotiation afterwards: call `select(stream, protocols, { headerExchanged:
 * true, negotiateFully: true })` to choose a protocol on it.
 *
 * @throws UnsupportedProtocolError, ProtocolError, InvalidMessageError,
 * TimeoutError or AbortError as `select()` does
 */
export async function ls (stream: MessageStream, options: LsOptions = {}): Promise<string[]> {
  const log = stream.log.newScope('mss:ls')
  const signal = negotiationSignal(options, 'multistream-select ls')
  try {
    const protocols = await negotiate(stream, new LsNegotiation(options), signal)
    log.trace('remote lists %s', protocols)
    return protocols
  } finally {
    signal.clear()
  }
}
