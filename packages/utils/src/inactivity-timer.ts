/**
 * Fires `onIdle` once nothing was `touch()`ed for `timeout` ms. Touching
 * only records the time; the single timer checks it when it fires and
 * re-arms for the rest, so busy streams pay one `Date.now()` per chunk, not
 * a timer reset. The timer is unref'd: an idle stream must not keep a
 * Node.js process alive.
 */
export class InactivityTimer {
  readonly #onIdle: (idleFor: number) => void
  #timeout: number
  #timer?: ReturnType<typeof setTimeout>
  #lastActivity: number

  constructor (onIdle: (idleFor: number) => void) {
    this.#onIdle = onIdle
    this.#timeout = 0
    this.#lastActivity = Date.now()
  }

  get timeout (): number {
    return this.#timeout
  }

  /** Sets the timeout and restarts the clock; 0 disables it. */
  set timeout (ms: number) {
    this.#timeout = ms > 0 ? ms : 0
    this.#lastActivity = Date.now()
    this.#arm(this.#timeout)
  }

  touch (): void {
    if (this.#timeout > 0) {
      this.#lastActivity = Date.now()
    }
  }

  clear (): void {
    if (this.#timer != null) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  #arm (ms: number): void {
    this.clear()
    if (this.#timeout === 0) {
      return
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const idleFor = Date.now() - this.#lastActivity
      if (idleFor < this.#timeout) {
        this.#arm(this.#timeout - idleFor)
        return
      }
      this.#onIdle(idleFor)
    }, ms)
    const timer: any = this.#timer
    if (typeof timer?.unref === 'function') {
      timer.unref()
    }
  }
}
