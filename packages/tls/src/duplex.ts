/**
 * A Node Duplex over a libp2p MessageStream, so node:tls can run the TLS
 * record layer on a raw connection that is not a socket.
 */
import { Duplex } from 'node:stream'
import { Uint8ArrayList } from 'uint8arraylist'
import type { Logger, MessageStream, StreamCloseEvent, StreamMessageEvent } from '@ts-libp2p/interface'

/**
 * Wraps `stream` in a Duplex whose reads are the stream's bytes and whose
 * writes go to `stream.send()`. `onIncoming` sees every received chunk
 * first (the handshake recorder).
 *
 * Backpressure both ways: when the Duplex's read buffer is full the stream
 * is paused (and resumed when node:tls asks for more); a write whose
 * `send()` returns false is completed only after the stream's `drain`, which
 * holds node:tls's writes back.
 *
 * Ending: the Duplex's end (after TLS sent its close_notify) does not close
 * the stream, because a raw connection has no half-close and the remote may
 * still be sending; the owner closes the stream once TLS is done both ways.
 * The remote ending the stream ends the Duplex's readable side; the stream
 * failing destroys the Duplex with the stream's error; destroying the Duplex
 * with an error aborts the stream.
 */
export function toDuplex (stream: MessageStream, log: Logger, onIncoming?: (data: Uint8Array) => void): Duplex {
  const onMessage = (evt: StreamMessageEvent): void => {
    const data: Uint8Array | Uint8ArrayList = evt.data
    if (onIncoming != null) {
      for (const chunk of data instanceof Uint8Array ? [data] : data) {
        onIncoming(chunk)
      }
    }
    let more = true
    if (data instanceof Uint8Array) {
      more = duplex.push(data)
    } else {
      for (const chunk of data) {
        more = duplex.push(chunk)
      }
    }
    if (!more) {
      stream.pause()
    }
  }
  const onEnd = (): void => {
    // the remote sent all it will send
    duplex.push(null)
  }
  const onClose = (evt: StreamCloseEvent): void => {
    cleanup()
    if (evt.error != null) {
      duplex.destroy(evt.error)
    } else {
      duplex.push(null)
    }
  }
  const cleanup = (): void => {
    stream.removeEventListener('message', onMessage)
    stream.removeEventListener('end', onEnd)
    stream.removeEventListener('close', onClose)
  }

  const write = (data: Uint8Array | Uint8ArrayList, callback: (err?: Error | null) => void): void => {
    try {
      if (stream.send(data)) {
        callback()
        return
      }
      stream.onDrain().then(() => { callback() }, (err: Error) => { callback(err) })
    } catch (err: any) {
      callback(err)
    }
  }

  const duplex = new Duplex({
    // the raw stream's chunks, not strings
    decodeStrings: false,
    read () {
      stream.resume()
    },
    write (chunk: Uint8Array, _encoding, callback) {
      write(chunk, callback)
    },
    writev (chunks, callback) {
      // one send for what node:tls corked together (a flight of records)
      write(new Uint8ArrayList(...chunks.map(({ chunk }) => chunk as Uint8Array)), callback)
    },
    final (callback) {
      log.trace('TLS finished writing')
      callback()
    },
    destroy (err, callback) {
      cleanup()
      if (err != null) {
        stream.abort(err)
      }
      callback(err)
    }
  })

  // delivered through `message` events from now on; start paused until
  // node:tls reads
  stream.pause()
  stream.addEventListener('message', onMessage)
  stream.addEventListener('end', onEnd)
  stream.addEventListener('close', onClose)
  return duplex
}
