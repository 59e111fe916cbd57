import { raceSignal } from './race-signal.js'
import { pDefer } from './defer.js'

/** Options for {@link raceEvent}. */
export interface RaceEventOptions {
  /** Reject when this fires (see `abortReason`). */
  signal?: AbortSignal
  /**
   * Events that reject the wait. The rejection is the event's `error` or
   * `detail` when that is an Error, otherwise an Error naming the event.
   */
  errorEvents?: string[]
  /** Resolve only for an event this accepts. */
  filter?(evt: any): boolean
}

/** Anything with addEventListener/removeEventListener (EventTarget, TypedEventEmitter). */
export interface EventSource {
  addEventListener(type: string, listener: (evt: any) => void, options?: any): void
  removeEventListener(type: string, listener: (evt: any) => void, options?: any): void
}

function isAbortSignal (value: unknown): value is AbortSignal {
  return typeof value === 'object' && value != null && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function'
}

/**
 * Resolves with the next `event` dispatched by `emitter`, rejects on one of
 * `errorEvents` or when `signal` fires. Every listener it adds is removed
 * when it settles.
 *
 * @example
 *
 * ```ts
 * if (!stream.send(bytes)) {
 *   await raceEvent(stream, 'drain', { signal, errorEvents: ['close'] })
 * }
 * await raceEvent(listener, 'listening', AbortSignal.timeout(1_000))
 * ```
 */
export async function raceEvent<T = Event> (emitter: EventSource, event: string, options?: RaceEventOptions | AbortSignal): Promise<T>
export async function raceEvent<T = Event> (emitter: EventSource, event: string, signalOrOptions: RaceEventOptions | AbortSignal = {}): Promise<T> {
  // raceEvent(emitter, 'drain', signal) is the short form
  const options: RaceEventOptions = isAbortSignal(signalOrOptions) ? { signal: signalOrOptions } : signalOrOptions
  const deferred = pDefer<T>()
  const onEvent = (evt: any): void => {
    if (options.filter != null && !options.filter(evt)) {
      return
    }
    deferred.resolve(evt)
  }
  const onError = (evt: any): void => {
    const err = evt?.error instanceof Error ? evt.error : evt?.detail instanceof Error ? evt.detail : new Error(`"${String(evt?.type)}" event while waiting for "${event}"`)
    deferred.reject(err)
  }
  emitter.addEventListener(event, onEvent)
  for (const type of options.errorEvents ?? []) {
    emitter.addEventListener(type, onError)
  }
  try {
    return await raceSignal(deferred.promise, options.signal)
  } finally {
    emitter.removeEventListener(event, onEvent)
    for (const type of options.errorEvents ?? []) {
      emitter.removeEventListener(type, onError)
    }
  }
}
