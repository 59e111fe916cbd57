import { AbortError } from '@ts-libp2p/interface'

/**
 * The error to reject with when `signal` has fired.
 *
 * A reason the caller gave (an Error of theirs, or the TimeoutError of
 * `AbortSignal.timeout()`) is kept. The anonymous DOMException that a bare
 * `controller.abort()` produces becomes our typed AbortError, so callers can
 * match `err.name === 'AbortError'` whatever aborted them.
 */
export function abortReason (signal: AbortSignal, message = 'The operation was aborted'): Error {
  const reason: unknown = signal.reason
  if (reason == null || (reason instanceof Error && reason.name === 'AbortError' && !(reason instanceof AbortError))) {
    return new AbortError(message)
  }
  if (reason instanceof Error) {
    return reason
  }
  return new AbortError(`${message}: ${String(reason)}`)
}

/** Throws {@link abortReason} if `signal` has already fired. */
export function throwIfAborted (signal?: AbortSignal, message?: string): void {
  if (signal?.aborted === true) {
    throw abortReason(signal, message)
  }
}

/**
 * Settles like `promise`, or rejects as soon as `signal` fires (see
 * {@link abortReason} for the error). The abort listener is removed when
 * `promise` settles, so racing many promises against one long-lived signal
 * does not accumulate listeners.
 *
 * The work behind `promise` is not cancelled: pass the signal to it as well
 * where it can stop early.
 *
 * @example
 *
 * ```ts
 * const bytes = await raceSignal(readSomething(), AbortSignal.timeout(5_000))
 * ```
 */
export async function raceSignal<T> (promise: PromiseLike<T>, signal?: AbortSignal, message?: string): Promise<T> {
  if (signal == null) {
    return promise
  }
  if (signal.aborted) {
    // the promise may reject later: nobody else is listening, so swallow that
    Promise.resolve(promise).catch(() => {})
    throw abortReason(signal, message)
  }
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((resolve, reject) => {
        onAbort = () => {
          Promise.resolve(promise).catch(() => {})
          reject(abortReason(signal, message))
        }
        signal.addEventListener('abort', onAbort, { once: true })
      })
    ])
  } finally {
    if (onAbort != null) {
      signal.removeEventListener('abort', onAbort)
    }
  }
}
