import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { CipherState } from '../src/cipher-state.js'
import { MAX_FRAME_LENGTH, MAX_HELD_FRAME_PIECES, MAX_PLAINTEXT_LENGTH } from '../src/constants.js'
import { nodeCrypto } from '../src/crypto-node.js'
import { portableCrypto } from '../src/crypto-portable.js'
import { EncryptedConnection } from '../src/encrypted-connection.js'
import { k1, k2, log, oneSided } from './fixtures/one-sided.js'
import type { NoiseCrypto } from '../src/crypto.js'
import type { MessageStream } from '@ts-libp2p/interface'


/** Two encrypted ends over a raw pair, each with its own backend. */
function pair (a: NoiseCrypto = nodeCrypto, b: NoiseCrypto = nodeCrypto, options = {}): { x: EncryptedConnection, y: EncryptedConnection, rawX: MessageStream, rawY: MessageStream } {
  const [rawX, rawY] = multiaddrConnectionPair(options)
  const x = new EncryptedConnection({ connection: rawX, send: new CipherState(a, k1), receive: new CipherState(a, k2), log })
  const y = new EncryptedConnection({ connection: rawY, send: new CipherState(b, k2), receive: new CipherState(b, k1), log })
  return { x, y, rawX, rawY }
}


/**
 * Every `onData()` delivery of `stream` until `count` bytes, as it came (a
 * `message` listener hears each one on its own while nothing is buffered).
 */
async function deliveries (stream: MessageStream, count: number): Promise<Buffer[]> {
  const out: Buffer[] = []
  let received = 0
  return await new Promise((resolve, reject) => {
    stream.addEventListener('message', (evt) => {
      out.push(Buffer.from(evt.data.subarray()))
      received += evt.data.byteLength
      if (received >= count) {
        resolve(out)
      }
    })
    stream.addEventListener('close', (evt) => { reject(evt.error ?? new Error('closed')) })
  })
}

async function readBytes (stream: MessageStream, count: number): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  let received = 0
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
    received += chunk.byteLength
    if (received >= count) {
      break
    }
  }
  return Buffer.concat(chunks)
}

async function failure (stream: MessageStream): Promise<Error> {
  try {
    for await (const _ of stream) {} // eslint-disable-line no-empty
  } catch (err: any) {
    return err
  }
  throw new Error('expected the stream to fail')
}

/** Splits captured raw bytes into noise frames, checking each header. */
function frames (bytes: Buffer): number[] {
  const lengths: number[] = []
  let offset = 0
  while (offset < bytes.byteLength) {
    const length = bytes.readUInt16BE(offset)
    lengths.push(length)
    offset += 2 + length
  }
  expect(offset).to.equal(bytes.byteLength)
  return lengths
}

describe('encrypted-connection', () => {
  for (const [a, b] of [[nodeCrypto, nodeCrypto], [nodeCrypto, portableCrypto], [portableCrypto, nodeCrypto]]) {
    it(`carries data both ways, ${a.name} to ${b.name}`, async () => {
      const { x, y } = pair(a, b)
      const big = new Uint8Array(150_000).map((_, i) => i % 256)
      const [atY, atX] = await Promise.all([readBytes(y, big.byteLength + 3), readBytes(x, 2), (async () => {
        x.send(big)
        x.send(Uint8Array.of(1, 2, 3))
        y.send(Uint8Array.of(4, 5))
      })()])
      expect(atY.equals(Buffer.concat([big, Uint8Array.of(1, 2, 3)]))).to.equal(true)
      expect([...atX]).to.deep.equal([4, 5])
    })
  }

  it('cuts large writes into frames of at most 65535 bytes including the tag', async () => {
    const { x, rawY } = pair()
    const captured: Uint8Array[] = []
    rawY.addEventListener('message', (evt) => { captured.push(evt.data.subarray()) })
    x.send(new Uint8Array(300_000))
    await new Promise(resolve => setTimeout(resolve, 50))
    const lengths = frames(Buffer.concat(captured))
    expect(Math.max(...lengths)).to.equal(MAX_FRAME_LENGTH)
    expect(lengths.reduce((sum, n) => sum + n - 16, 0)).to.equal(300_000)
  })

  it('lets back-to-back 64 KiB writes share frames instead of ending each in a 17-byte frame', async () => {
    // room in flight for all three writes: nothing waits for a drain
    const { x, y, rawY } = pair(nodeCrypto, nodeCrypto, { maxInFlightBytes: 1024 * 1024 })
    const captured: Uint8Array[] = []
    rawY.addEventListener('message', (evt) => { captured.push(evt.data.subarray()) })
    x.send(new Uint8Array(65536).fill(1))
    x.send(new Uint8Array(65536).fill(2))
    x.send(new Uint8Array(65536).fill(3))
    await new Promise(resolve => setTimeout(resolve, 50))
    // 196608 bytes = 3 full frames of 65519 + 51 bytes
    expect(frames(Buffer.concat(captured))).to.deep.equal([65535, 65535, 65535, 51 + 16])
    void y
  })

  it('sends a small write at once, and a held remainder by the end of the microtask', async () => {
    const { x, rawX } = pair(nodeCrypto, nodeCrypto, { maxInFlightBytes: 1024 * 1024 })
    const sent: number[] = []
    const send = rawX.send.bind(rawX)
    rawX.send = (data) => { sent.push(data.byteLength); return send(data) }
    x.send(new Uint8Array(10))
    expect(sent).to.deep.equal([2 + 10 + 16])
    x.send(new Uint8Array(65536))
    // the full frame goes at once, its tag waits with the 17-byte remainder
    expect(sent).to.deep.equal([28, 2 + 65519])
    await Promise.resolve()
    expect(sent).to.deep.equal([28, 2 + 65519, 16 + 2 + 17 + 16])
  })

  it('holds a remainder left while the raw connection is full until its drain: for the next write, else on its own', async () => {
    const { x, y, rawX } = pair(nodeCrypto, nodeCrypto, { maxInFlightBytes: 16 * 1024 })
    const sent: number[] = []
    const send = rawX.send.bind(rawX)
    rawX.send = (data) => { sent.push(data.byteLength); return send(data) }
    const read = readBytes(y, 3 * 65536)
    // a bulk writer: each write waits for drain, and no 17-byte remainder takes a frame of its own
    for (let i = 0; i < 2; i++) {
      if (!x.send(new Uint8Array(65536).fill(i))) {
        await x.onDrain()
      }
    }
    for (let waited = 0; sent.length < 3 && waited < 2000; waited += 5) {
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    // the writer stopped: after the drain the remainder went out on its own
    expect(sent).to.deep.equal([2 + 65519, 16 + 2 + 17 + 65502, 16 + 2 + 34 + 16])
    // and a later write still works
    x.send(new Uint8Array(65536).fill(2))
    const bytes = await read
    expect(bytes.byteLength).to.equal(3 * 65536)
    for (let i = 0; i < 3; i++) {
      expect(bytes[i * 65536]).to.equal(i)
      expect(bytes[i * 65536 + 65535]).to.equal(i)
    }
  })

  it('closes cleanly in both directions', async () => {
    const { x, y } = pair()
    x.send(Uint8Array.of(7))
    const read = readBytes(y, 1)
    await Promise.all([x.close(), y.close()])
    expect([...await read]).to.deep.equal([7])
    expect(x.status).to.equal('closed')
    expect(y.status).to.equal('closed')
  })

  it('aborts with DecryptionError on a replayed frame', async () => {
    const { conn, remote, forge } = oneSided()
    const frame = forge(Uint8Array.of(1, 2, 3))
    remote.send(frame)
    remote.send(frame)
    const err = await failure(conn)
    expect(err).to.have.property('name', 'DecryptionError')
    expect(conn.status).to.equal('aborted')
  })

  it('aborts with DecryptionError on reordered frames', async () => {
    const { conn, remote, forge } = oneSided()
    const first = forge(Uint8Array.of(1))
    const second = forge(Uint8Array.of(2))
    remote.send(second)
    remote.send(first)
    expect(await failure(conn)).to.have.property('name', 'DecryptionError')
  })

  it('aborts with DecryptionError on a flipped ciphertext bit', async () => {
    const { conn, remote, forge } = oneSided()
    const frame = forge(new Uint8Array(100))
    frame[10] ^= 0x80
    remote.send(frame)
    expect(await failure(conn)).to.have.property('name', 'DecryptionError')
  })

  it('aborts with DecryptionError on a frame shorter than its tag', async () => {
    const { conn, remote } = oneSided()
    remote.send(Uint8Array.of(0, 5, 1, 2, 3, 4, 5))
    expect(await failure(conn)).to.have.property('name', 'DecryptionError')
  })

  it('aborts with TruncatedFrameError when the remote closes inside a frame', async () => {
    const { conn, remote, forge } = oneSided()
    const frame = forge(new Uint8Array(1000))
    remote.send(frame.subarray(0, 500))
    void remote.close().catch(() => {})
    expect(await failure(conn)).to.have.property('name', 'TruncatedFrameError')
  })

  it('delivers frames split across many raw chunks, and many frames in one chunk', async () => {
    const { conn, remote, forge } = oneSided()
    const all = Buffer.concat([forge(Uint8Array.of(1)), forge(Uint8Array.of(2)), forge(new Uint8Array(70).fill(3))])
    for (let i = 0; i < all.byteLength; i += 7) {
      remote.send(all.subarray(i, i + 7))
    }
    const one = Buffer.concat([forge(Uint8Array.of(4)), forge(Uint8Array.of(5))])
    remote.send(one)
    const got = await readBytes(conn, 74)
    expect([...got.subarray(0, 2)]).to.deep.equal([1, 2])
    expect(got.subarray(72).equals(Buffer.from([4, 5]))).to.equal(true)
  })

  for (const crypto of [nodeCrypto, portableCrypto]) {
    it(`opens a frame split into two raw chunks at every offset, header and tag included (${crypto.name})`, async () => {
      const plaintext = new Uint8Array(40).map((_, i) => i + 1)
      for (let split = 1; split < 2 + 40 + 16; split++) {
        const { conn, remote, receive, forge } = oneSided(crypto)
        const first = forge(plaintext)
        const second = forge(Uint8Array.of(99))
        const delivered = deliveries(conn, 41)
        remote.send(first.subarray(0, split))
        remote.send(Buffer.concat([first.subarray(split), second]))
        const got = await delivered
        expect(Buffer.concat(got).equals(Buffer.concat([plaintext, Uint8Array.of(99)])), `split at ${split}`).to.equal(true)
        // the spanning frame is one delivery, and each frame used one nonce
        expect(got[0].byteLength, `split at ${split}`).to.equal(40)
        expect(receive.nonce).to.equal(2n)
        conn.abort(new Error('done'))
      }
    })
  }

  it('opens frames whose header, ciphertext and tag each come as a chunk of their own', async () => {
    const { conn, remote, receive, forge } = oneSided()
    const plaintexts = [new Uint8Array(5).fill(1), new Uint8Array(300).fill(2), new Uint8Array(1).fill(3)]
    const delivered = deliveries(conn, 306)
    for (const plaintext of plaintexts) {
      const frame = forge(plaintext)
      remote.send(frame.subarray(0, 2))
      remote.send(frame.subarray(2, frame.byteLength - 16))
      remote.send(frame.subarray(frame.byteLength - 16))
    }
    const got = await delivered
    expect(got.map(d => d.byteLength)).to.deep.equal([5, 300, 1])
    expect(Buffer.concat(got).equals(Buffer.concat(plaintexts))).to.equal(true)
    expect(receive.nonce).to.equal(3n)
  })

  it('opens a frame spread over many chunks whose tag spans three of them', async () => {
    const { conn, remote, receive, forge } = oneSided()
    const plaintext = new Uint8Array(1000).map((_, i) => i % 251)
    const frame = forge(plaintext)
    // cuts inside the header, the body, and twice inside the 16-byte tag
    const cuts = [0, 1, 500, frame.byteLength - 12, frame.byteLength - 5, frame.byteLength]
    const delivered = deliveries(conn, 1000)
    for (let i = 1; i < cuts.length; i++) {
      remote.send(frame.subarray(cuts[i - 1], cuts[i]))
    }
    const got = await delivered
    expect(got).to.have.length(1)
    expect(got[0].equals(plaintext)).to.equal(true)
    expect(receive.nonce).to.equal(1n)
  })

  it('opens a frame trickled in a byte at a time (held pieces merged past their limit)', async () => {
    const { conn, remote, receive, forge } = oneSided()
    const plaintext = new Uint8Array(3 * MAX_HELD_FRAME_PIECES).map((_, i) => i % 249)
    const frame = forge(plaintext)
    const delivered = deliveries(conn, plaintext.byteLength)
    for (let i = 0; i < frame.byteLength; i++) {
      remote.send(frame.subarray(i, i + 1))
    }
    const got = await delivered
    expect(Buffer.concat(got).equals(plaintext)).to.equal(true)
    expect(receive.nonce).to.equal(1n)
  })

  it('opens a full 65535-byte frame whose last byte arrives alone, then frames inside one chunk', async () => {
    const { conn, remote, receive, forge } = oneSided()
    const big = new Uint8Array(MAX_PLAINTEXT_LENGTH).map((_, i) => i % 253)
    const frame = forge(big)
    expect(frame.byteLength).to.equal(2 + MAX_FRAME_LENGTH)
    const delivered = deliveries(conn, MAX_PLAINTEXT_LENGTH + 3)
    remote.send(frame.subarray(0, 65536))
    remote.send(frame.subarray(65536))
    remote.send(Buffer.concat([forge(Uint8Array.of(1)), forge(Uint8Array.of(2)), forge(Uint8Array.of(3))]))
    const got = await delivered
    expect(got[0].equals(big)).to.equal(true)
    expect(Buffer.concat(got.slice(1))).to.deep.equal(Buffer.from([1, 2, 3]))
    expect(receive.nonce).to.equal(4n)
  })

  it('aborts with DecryptionError when a frame spanning chunks was tampered with, and keeps nothing of it', async () => {
    const { conn, remote, forge } = oneSided()
    const frame = forge(new Uint8Array(300).fill(7))
    frame[frame.byteLength - 3] ^= 1
    const received: number[] = []
    conn.addEventListener('message', (evt) => { received.push(evt.data.byteLength) })
    remote.send(frame.subarray(0, 100))
    remote.send(frame.subarray(100))
    const closed = await new Promise<any>(resolve => { conn.addEventListener('close', resolve) })
    expect(closed.error).to.have.property('name', 'DecryptionError')
    expect(received).to.deep.equal([])
  })

  it('fills a frame exactly at 65535 bytes: a 65519-byte write is one frame, one more byte is a second', async () => {
    const { x, rawY } = pair(nodeCrypto, nodeCrypto, { maxInFlightBytes: 1024 * 1024 })
    const captured: Uint8Array[] = []
    rawY.addEventListener('message', (evt) => { captured.push(evt.data.subarray()) })
    x.send(new Uint8Array(MAX_PLAINTEXT_LENGTH))
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(frames(Buffer.concat(captured))).to.deep.equal([MAX_FRAME_LENGTH])
    x.send(new Uint8Array(MAX_PLAINTEXT_LENGTH + 1))
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(frames(Buffer.concat(captured))).to.deep.equal([MAX_FRAME_LENGTH, MAX_FRAME_LENGTH, 1 + 16])
  })

  it('packs small writes queued behind a full raw connection into one frame', async () => {
    const { x, y, rawY } = pair(nodeCrypto, nodeCrypto, { maxInFlightBytes: 16 * 1024 })
    const captured: Uint8Array[] = []
    rawY.addEventListener('message', (evt) => { captured.push(evt.data.subarray()) })
    const read = readBytes(y, 70_000 + 10 * 100)
    // 70000 bytes: a full frame and a 4481-byte one, and the raw connection is now full
    x.send(new Uint8Array(70_000))
    for (let i = 0; i < 10; i++) {
      x.send(new Uint8Array(100).fill(i))
    }
    const got = await read
    expect(got.byteLength).to.equal(71_000)
    expect([...got.subarray(70_000)]).to.deep.equal(Array.from({ length: 1000 }, (_, i) => Math.floor(i / 100)))
    expect(frames(Buffer.concat(captured))).to.deep.equal([MAX_FRAME_LENGTH, 4481 + 16, 1000 + 16])
  })

  it('hands the raw connection small arrays copied together and large ciphertexts by reference', async () => {
    const { x, y, rawX } = pair(nodeCrypto, nodeCrypto, { maxInFlightBytes: 16 * 1024 })
    const sent: number[][] = []
    const wire: Uint8Array[] = []
    const send = rawX.send.bind(rawX)
    rawX.send = (data) => {
      sent.push(data instanceof Uint8Array ? [data.byteLength] : [...data].map(part => part.byteLength))
      wire.push(data.slice())
      return send(data)
    }
    const read = readBytes(y, 2 * 65536 + 10 * 100)
    // two 64 KiB writes; the raw connection is full after the first frame, so the
    // second write, its 17-byte remainder and the small writes below go out at its drain
    const big = new Uint8Array(65536).fill(9)
    x.send(big)
    x.send(big)
    // small writes queued behind the full raw connection: one array for all their frames
    for (let i = 0; i < 10; i++) {
      x.send(new Uint8Array(100).fill(i))
    }
    expect((await read).byteLength).to.equal(2 * 65536 + 1000)
    await Promise.resolve()
    const described = sent.map(s => s.join('+')).join(' | ')
    // within one send, no two arrays under 4 KiB follow each other (a run of small ones became one array)
    for (const parts of sent) {
      for (let i = 1; i < parts.length; i++) {
        expect(parts[i - 1] < 4096 && parts[i] < 4096, described).to.equal(false)
      }
    }
    // the large ciphertexts went by reference, and no 17-byte remainder took a frame of its own
    const parts = sent.flat()
    expect(parts.filter(n => n >= 4096), described).to.deep.equal([65519, 65502])
    const bytes = new Uint8ArrayList(...wire).subarray()
    const frames: number[] = []
    for (let offset = 0; offset < bytes.byteLength;) {
      const length = (bytes[offset] << 8) | bytes[offset + 1]
      frames.push(length - 16)
      offset += 2 + length
    }
    // plaintext per frame: two full frames, then the 34 bytes left with the small writes
    expect(frames, described).to.deep.equal([65519, 65519, 34 + 1000])
  })

  it('honours backpressure: a reader that stops pauses the writer', async () => {
    const { x, y } = pair(nodeCrypto, nodeCrypto, { maxInFlightBytes: 16 * 1024 })
    y.pause()
    let sent = 0
    const chunk = new Uint8Array(32 * 1024)
    const deadline = Date.now() + 2000
    // keep writing while send() says yes; it must say no long before the read buffer limit
    while (Date.now() < deadline) {
      sent += chunk.byteLength
      if (!x.send(chunk)) {
        break
      }
      await new Promise(resolve => setImmediate(resolve))
    }
    expect(x.writableNeedsDrain).to.equal(true)
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(y.readBufferLength).to.be.lessThan(4 * 1024 * 1024)
    // the reader resumes: everything arrives and the writer drains
    y.resume()
    const got = readBytes(y, sent)
    await x.onDrain()
    expect((await got).byteLength).to.equal(sent)
  })

  it('passes an abort to the raw connection and the remote sees a reset', async () => {
    const { x, y, rawX } = pair()
    const remoteFailure = failure(y)
    x.abort(new Error('local failure'))
    expect(rawX.status).to.equal('aborted')
    expect(await remoteFailure).to.be.an('error')
  })
})
