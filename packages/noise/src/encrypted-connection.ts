import { AbstractMessageStream } from '@ts-libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { COALESCE_TAIL_LENGTH, FRAME_LENGTH_BYTES, MAX_PLAINTEXT_LENGTH, TAG_LENGTH, WRITE_HIGH_WATER_MARK } from './constants.js'
import { DecryptionError, TruncatedFrameError } from './errors.js'
import type { CipherState } from './cipher-state.js'
import type { Logger, MessageStream, StreamCloseEvent } from '@ts-libp2p/interface'
import type { SendResult } from '@ts-libp2p/utils'

/** Options for {@link EncryptedConnection}. */
export interface EncryptedConnectionInit {
  /** The raw connection the handshake ran on. */
  connection: MessageStream
  /** Encrypts what we send. */
  send: CipherState
  /** Decrypts what we receive. */
  receive: CipherState
  log: Logger
}

/**
 * The noise transport phase as a MessageStream (noise/README.md, "Wire
 * Format" and "Encryption and I/O").
 *
 * Writing: what the base class hands to `sendData()` is cut into plaintext
 * chunks of at most 65519 bytes, so each ciphertext (chunk + 16-byte tag) fits
 * the 2-byte length prefix. Chunks are encrypted straight from the writer's
 * arrays (no copy into a staging buffer); the frames of one call go to the raw
 * connection in one `send()`. A few bytes left past full frames wait for the
 * end of the microtask to join the next write. When the raw connection says
 * it is full the base class stops until its `drain`.
 *
 * Reading: frames are parsed from the raw connection's chunks as they come
 * (at most one partial frame is held: under 64 KiB), authenticated and
 * decrypted, and their plaintext passed on. When our reader falls behind, the
 * raw connection is paused, which stops the socket (or the remote's window).
 * A frame that fails authentication (tampering, replay, reordering) aborts
 * the connection with a DecryptionError; the end of the raw bytes inside a
 * frame aborts it with a TruncatedFrameError.
 *
 * Noise has no half-close: closing our write side closes the raw connection
 * the way its own `close()` does.
 */
export class EncryptedConnection extends AbstractMessageStream {
  readonly #raw: MessageStream
  readonly #send: CipherState
  readonly #receive: CipherState
  /** Bytes of an incomplete frame. */
  readonly #pending: Uint8ArrayList
  /** Plaintext accepted but not yet encrypted (only between calls: a small held remainder). */
  readonly #tail: Uint8Array[]
  #tailLength: number
  #flushScheduled: boolean

  constructor (init: EncryptedConnectionInit) {
    const raw = init.connection
    super({
      log: init.log,
      direction: raw.direction,
      maxReadBufferLength: raw.maxReadBufferLength,
      // while the raw connection is full, let writers queue this much more:
      // it goes out in one batch of frames at its next `drain`
      writeHighWaterMark: WRITE_HIGH_WATER_MARK
    })
    this.#raw = raw
    this.#send = init.send
    this.#receive = init.receive
    this.#pending = new Uint8ArrayList()
    this.#tail = []
    this.#tailLength = 0
    this.#flushScheduled = false

    raw.addEventListener('message', (evt) => {
      this.#onRawData(evt.data)
    })
    raw.addEventListener('drain', () => {
      this.onSendReady()
    })
    raw.addEventListener('remoteCloseWrite', () => {
      if (this.#pending.byteLength > 0) {
        this.abort(new TruncatedFrameError(`The remote closed the connection ${this.#pending.byteLength} bytes into a noise frame`))
        return
      }
      this.onRemoteCloseWrite()
    })
    raw.addEventListener('close', (evt: StreamCloseEvent) => {
      if (evt.error == null) {
        if (this.#pending.byteLength > 0 && this.status !== 'aborted') {
          this.abort(new TruncatedFrameError(`The connection closed ${this.#pending.byteLength} bytes into a noise frame`))
          return
        }
        this.onTransportClosed()
      } else if (evt.local === true) {
        this.abort(evt.error)
      } else {
        this.onRemoteReset(evt.error)
      }
    })
  }

  // --------------------------------------------------------------- receiving

  #onRawData (data: Uint8Array | Uint8ArrayList): void {
    if (this.status === 'aborted' || this.status === 'reset') {
      return
    }
    const pending = this.#pending
    pending.append(data)
    try {
      while (pending.byteLength >= FRAME_LENGTH_BYTES) {
        const length = (pending.get(0) << 8) | pending.get(1)
        if (pending.byteLength < FRAME_LENGTH_BYTES + length) {
          break
        }
        if (length < TAG_LENGTH) {
          throw new DecryptionError(`A noise frame of ${length} bytes is shorter than its ${TAG_LENGTH}-byte tag`)
        }
        const end = FRAME_LENGTH_BYTES + length
        const ciphertext = pending.sublist(FRAME_LENGTH_BYTES, end - TAG_LENGTH)
        const tag = pending.subarray(end - TAG_LENGTH, end)
        const plaintext: Uint8Array[] = []
        try {
          this.#receive.decrypt(undefined, [...ciphertext], tag, plaintext)
        } catch (err: any) {
          if (err?.name === 'NonceExhaustedError') {
            throw err
          }
          throw new DecryptionError(`A noise transport message failed authentication (nonce ${this.#receive.nonce - 1n}): tampered, replayed or reordered`)
        }
        pending.consume(end)
        for (const part of plaintext) {
          this.onData(part)
        }
      }
    } catch (err: any) {
      pending.consume(pending.byteLength)
      this.abort(err)
    }
  }

  // ----------------------------------------------------------------- sending

  /**
   * Encrypts what the base class hands over as full frames. A small
   * remainder after full frames (under COALESCE_TAIL_LENGTH bytes: the 17
   * bytes a 64 KiB write leaves past one frame) waits until the end of the
   * microtask, so that the next write of a bulk writer carries it instead of
   * a frame of its own; small writes (no full frame) go out at once.
   */
  protected sendData (data: Uint8ArrayList): SendResult {
    const total = data.byteLength
    for (const part of data) {
      this.#tail.push(part)
    }
    this.#tailLength += total
    const out: Uint8Array[] = []
    let frames = 0
    while (this.#tailLength >= MAX_PLAINTEXT_LENGTH) {
      this.#sealFrame(MAX_PLAINTEXT_LENGTH, out)
      frames++
    }
    if (this.#tailLength > 0) {
      if (frames > 0 && this.#tailLength < COALESCE_TAIL_LENGTH) {
        if (!this.#flushScheduled) {
          this.#flushScheduled = true
          queueMicrotask(this.#flushTail)
        }
      } else {
        this.#sealFrame(this.#tailLength, out)
      }
    }
    if (out.length === 0) {
      return { sentBytes: total, canSendMore: true }
    }
    return { sentBytes: total, canSendMore: this.#raw.send(new Uint8ArrayList(...out)) }
  }

  /** Encrypts the first `length` bytes of the tail as one frame onto `out`. */
  #sealFrame (length: number, out: Uint8Array[]): void {
    const header = new Uint8Array(FRAME_LENGTH_BYTES)
    const frameLength = length + TAG_LENGTH
    header[0] = frameLength >> 8
    header[1] = frameLength & 0xff
    out.push(header)
    const tail = this.#tail
    const parts: Uint8Array[] = []
    let taken = 0
    let used = 0
    while (taken < length) {
      const part = tail[used]
      const want = length - taken
      if (part.byteLength <= want) {
        parts.push(part)
        taken += part.byteLength
        used++
      } else {
        parts.push(part.subarray(0, want))
        tail[used] = part.subarray(want)
        taken += want
      }
    }
    tail.splice(0, used)
    this.#tailLength -= length
    this.#send.encrypt(undefined, parts, out)
  }

  /** Sends a held remainder (at most COALESCE_TAIL_LENGTH bytes past a full raw connection). */
  readonly #flushTail = (): void => {
    this.#flushScheduled = false
    if (this.#tailLength === 0 || this.status === 'aborted' || this.status === 'reset') {
      return
    }
    try {
      const out: Uint8Array[] = []
      this.#sealFrame(this.#tailLength, out)
      this.#raw.send(new Uint8ArrayList(...out))
    } catch (err: any) {
      this.abort(err)
    }
  }

  protected sendReset (err: Error): void {
    this.#raw.abort(err)
  }

  protected sendCloseWrite (): void {
    this.#flushTail()
    this.#raw.close().catch((err: Error) => {
      this.abort(err)
    })
  }

  protected sendPause (): void {
    this.#raw.pause()
  }

  protected sendResume (): void {
    this.#raw.resume()
  }
}
