/**
 * The listener side: `handle()` answers a dialer until it proposes a protocol
 * we support.
 */

import { toProtocolList } from './codec.js'
import { ListenerNegotiation } from './listener.js'
import { negotiate, negotiationSignal } from './negotiate.js'
import type { HandleOptions, SelectResult } from './index.js'
import type { MessageStream } from '@ts-libp2p/interface'

/**
 * Negotiates a protocol as the listener: answers the dialer's header, answers
 * `ls` with `protocols`, answers `na` to anything else we do not support, and
 * resolves when it echoes a supported protocol. Bytes the dialer sent after
 * that protocol (optimistic select sends data right behind it) are put back
 * on the stream for the protocol handler.
 *
 * @returns the same stream and the protocol the dialer chose
 * @throws InvalidParametersError for an empty list or an id that cannot be
 * offered; ProtocolError for a wrong header, too many messages or a stream
 * that ended early; InvalidMessageError for malformed bytes; TimeoutError or
 * AbortError when the time limit or `signal` fired. On error the stream is
 * left to the caller, who should abort it.
 */
export async function handle <S extends MessageStream> (stream: S, protocols: string | string[], options: HandleOptions = {}): Promise<SelectResult<S>> {
  // a listener may speak nothing yet (a node with no handlers): it answers `na` to every proposal
  const list = toProtocolList(protocols, Infinity, true)
  const log = stream.log.newScope('mss:handle')
  const signal = negotiationSignal(options)
  try {
    const protocol = await negotiate(stream, new ListenerNegotiation(list, options), signal)
    log.trace('dialer chose %s', protocol)
    return { stream, protocol }
  } catch (err: any) {
    log.trace('handle failed - %s', err.message)
    throw err
  } finally {
    signal.clear()
  }
}
