import { AbstractMessageStream } from '@ts-libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { EMPTY, concat } from './bytes.js'
import { COALESCE_TAIL_LENGTH, FRAME_LENGTH_BYTES, MAX_COPIED_PART_LENGTH, MAX_HELD_FRAME_PIECES, MAX_PLAINTEXT_LENGTH, TAG_LENGTH, WRITE_HIGH_WATER_MARK } from './constants.js'
import { DecryptionError, TruncatedFrameError } from './errors.js'
import type { CipherState } from './cipher-state.js'
import type { Logger, MemoryScope, MessageStream, StreamCloseEvent } from '@ts-libp2p/interface'
import type { SendResult } from '@ts-libp2p/utils'

const nextMacrotask: (fn: () => void) => void = typeof setImmediate === 'function'
  ? (fn) => { setImmediate(fn) }
  : (fn) => { setTimeout(fn, 0) }

/** Options for {@link EncryptedConnection}. */
export interface EncryptedConnectionInit {
  /** The raw connection the handshake ran on. */
  connection: MessageStream
  /** Encrypts what we send. */
  send: CipherState
  /** Decrypts what we receive. */
  receive: CipherState
  log: Logger
  /**
   * The remote peer's memory scope: charged, in 64 KiB steps, for a frame
   * being received (its whole body from its header on), unread plaintext
   * and plaintext queued behind a full raw connection. A refusal aborts the
   * connection with the scope's error (a ResourceLimitError in a node).
   */
  memoryScope?: MemoryScope
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
 * end of the microtask to join the next write (while the raw connection is
 * full, until its `drain`), and the last frame's tag waits with them. When the raw connection says
 * it is full the base class stops until its `drain`.
 *
 * Reading: frames are parsed from the raw connection's chunks as they come,
 * authenticated and decrypted, and each frame's plaintext passed on as one
 * delivery. A frame inside one chunk is decrypted from a subarray of it; a
 * frame that spans chunks is held as the list of its pieces (at most one
 * partial frame: under 64 KiB) and decrypted piece by piece, not assembled
 * (unless a remote trickles it in more than MAX_HELD_FRAME_PIECES pieces).
 * When our reader falls behind, the raw connection is paused, which stops the socket (or the remote's window).
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
  /** The pieces (subarrays of raw chunks) of a frame that spans raw chunks, tag included. */
  readonly #parts: Uint8Array[]
  /** The body length of the frame in `#parts` (ciphertext + tag), or -1 between frames. */
  #frameLength: number
  /** Bytes of that frame in `#parts`. */
  #have: number
  /** Set once the frame in `#parts` came in too many pieces: `#parts` is then this one array, filled up to `#have`. */
  #assembly?: Uint8Array
  /** The first byte of a frame header that ended a raw chunk, or -1. */
  #headerByte: number
  /** Reused per frame: the one-piece ciphertext of a frame inside a chunk, the plaintext parts, a tag that spans pieces. */
  readonly #frame: Uint8Array[]
  readonly #plaintext: Uint8Array[]
  readonly #tag: Uint8Array
  /** Plaintext accepted but not yet encrypted (only between calls: a small held remainder). */
  readonly #tail: Uint8Array[]
  #tailLength: number
  /** The tag of the last frame sent, held while a remainder is held: it goes out in front of the next frame's header. */
  #heldTag?: Uint8Array
  #flushScheduled: boolean
  /** Set when the raw connection's `send()` said it is full, until its `drain`. */
  #rawFull: boolean
  readonly #charged: boolean

  constructor (init: EncryptedConnectionInit) {
    const raw = init.connection
    super({
      log: init.log,
      direction: raw.direction,
      maxReadBufferLength: raw.maxReadBufferLength,
      // while the raw connection is full, let writers queue this much more:
      // it goes out in one batch of frames at its next `drain`
      writeHighWaterMark: WRITE_HIGH_WATER_MARK,
      memoryScope: init.memoryScope,
      chargeReadBuffer: true
    })
    this.#charged = init.memoryScope != null
    this.#raw = raw
    this.#send = init.send
    this.#receive = init.receive
    this.#parts = []
    this.#frameLength = -1
    this.#have = 0
    this.#headerByte = -1
    this.#frame = [EMPTY]
    this.#plaintext = []
    this.#tag = new Uint8Array(TAG_LENGTH)
    this.#tail = []
    this.#tailLength = 0
    this.#flushScheduled = false
    this.#rawFull = false

    raw.addEventListener('message', (evt) => {
      this.#onRawData(evt.data)
    })
    raw.addEventListener('drain', () => {
      this.#rawFull = false
      this.onSendReady()
      if (this.#tailLength > 0 || this.#heldTag != null) {
        // a remainder held while the raw connection was full: a writer that
        // waited for this drain writes again within this task and its next
        // frame carries the remainder; if it does not, it goes out on its own
        nextMacrotask(this.#flushTail)
      }
    })
    raw.addEventListener('remoteCloseWrite', () => {
      if (this.#buffered > 0) {
        this.abort(new TruncatedFrameError(`The remote closed the connection ${this.#buffered} bytes into a noise frame`))
        return
      }
      this.onRemoteCloseWrite()
    })
    raw.addEventListener('close', (evt: StreamCloseEvent) => {
      if (evt.error == null) {
        if (this.#buffered > 0 && this.status !== 'aborted') {
          this.abort(new TruncatedFrameError(`The connection closed ${this.#buffered} bytes into a noise frame`))
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

  /** Bytes of an incomplete frame held between raw chunks (a header byte or part of a body). */
  get #buffered (): number {
    return this.#headerByte >= 0 ? 1 : (this.#frameLength >= 0 ? FRAME_LENGTH_BYTES + this.#have : 0)
  }

  /** What the memory scope is charged for besides the buffers: the whole body of the frame being received (at most 64 KiB), the held remainder. */
  protected override get heldBytes (): number {
    return (this.#frameLength >= 0 ? this.#frameLength : 0) + this.#tailLength
  }

  #onRawData (data: Uint8Array | Uint8ArrayList): void {
    if (this.status === 'aborted' || this.status === 'reset') {
      return
    }
    try {
      if (data instanceof Uint8Array) {
        this.#onRawChunk(data)
      } else {
        for (const chunk of data) {
          this.#onRawChunk(chunk)
        }
      }
    } catch (err: any) {
      this.#clearPartial()
      this.abort(err)
    }
  }

  /**
   * Parses one raw chunk. A frame that lies inside the chunk is opened from
   * a subarray of it; only a frame that spans chunks is held, as the list of
   * its pieces (subarrays, not copies) until its last byte arrives.
   */
  #onRawChunk (chunk: Uint8Array): void {
    const end = chunk.byteLength
    let offset = 0
    while (offset < end) {
      if (this.#frameLength >= 0) {
        // the rest of a frame that began in an earlier chunk
        const want = this.#frameLength - this.#have
        if (end - offset < want) {
          this.#hold(offset === 0 ? chunk : chunk.subarray(offset))
          return
        }
        this.#hold(offset === 0 && want === end ? chunk : chunk.subarray(offset, offset + want))
        offset += want
        this.#openParts()
        continue
      }
      let length: number
      if (this.#headerByte >= 0) {
        length = (this.#headerByte << 8) | chunk[offset]
        this.#headerByte = -1
        offset += 1
      } else if (end - offset >= FRAME_LENGTH_BYTES) {
        length = (chunk[offset] << 8) | chunk[offset + 1]
        offset += FRAME_LENGTH_BYTES
      } else {
        this.#headerByte = chunk[offset]
        return
      }
      if (length < TAG_LENGTH) {
        throw new DecryptionError(`A noise frame of ${length} bytes is shorter than its ${TAG_LENGTH}-byte tag`)
      }
      if (end - offset >= length) {
        this.#frame[0] = chunk.subarray(offset, offset + length - TAG_LENGTH)
        this.#open(this.#frame, chunk.subarray(offset + length - TAG_LENGTH, offset + length))
        this.#frame[0] = EMPTY
        offset += length
        continue
      }
      this.#frameLength = length
      if (this.#charged) {
        // once per frame that spans chunks, and only a 64 KiB boundary reaches the scope
        const refused = this.accountMemory()
        if (refused != null) {
          throw refused
        }
      }
      if (offset < end) {
        this.#hold(chunk.subarray(offset))
      }
      return
    }
  }

  /**
   * Holds a piece of the frame that spans chunks. A remote that trickles a
   * frame in tiny pieces gets them copied into one array of the frame's
   * length (a copy of under 64 KiB, each byte once) instead of a list that
   * grows by an object per byte.
   */
  #hold (piece: Uint8Array): void {
    const assembly = this.#assembly
    if (assembly != null) {
      assembly.set(piece, this.#have)
      this.#have += piece.byteLength
      return
    }
    const parts = this.#parts
    parts.push(piece)
    this.#have += piece.byteLength
    if (parts.length > MAX_HELD_FRAME_PIECES) {
      const merged = new Uint8Array(this.#frameLength)
      let offset = 0
      for (const part of parts) {
        merged.set(part, offset)
        offset += part.byteLength
      }
      parts.length = 1
      parts[0] = merged
      this.#assembly = merged
    }
  }

  /** Opens the held frame, whose pieces are complete; its tag may itself span pieces. */
  #openParts (): void {
    const parts = this.#parts
    const last = parts[parts.length - 1]
    let tag: Uint8Array
    if (last.byteLength === TAG_LENGTH) {
      // the tag came as its own chunk (a sender that writes it as a separate array)
      tag = last
      parts.pop()
    } else if (last.byteLength > TAG_LENGTH) {
      tag = last.subarray(last.byteLength - TAG_LENGTH)
      parts[parts.length - 1] = last.subarray(0, last.byteLength - TAG_LENGTH)
    } else {
      // the tag's bytes, from the end of the pieces backwards (setAuthTag copies it)
      tag = this.#tag
      let missing = TAG_LENGTH
      while (missing > 0) {
        const piece = parts[parts.length - 1]
        const take = Math.min(missing, piece.byteLength)
        tag.set(piece.subarray(piece.byteLength - take), missing - take)
        missing -= take
        if (take === piece.byteLength) {
          parts.pop()
        } else {
          parts[parts.length - 1] = piece.subarray(0, piece.byteLength - take)
        }
      }
    }
    // the frame is complete: no longer held as partial while its plaintext is delivered (and charged)
    this.#frameLength = -1
    try {
      this.#open(parts, tag)
    } finally {
      this.#clearPartial()
    }
  }

  #clearPartial (): void {
    this.#parts.length = 0
    this.#frameLength = -1
    this.#have = 0
    this.#headerByte = -1
    this.#assembly = undefined
  }

  /** Authenticates and decrypts one frame and delivers its plaintext as one delivery. */
  #open (ciphertext: readonly Uint8Array[], tag: Uint8Array): void {
    const plaintext = this.#plaintext
    plaintext.length = 0
    try {
      this.#receive.decrypt(undefined, ciphertext, tag, plaintext)
    } catch (err: any) {
      if (err?.name === 'NonceExhaustedError') {
        throw err
      }
      throw new DecryptionError(`A noise transport message failed authentication (nonce ${this.#receive.nonce - 1n}): tampered, replayed or reordered`)
    }
    if (plaintext.length === 1) {
      this.onData(plaintext[0])
    } else if (plaintext.length > 1) {
      // a frame that spanned raw chunks: still one delivery for our reader
      this.onData(new Uint8ArrayList(...plaintext))
    }
    plaintext.length = 0
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
    if (this.#heldTag != null) {
      out.push(this.#heldTag)
      this.#heldTag = undefined
    }
    let frames = 0
    while (this.#tailLength >= MAX_PLAINTEXT_LENGTH) {
      this.#sealFrame(MAX_PLAINTEXT_LENGTH, out)
      frames++
    }
    if (this.#tailLength > 0) {
      if (frames > 0 && this.#tailLength < COALESCE_TAIL_LENGTH) {
        // the last frame's tag waits with the remainder: sent in front of the
        // next frame's header it shares an array with it (a 64 KiB stream is
        // then two arrays per frame, not three: one write or one delivery less)
        this.#heldTag = out.pop()
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
    return { sentBytes: total, canSendMore: this.#sendFrames(out) }
  }

  /**
   * Hands sealed frames to the raw connection. Runs of small arrays (frame
   * headers, tags, the few bytes a frame takes from the end of one write,
   * whole small frames) are copied into one array; large ciphertexts go as
   * they are. A socket writes each array of the list on its own (a system
   * call each, with TCP_NODELAY a segment each): a 64 KiB write becomes two
   * arrays per frame instead of four, and a batch of small frames one array.
   */
  #sendFrames (out: Uint8Array[]): boolean {
    const list = new Uint8ArrayList()
    let runStart = -1
    let runLength = 0
    for (let i = 0; i <= out.length; i++) {
      const part = i < out.length ? out[i] : undefined
      if (part != null && part.byteLength < MAX_COPIED_PART_LENGTH) {
        if (runStart < 0) {
          runStart = i
        }
        runLength += part.byteLength
        continue
      }
      if (runStart >= 0) {
        if (i - runStart === 1) {
          list.append(out[runStart])
        } else {
          const run = new Uint8Array(runLength)
          let offset = 0
          for (let j = runStart; j < i; j++) {
            run.set(out[j], offset)
            offset += out[j].byteLength
          }
          list.append(run)
        }
        runStart = -1
        runLength = 0
      }
      if (part != null) {
        list.append(part)
      }
    }
    const canSendMore = this.#raw.send(list)
    if (!canSendMore) {
      this.#rawFull = true
    }
    return canSendMore
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

  /** Sends a held remainder (under COALESCE_TAIL_LENGTH bytes) and the held tag in front of it. */
  readonly #flushTail = (force = false): void => {
    this.#flushScheduled = false
    if ((this.#tailLength === 0 && this.#heldTag == null) || this.status === 'aborted' || this.status === 'reset') {
      return
    }
    if (!force && (this.#rawFull || (this.writeBufferLength > 0 && this.writeStatus === 'writable'))) {
      // the raw connection is full, or writes are queued behind it: the
      // remainder goes out in front of the next writes (or on its own after
      // the raw connection's `drain`), not as a frame of its own now
      return
    }
    try {
      const out: Uint8Array[] = []
      if (this.#heldTag != null) {
        out.push(this.#heldTag)
        this.#heldTag = undefined
      }
      if (this.#tailLength > 0) {
        this.#sealFrame(this.#tailLength, out)
      }
      this.#sendFrames(out)
      if (this.#charged) {
        // the remainder was charged while held (heldBytes)
        this.accountMemory()
      }
    } catch (err: any) {
      this.abort(err)
    }
  }

  protected sendReset (err: Error): void {
    this.#raw.abort(err)
  }

  protected sendCloseWrite (): void {
    this.#flushTail(true)
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
