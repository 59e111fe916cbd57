import { LimitExceededError } from '@ts-libp2p/interface'

/**
 * A client asked the server for more bytes than its `maxDownloadBytes`
 * allows; the server resets the stream without sending anything. A subclass
 * of LimitExceededError, so either name may be matched with `instanceof`.
 */
export class DownloadTooLargeError extends LimitExceededError {
  static override name = 'DownloadTooLargeError'

  constructor (message = 'The requested download is over the server limit') {
    super(message)
    this.name = 'DownloadTooLargeError'
  }
}
