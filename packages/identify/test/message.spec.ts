import { streamPair } from '@ts-libp2p/test-utils'
import { lpStream } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_MESSAGES, MAX_MESSAGE_SIZE } from '../src/constants.js'
import { decodeIdentify, encodeIdentify, mergeIdentify, readIdentify, writeIdentify } from '../src/message.js'
import type { IdentifyMessage } from '../src/message.js'

const full: IdentifyMessage = {
  protocolVersion: 'ipfs/0.1.0',
  agentVersion: 'agent/1',
  publicKey: Uint8Array.from([8, 1, 18, 32, ...new Uint8Array(32)]),
  listenAddrs: [Uint8Array.from([4, 127, 0, 0, 1, 6, 0x0f, 0xa1])],
  observedAddr: Uint8Array.from([4, 1, 2, 3, 4, 6, 0, 80]),
  protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0'],
  signedPeerRecord: Uint8Array.from([1, 2, 3])
}

async function expectRejection (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err: any) {
    return err
  }
  throw new Error('expected a rejection')
}

describe('message', () => {
  it('round-trips every field, and keeps absent optional fields absent', () => {
    expect(decodeIdentify(encodeIdentify(full))).to.deep.equal(full)
    const partial = decodeIdentify(encodeIdentify({ listenAddrs: [], protocols: ['/a'] }))
    expect(partial).to.deep.equal({ listenAddrs: [], protocols: ['/a'] })
    expect(Object.hasOwn(partial, 'publicKey')).to.equal(false)
  })

  it('uses the field numbers of the spec and RFC 0003 (signedPeerRecord = 8)', () => {
    const bytes = encodeIdentify({ listenAddrs: [], protocols: [], signedPeerRecord: Uint8Array.from([9]) })
    expect([...bytes]).to.deep.equal([(8 << 3) | 2, 1, 9])
    const version = encodeIdentify({ listenAddrs: [], protocols: [], protocolVersion: 'v' })
    expect([...version]).to.deep.equal([(5 << 3) | 2, 1, 0x76])
  })

  it('rejects bytes that are not an Identify message with InvalidMessageError', () => {
    expect(() => decodeIdentify(Uint8Array.from([0x0a, 0x05, 1]))).to.throw().with.property('name', 'InvalidMessageError')
  })

  it('merges frames as protobuf does: repeated fields append, later scalars win', () => {
    const merged = mergeIdentify({ listenAddrs: [Uint8Array.of(1)], protocols: ['/a'], agentVersion: 'one' }, { listenAddrs: [Uint8Array.of(2)], protocols: ['/b'], agentVersion: 'two', signedPeerRecord: Uint8Array.of(7) })
    expect(merged).to.deep.equal({ listenAddrs: [Uint8Array.of(1), Uint8Array.of(2)], protocols: ['/a', '/b'], agentVersion: 'two', signedPeerRecord: Uint8Array.of(7) })
  })

  it('reads one frame, or several merged (go-libp2p splits large messages), until the stream ends', async () => {
    const [a, b] = streamPair()
    await writeIdentify(a, { listenAddrs: [], protocols: ['/a'], agentVersion: 'x' })
    await writeIdentify(a, { listenAddrs: [], protocols: [], signedPeerRecord: Uint8Array.of(5) })
    await a.close()
    expect(await readIdentify(b)).to.deep.equal({ listenAddrs: [], protocols: ['/a'], agentVersion: 'x', signedPeerRecord: Uint8Array.of(5) })
  })

  it(`rejects a frame over ${MAX_MESSAGE_SIZE} bytes with MessageTooLargeError before reading it`, async () => {
    const [a, b] = streamPair()
    // only the length prefix of a too-large frame is sent: the reader must not wait for the body
    a.send(new Uint8ArrayList(Uint8Array.from([0x81, 0x40])))
    const err = await expectRejection(readIdentify(b, { signal: AbortSignal.timeout(1_000) }))
    expect(err.name).to.equal('MessageTooLargeError')
  })

  it('honours a smaller maxMessageSize', async () => {
    const [a, b] = streamPair()
    await writeIdentify(a, full)
    await a.close()
    expect((await expectRejection(readIdentify(b, { maxMessageSize: 16 }))).name).to.equal('MessageTooLargeError')
  })

  it(`rejects more than ${MAX_MESSAGES} frames on one stream`, async () => {
    const [a, b] = streamPair()
    const lp = lpStream(a)
    for (let i = 0; i <= MAX_MESSAGES; i++) await lp.write(encodeIdentify({ listenAddrs: [], protocols: [`/${i}`] }))
    await a.close()
    expect((await expectRejection(readIdentify(b))).name).to.equal('MessageTooLargeError')
  })

  it('rejects an empty stream and a stream that ends inside a frame with InvalidMessageError', async () => {
    const [a, b] = streamPair()
    await a.close()
    expect((await expectRejection(readIdentify(b))).name).to.equal('InvalidMessageError')
    const [c, d] = streamPair()
    c.send(Uint8Array.from([10, 1, 2]))
    await c.close()
    expect((await expectRejection(readIdentify(d))).name).to.equal('InvalidMessageError')
  })

  it('gives up with the signal\'s reason on a silent stream', async () => {
    const [, b] = streamPair()
    const err = await expectRejection(readIdentify(b, { signal: AbortSignal.timeout(50) }))
    expect(err.name).to.equal('TimeoutError')
  })
})
