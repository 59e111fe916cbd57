import { abortReason, throwIfAborted } from '@ts-libp2p/utils'
import type { AbortOptions, MessageStream } from '@ts-libp2p/interface'

/**
 * Sends back everything the stream receives, honouring backpressure (it
 * stops reading while `send()` waits for `drain`), then closes the stream
 * when the remote has closed its write side. If the stream fails or the
 * signal fires it aborts the stream and rejects. Resolves with the number of
 * bytes echoed.
 *
 * @example
 *
 * ```ts
 * const [client, server] = streamPair()
 * const done = echo(server)
 * ```
 */
export async function echo (stream: MessageStream, options: AbortOptions = {}): Promise<number> {
  const signal = options.signal
  throwIfAborted(signal)
  let bytes = 0
  // aborting the stream ends the read loop wherever it is waiting
  const onAbort = (): void => { stream.abort(abortReason(signal as AbortSignal)) }
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for await (const chunk of stream) {
      bytes += chunk.byteLength
      if (!stream.send(chunk)) {
        await stream.onDrain(options)
      }
    }
    await stream.close(options)
    return bytes
  } catch (err: any) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}
