import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { CipherState } from '../src/cipher-state.js'
import { MAX_FRAME_LENGTH } from '../src/constants.js'
import { nodeCrypto } from '../src/crypto-node.js'
import { portableCrypto } from '../src/crypto-portable.js'
import { EncryptedConnection } from '../src/encrypted-connection.js'
import type { NoiseCrypto } from '../src/crypto.js'
import type { MessageStream } from '@ts-libp2p/interface'

const log = defaultLogger().forComponent('test:noise')
const k1 = new Uint8Array(32).fill(1)
const k2 = new Uint8Array(32).fill(2)

/** Two encrypted ends over a raw pair, each with its own backend. */
function pair (a: NoiseCrypto = nodeCrypto, b: NoiseCrypto = nodeCrypto, options = {}): { x: EncryptedConnection, y: EncryptedConnection, rawX: MessageStream, rawY: MessageStream } {
  const [rawX, rawY] = multiaddrConnectionPair(options)
  const x = new EncryptedConnection({ connection: rawX, send: new CipherState(a, k1), receive: new CipherState(a, k2), log })
  const y = new EncryptedConnection({ connection: rawY, send: new CipherState(b, k2), receive: new CipherState(b, k1), log })
  return { x, y, rawX, rawY }
}

/** A raw end that receives our frames, and a cipher to forge its own. */
function oneSided (): { conn: EncryptedConnection, remote: MessageStream, forge: (plaintext: Uint8Array) => Uint8Array } {
  const [raw, remote] = multiaddrConnectionPair()
  const conn = new EncryptedConnection({ connection: raw, send: new CipherState(nodeCrypto, k1), receive: new CipherState(nodeCrypto, k2), log })
  const sender = new CipherState(nodeCrypto, k2)
  const forge = (plaintext: Uint8Array): Uint8Array => {
    const out: Uint8Array[] = []
    sender.encrypt(undefined, [plaintext], out)
    const body = Buffer.concat(out)
    return Buffer.concat([Uint8Array.of(body.byteLength >> 8, body.byteLength & 0xff), body])
  }
  return { conn, remote, forge }
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
    const { x, rawX } = pair()
    const sent: number[] = []
    const send = rawX.send.bind(rawX)
    rawX.send = (data) => { sent.push(data.byteLength); return send(data) }
    x.send(new Uint8Array(10))
    expect(sent).to.deep.equal([2 + 10 + 16])
    x.send(new Uint8Array(65536))
    expect(sent).to.deep.equal([28, 2 + 65535])
    await Promise.resolve()
    expect(sent).to.deep.equal([28, 2 + 65535, 2 + 17 + 16])
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
