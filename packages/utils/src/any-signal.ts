import type { ClearableSignal } from '@ts-libp2p/interface'

/**
 * A signal that fires when the first of `signals` fires, with that signal's
 * reason. `undefined`/`null` entries are skipped.
 *
 * Call `clear()` once the operation is over: it removes the listeners this
 * added to the input signals, which would otherwise live as long as the
 * longest-lived input (for example a node-wide shutdown signal). `AbortSignal.any`
 * gives no way to do that on Node 20.
 *
 * @example
 *
 * ```ts
 * const signal = anySignal([shutdown.signal, AbortSignal.timeout(5_000)])
 * try {
 *   await work({ signal })
 * } finally {
 *   signal.clear()
 * }
 * ```
 */
export function anySignal (signals: Array<AbortSignal | undefined | null>): ClearableSignal {
  const controller = new AbortController()
  const cleanups: Array<() => void> = []

  const clear = (): void => {
    for (const cleanup of cleanups.splice(0)) {
      cleanup()
    }
  }

  for (const signal of signals) {
    if (signal == null) {
      continue
    }
    if (signal.aborted) {
      clear()
      controller.abort(signal.reason)
      break
    }
    const onAbort = (): void => {
      clear()
      controller.abort(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    cleanups.push(() => { signal.removeEventListener('abort', onAbort) })
  }

  return Object.assign(controller.signal, { clear })
}
