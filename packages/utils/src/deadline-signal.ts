import type { ClearableSignal } from '@ts-libp2p/interface'

/**
 * A signal that fires when `parent` does (with its reason) or after `ms`
 * (with `onTimeout()`'s error), whichever is first: one AbortController and
 * one timer, where `anySignal([parent, AbortSignal.timeout(ms)])` makes two
 * controllers and a timeout signal. `clear()` stops the timer and removes the
 * listener from `parent`; call it when the work is done. The timer does not
 * keep the process alive.
 */
export function deadlineSignal (parent: AbortSignal | undefined, ms: number, onTimeout: () => Error): ClearableSignal {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  const clear = (): void => {
    clearTimeout(timer)
    if (onAbort != null) parent?.removeEventListener('abort', onAbort)
  }
  if (parent?.aborted === true) {
    controller.abort(parent.reason)
  } else {
    if (parent != null) {
      onAbort = () => {
        clear()
        controller.abort(parent.reason)
      }
      parent.addEventListener('abort', onAbort, { once: true })
    }
    if (ms > 0 && Number.isFinite(ms)) {
      timer = setTimeout(() => {
        clear()
        controller.abort(onTimeout())
      }, ms)
      if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref()
    }
  }
  return Object.assign(controller.signal, { clear })
}
