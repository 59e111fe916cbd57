import { messageStreamPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { toDuplex } from '../src/duplex.js'
import type { Duplex } from 'node:stream'

const log = defaultLogger().forComponent('ts-libp2p:tls:test')

/** Reads with events, as node:tls does (an async iterator would destroy the duplex at the end). */
async function readDuplex (duplex: Duplex): Promise<Buffer> {
  const chunks: Buffer[] = []
  duplex.on('data', (chunk: Buffer) => chunks.push(chunk))
  await new Promise(resolve => duplex.once('end', resolve))
  return Buffer.concat(chunks)
}

describe('duplex', () => {
  it('reads what the remote sends and ends when the remote closes', async () => {
    const [a, b] = messageStreamPair()
    const duplex = toDuplex(b, log)
    a.send(Uint8Array.of(1, 2))
    a.send(Uint8Array.of(3))
    const closing = a.close()
    expect(await readDuplex(duplex)).to.deep.equal(Buffer.from([1, 2, 3]))
    await b.close()
    await closing
  })

  it('writes go to the stream; ending the duplex does not close the stream', async () => {
    const [a, b] = messageStreamPair()
    const duplex = toDuplex(a, log)
    duplex.write(Uint8Array.of(9))
    duplex.end(Uint8Array.of(8))
    await new Promise(resolve => duplex.once('finish', resolve))
    expect(a.writeStatus).to.equal('writable')
    const received: number[] = []
    for await (const chunk of b) {
      received.push(...chunk.subarray())
      if (received.length === 2) {
        break
      }
    }
    expect(received).to.deep.equal([9, 8])
  })

  it('holds writes back until the stream drains', async () => {
    const [a, b] = messageStreamPair({ maxInFlightBytes: 1024 })
    const duplex = toDuplex(a, log)
    let completed = 0
    // more than the remote's read buffer takes before it pauses the link
    for (let i = 0; i < 64; i++) {
      duplex.write(new Uint8Array(16 * 1024), () => { completed++ })
    }
    await new Promise(resolve => setTimeout(resolve, 50))
    // nobody reads b, so most writes are still pending
    expect(completed).to.be.lessThan(64)
    expect(duplex.writableLength).to.be.greaterThan(0)
    let received = 0
    for await (const chunk of b) {
      received += chunk.byteLength
      if (received === 64 * 16 * 1024) {
        break
      }
    }
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(completed).to.equal(64)
  })

  it('pauses the stream while the duplex is not read', async () => {
    const [a, b] = messageStreamPair()
    const duplex = toDuplex(b, log)
    const chunk = new Uint8Array(16 * 1024)
    for (let i = 0; i < 16; i++) {
      a.send(chunk)
    }
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(b.readStatus).to.equal('paused')
    expect(duplex.readableLength).to.be.at.most(duplex.readableHighWaterMark + chunk.byteLength)
    duplex.resume()
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(b.readStatus).to.equal('readable')
  })

  it('destroying the duplex with an error aborts the stream, and a stream failure destroys the duplex', async () => {
    const [a, b] = messageStreamPair()
    const duplex = toDuplex(a, log)
    duplex.on('error', () => {})
    duplex.destroy(new Error('tls failed'))
    expect(a.status).to.equal('aborted')

    const other = toDuplex(b, log)
    const failed = new Promise<Error>(resolve => other.once('error', resolve))
    b.abort(new Error('transport gone'))
    expect((await failed).message).to.equal('transport gone')
  })
})
