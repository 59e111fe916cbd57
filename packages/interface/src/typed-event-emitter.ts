import type { EventHandler, TypedEventTarget } from 'main-event'

/** A listener registered with `once`, `capture` or `signal`: the options kept beside it. */
class ListenerEntry {
  readonly listener: EventHandler<any>
  readonly capture: boolean
  readonly once: boolean
  readonly signal?: AbortSignal
  onAbort?: () => void

  constructor (listener: EventHandler<any>, capture: boolean, once: boolean, signal?: AbortSignal) {
    this.listener = listener
    this.capture = capture
    this.once = once
    this.signal = signal
  }
}

/** A plain listener (no options) is stored as itself; the rest as a {@link ListenerEntry}. */
type Stored = EventHandler<any> | ListenerEntry

/** Lists of listeners by event type; its prototype has no properties, so any type name is safe as a key. */
function ListenerLists (this: any): void {}
ListenerLists.prototype = Object.create(null)
type Lists = Record<string, Stored[] | undefined>

function listenerOf (stored: Stored): EventHandler<any> {
  return stored instanceof ListenerEntry ? stored.listener : stored
}

function captureOf (stored: Stored): boolean {
  return stored instanceof ListenerEntry ? stored.capture : false
}

function flattenCapture (options?: boolean | EventListenerOptions): boolean {
  return typeof options === 'boolean' ? options : options?.capture === true
}

/**
 * A typed event target (the `TypedEventTarget` of main-event, which the
 * official js-libp2p modules use) that holds nothing per instance until the
 * first listener is added, and nothing per listener beyond the listener itself
 * unless it has options. Every connection of a node is made of several of
 * these (raw connection, secured channel, muxer, connection) with a dozen
 * listeners between them: built on Node's `EventTarget` plus main-event's
 * bookkeeping they cost three Maps per target and a wrapper, an options object
 * and an abort closure per listener (PERF-LOG: about 6 KiB per connection).
 *
 * Dispatch follows the DOM rules that matter here: listeners run in the order
 * they were added, a listener added during a dispatch is not called by it, one
 * removed during a dispatch is not called any more, the same listener (and
 * capture flag) is added once only, `once` and `signal` remove listeners, and
 * an exception thrown by a listener does not stop the others (it is rethrown
 * from a microtask, so it surfaces as an uncaught exception, as with
 * `EventTarget`). Not supported: `stopImmediatePropagation()` (all listeners
 * run) and `event.target` (left null; listeners receive the emitter through
 * their closures). {@link safeDispatchEvent} creates no event when nobody
 * listens (unless a subclass overrides `dispatchEvent`).
 */
export class TypedEventEmitter<EventMap extends Record<string, any>> implements TypedEventTarget<EventMap> {
  #lists?: Lists
  /** Dispatches in progress: while one runs, lists are copied on write instead of changed in place. */
  #dispatching = 0

  /** The number of listeners registered for `type`. */
  listenerCount (type: string): number {
    return this.#lists?.[type]?.length ?? 0
  }

  addEventListener<K extends keyof EventMap>(type: K, listener: EventHandler<EventMap[K]> | null, options?: boolean | AddEventListenerOptions): void
  addEventListener (type: string, listener: EventHandler<any> | null, options?: boolean | AddEventListenerOptions): void
  addEventListener (type: string, listener: EventHandler<any> | null, options?: boolean | AddEventListenerOptions): void {
    if (listener == null) {
      return
    }
    let capture = false
    let once = false
    let signal: AbortSignal | undefined
    if (typeof options === 'boolean') {
      capture = options
    } else if (options != null) {
      capture = options.capture === true
      once = options.once === true
      signal = options.signal ?? undefined
      if (signal?.aborted === true) {
        return
      }
    }
    const lists: Lists = this.#lists ??= new (ListenerLists as any)()
    const list = lists[type]
    if (list != null) {
      for (const stored of list) {
        if (listenerOf(stored) === listener && captureOf(stored) === capture) {
          return
        }
      }
    }
    let stored: Stored = listener
    if (capture || once || signal != null) {
      const entry = new ListenerEntry(listener, capture, once, signal)
      if (signal != null) {
        entry.onAbort = () => { this.removeEventListener(type, listener, { capture }) }
        signal.addEventListener('abort', entry.onAbort, { once: true })
      }
      stored = entry
    }
    if (list == null) {
      lists[type] = [stored]
    } else if (this.#dispatching === 0) {
      list.push(stored)
    } else {
      // copy on write: the dispatch in progress keeps iterating the list it started with
      lists[type] = [...list, stored]
    }
  }

  removeEventListener<K extends keyof EventMap>(type: K, listener?: EventHandler<EventMap[K]> | null, options?: boolean | EventListenerOptions): void
  removeEventListener (type: string, listener?: EventHandler<any> | null, options?: boolean | EventListenerOptions): void
  removeEventListener (type: string, listener?: EventHandler<any> | null, options?: boolean | EventListenerOptions): void {
    const lists = this.#lists
    const list = lists?.[type]
    if (lists == null || list == null || listener == null) {
      return
    }
    const capture = flattenCapture(options)
    const index = list.findIndex(stored => listenerOf(stored) === listener && captureOf(stored) === capture)
    if (index === -1) {
      return
    }
    const stored = list[index]
    if (stored instanceof ListenerEntry && stored.onAbort != null) {
      stored.signal?.removeEventListener('abort', stored.onAbort)
    }
    if (this.#dispatching === 0) {
      // an empty list stays for the next listener (streams add and remove them per read)
      list.splice(index, 1)
    } else {
      lists[type] = list.filter((_, i) => i !== index)
    }
  }

  dispatchEvent (event: Event): boolean {
    const type = event.type
    const list = this.#lists?.[type]
    if (list == null || list.length === 0) {
      return !event.defaultPrevented
    }
    this.#dispatching++
    try {
      for (const stored of list) {
        const current = this.#lists?.[type]
        if (current !== list && current?.includes(stored) !== true) {
          // removed by an earlier listener of this dispatch
          continue
        }
        let listener: EventHandler<any> = stored as EventHandler<any>
        if (stored instanceof ListenerEntry) {
          listener = stored.listener
          if (stored.once) {
            this.removeEventListener(type, listener, { capture: stored.capture })
          }
        }
        try {
          if (typeof listener === 'function') {
            listener.call(this, event)
          } else {
            listener.handleEvent(event)
          }
        } catch (err) {
          queueMicrotask(() => { throw err })
        }
      }
    } finally {
      this.#dispatching--
    }
    return !event.defaultPrevented
  }

  /**
   * Dispatches a `CustomEvent` of `type` with `detail`, when someone listens
   * (no event is created otherwise). Returns false when a listener called
   * `preventDefault()` on a cancelable event.
   */
  safeDispatchEvent<Detail>(type: keyof EventMap, detail?: CustomEventInit<Detail>): boolean {
    if (this.listenerCount(type as string) === 0 && this.dispatchEvent === TypedEventEmitter.prototype.dispatchEvent) {
      // nobody to tell (a subclass that overrides dispatchEvent sees every event)
      return true
    }
    return this.dispatchEvent(new CustomEvent<Detail>(type as string, detail))
  }
}
