/**
 * The echo differed from the payload sent: the remote does not speak
 * `/ipfs/ping/1.0.0` correctly (or the stream corrupted the bytes).
 */
export class PingMismatchError extends Error {
  static override name = 'PingMismatchError'

  constructor (message = 'The ping payload came back different') {
    super(message)
    this.name = 'PingMismatchError'
  }
}
