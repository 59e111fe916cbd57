/**
 * A promise with its resolve and reject functions, the shape of
 * `Promise.withResolvers()`. Ours because that function needs Node 22 and
 * ts-libp2p runs on Node 20.
 */
export interface DeferredPromise<T> {
  promise: Promise<T>
  resolve(value: T | PromiseLike<T>): void
  reject(reason?: unknown): void
}

/**
 * Creates a promise that is settled from outside.
 *
 * @example
 *
 * ```ts
 * const ready = pDefer<void>()
 * setTimeout(() => { ready.resolve() }, 10)
 * await ready.promise
 * ```
 */
export function pDefer<T = void> (): DeferredPromise<T> {
  let resolve!: (value: T | PromiseLike<T>) => void
  let reject!: (reason?: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
