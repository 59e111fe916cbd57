import type { Uint8ArrayList } from 'uint8arraylist'

/** Dispatched by a message stream for every chunk of bytes it delivers. */
export class StreamMessageEvent extends Event {
  /** The bytes received, in the order they arrived. */
  public data: Uint8Array | Uint8ArrayList

  constructor (data: Uint8Array | Uint8ArrayList, eventInitDict?: EventInit) {
    super('message', eventInitDict)
    this.data = data
  }
}

/**
 * Dispatched once when a stream or connection is finished: cleanly closed,
 * aborted locally, or reset by the remote. `error` is set for the last two.
 */
export class StreamCloseEvent extends Event {
  /** Why the stream ended abnormally, if it did. */
  public error?: Error
  /** True when the local side caused the close. */
  public local?: boolean

  constructor (local?: boolean, error?: Error, eventInitDict?: EventInit) {
    super('close', eventInitDict)
    this.error = error
    this.local = local
  }
}

/** A close caused by a local `abort(err)`. */
export class StreamAbortEvent extends StreamCloseEvent {
  constructor (error: Error, eventInitDict?: EventInit) {
    super(true, error, eventInitDict)
  }
}

/** A close caused by the remote resetting the stream. */
export class StreamResetEvent extends StreamCloseEvent {
  constructor (error: Error, eventInitDict?: EventInit) {
    super(false, error, eventInitDict)
  }
}
