import { StreamStateError } from '@ts-libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

export type ReaderResult = IteratorResult<Uint8Array | Uint8ArrayList, undefined>

/** What a message stream gives its reader: closures over its own state. */
export interface ReaderHost {
  /** Claims the stream for this reader; false when another reader has it. */
  start(): boolean
  /** A delivery or the end now, or undefined when the reader must wait; throws the stream's error. */
  step(): ReaderResult | undefined
  /** Installs the function that state changes call to wake a waiting reader (undefined removes it). */
  setWake(wake: (() => void) | undefined): void
  /** True while `wake` is the installed one. */
  isWake(wake: () => void): boolean
  /** The read is over (ended, failed, `return()` or `throw()`): release the stream. */
  end(): void
}

/**
 * A message stream's reader. A plain iterator rather than an async
 * generator: a step that finds bytes buffered resolves at once, and a
 * waiting step is resolved by the wake-up itself (one microtask later, never
 * inside the call that woke it), not by resuming a generator that then
 * yields (several promise hops per delivery). Concurrent `next()` calls are
 * served in order; `return()` and `throw()` wait for a pending step, then
 * end the read.
 */
export function createReader (host: ReaderHost): AsyncGenerator<Uint8Array | Uint8ArrayList> {
  let started = false
  let done = false
  let waiting: Promise<ReaderResult> | undefined
  const finish = (): void => {
    if (done) {
      return
    }
    done = true
    if (started) {
      host.end()
    }
  }
  const step = (): ReaderResult | undefined => {
    let result: ReaderResult | undefined
    try {
      result = host.step()
    } catch (err) {
      finish()
      throw err
    }
    if (result?.done === true) {
      finish()
    }
    return result
  }
  // not async: a step that finds a result resolves without an extra promise around it
  const next = (): Promise<ReaderResult> => {
    if (waiting != null) {
      // a step is already waiting: this one follows it
      return waiting.then(next, next)
    }
    if (done) {
      return Promise.resolve({ done: true, value: undefined })
    }
    if (!started) {
      if (!host.start()) {
        done = true
        return Promise.reject(new StreamStateError('The stream already has a reader: iterate it from one place at a time'))
      }
      started = true
    }
    let result: ReaderResult | undefined
    try {
      result = step()
    } catch (err) {
      return Promise.reject(err)
    }
    if (result != null) {
      return Promise.resolve(result)
    }
    const promise = new Promise<ReaderResult>((resolve, reject) => {
      let scheduled = false
      const wake = (): void => {
        scheduled = false
        if (!host.isWake(onWake)) {
          return
        }
        try {
          const result = step()
          if (result == null) {
            return
          }
          resolve(result)
        } catch (err) {
          reject(err)
        }
        if (host.isWake(onWake)) {
          host.setWake(undefined)
        }
        waiting = undefined
      }
      const onWake = (): void => {
        if (!scheduled) {
          scheduled = true
          queueMicrotask(wake)
        }
      }
      host.setWake(onWake)
    })
    waiting = promise
    return promise
  }
  const iterator = {
    next,
    return: async (value?: any): Promise<ReaderResult> => {
      if (waiting != null) {
        await waiting.catch(() => {})
      }
      finish()
      return { done: true, value }
    },
    throw: async (err?: any): Promise<ReaderResult> => {
      if (waiting != null) {
        await waiting.catch(() => {})
      }
      finish()
      throw err
    },
    [Symbol.asyncIterator] () {
      return iterator
    }
  }
  return iterator as unknown as AsyncGenerator<Uint8Array | Uint8ArrayList>
}
