import { StreamMessageEvent, TypedEventEmitter } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { disabledLogger } from '../src/logger.js'
import { AbstractStreamMuxer } from '../src/stream-muxer.js'
import { TestMessageStream, TestStream, sentBytes, settle } from './fixtures/test-streams.js'
import type { StreamMuxerInit } from '../src/stream-muxer.js'
import type { CreateStreamOptions, MessageStream, MessageStreamEvents } from '@ts-libp2p/interface'

/** A toy muxer: a frame is one byte (the stream number) then the payload; the base does the rest. */
class ToyMuxer extends AbstractStreamMuxer<TestStream> {
  public readonly protocol = '/toy/1.0.0'
  public readonly open = new Map<number, TestStream>()
  public received: Uint8Array[] = []
  public aborted?: Error
  public closing = 0
  public ended = 0
  #next = 0

  constructor (maConn: MessageStream, init: Partial<StreamMuxerInit> = {}) {
    super(maConn, { log: disabledLogger('toy'), connectionHighWaterMark: 8, flushThreshold: 16, maxControlBacklog: 4, maxEarlyStreams: 2, ...init })
    this.listen()
  }

  get streams (): TestStream[] {
    return [...this.open.values()]
  }

  async createStream (options?: CreateStreamOptions): Promise<TestStream> {
    return this.add(this.#next++)
  }

  add (id: number): TestStream {
    const stream = new TestStream({ id: `${id}` })
    this.open.set(id, stream)
    stream.addEventListener('close', () => {
      this.open.delete(id)
      this.forgetStream(stream)
    })
    return stream
  }

  /** Queues a frame; false when the caller must wait. */
  frame (id: number, payload?: Uint8Array): boolean {
    this.batch.alloc(1)[0] = id
    if (payload != null) {
      this.batch.append(new Uint8ArrayList(payload))
    } else if (this.controlBacklogExceeded) {
      this.abort(new Error('control backlog'))
      return false
    }
    return this.frameQueued()
  }

  remote (id: number): TestStream {
    const stream = this.add(id)
    this.onRemoteStream(stream)
    return stream
  }

  abort (err: Error): void {
    this.aborted = err
    this.status = 'closed'
    for (const stream of this.streams) {
      stream.abort(err)
    }
    this.clearEarlyStreams()
  }

  protected onBytes (data: Uint8Array | Uint8ArrayList): void {
    this.received.push(data instanceof Uint8Array ? data : data.subarray())
  }

  protected override onClosing (): void {
    this.closing++
  }

  protected override onConnectionEnded (): void {
    this.ended++
  }
}

describe('AbstractStreamMuxer', () => {
  it('hands the frames of one tick to the connection in one send()', async () => {
    const conn = new TestMessageStream()
    const muxer = new ToyMuxer(conn)
    expect(muxer.frame(1, Uint8Array.of(7))).to.equal(true)
    expect(muxer.frame(2)).to.equal(true)
    expect(conn.controls.sent).to.have.lengthOf(0, 'not before the end of the tick')
    await settle()
    expect(conn.controls.sent).to.have.lengthOf(1)
    expect([...sentBytes(conn.controls)]).to.deep.equal([1, 7, 2])
  })

  it('sends at once past the flush threshold', () => {
    const conn = new TestMessageStream()
    const muxer = new ToyMuxer(conn)
    muxer.frame(1, new Uint8Array(20))
    expect(conn.controls.sent).to.have.lengthOf(1)
    expect(muxer.queuedBytes).to.equal(0)
  })

  it('batches behind a full connection, blocks streams past the high-water mark and wakes them on drain', async () => {
    const conn = new TestMessageStream()
    conn.controls.canSendMore = false
    const muxer = new ToyMuxer(conn)
    const stream = await muxer.createStream()
    muxer.frame(0, new Uint8Array(20))
    expect(conn.controls.sent).to.have.lengthOf(1)
    expect(muxer.frame(0, new Uint8Array(4))).to.equal(true, 'below the high-water mark')
    expect(muxer.frame(0, new Uint8Array(4))).to.equal(false, 'a batch is queued: the stream must wait')
    expect(muxer.connectionBlocked).to.equal(true)
    expect(conn.controls.sent).to.have.lengthOf(1, 'nothing more while the connection is full')
    let woken = 0
    stream.onSendReady = () => { woken++ }
    muxer.waitForConnection(stream)
    conn.controls.canSendMore = true
    conn.onSendReady()
    expect(conn.controls.sent).to.have.lengthOf(2, 'the batch goes out at drain')
    expect(muxer.queuedBytes).to.equal(0)
    expect(woken).to.equal(1)
  })

  it('aborts when control frames pile up past the backlog while the connection is full', () => {
    const conn = new TestMessageStream()
    conn.controls.canSendMore = false
    const muxer = new ToyMuxer(conn)
    muxer.frame(0, new Uint8Array(20))
    for (let i = 0; i < 13 && muxer.aborted == null; i++) {
      muxer.frame(0)
    }
    expect(muxer.aborted?.message).to.equal('control backlog')
    expect(muxer.queuedBytes).to.be.at.most(8 + 4 + 1)
  })

  it('holds inbound streams until a stream listener is added, up to maxEarlyStreams', async () => {
    const muxer = new ToyMuxer(new TestMessageStream())
    muxer.remote(10)
    muxer.remote(11)
    const third = muxer.remote(12)
    expect(third.status).to.equal('aborted')
    const got: string[] = []
    muxer.addEventListener('stream', (evt: CustomEvent<TestStream>) => { got.push(evt.detail.id) })
    expect(got).to.deep.equal([], 'delivered on a microtask')
    await settle()
    expect(got).to.deep.equal(['10', '11'])
    muxer.remote(13)
    expect(got).to.deep.equal(['10', '11', '13'])
  })

  it('reads the connection through onBytes() once listening', () => {
    const conn = new TestMessageStream()
    const muxer = new ToyMuxer(conn)
    conn.onData(Uint8Array.of(1, 2))
    expect(muxer.received).to.deep.equal([Uint8Array.of(1, 2)])
  })

  it('reads a connection on our stream base through a message handler, not a message listener', () => {
    const conn = new TestMessageStream()
    const muxer = new ToyMuxer(conn)
    expect(conn.listenerCount('message')).to.equal(0)
    conn.onData(Uint8Array.of(3))
    expect(muxer.received).to.deep.equal([Uint8Array.of(3)])
  })

  it('reads any other connection through its message events', () => {
    const conn = new TypedEventEmitter<MessageStreamEvents>()
    Object.assign(conn, { status: 'open', log: disabledLogger('other') })
    const muxer = new ToyMuxer(conn as unknown as MessageStream)
    expect(conn.listenerCount('message')).to.equal(1)
    conn.dispatchEvent(new StreamMessageEvent(Uint8Array.of(4)))
    expect(muxer.received).to.deep.equal([Uint8Array.of(4)])
  })

  it('close() half-closes every writable stream, then is closed', async () => {
    const muxer = new ToyMuxer(new TestMessageStream())
    const a = await muxer.createStream()
    const b = await muxer.createStream()
    await muxer.close()
    expect(muxer.closing).to.equal(1)
    expect(muxer.status).to.equal('closed')
    expect(a.writeStatus).to.equal('closed')
    expect(b.writeStatus).to.equal('closed')
    expect(a.controls.calls).to.include('closeWrite')
    expect(a.readStatus).to.equal('readable', 'streams stay readable until the remote closes')
    await muxer.close()
    expect(muxer.closing).to.equal(1)
  })

  it('ends every stream when the connection closes', async () => {
    const conn = new TestMessageStream()
    const muxer = new ToyMuxer(conn)
    const stream = await muxer.createStream()
    muxer.frame(0, Uint8Array.of(1))
    conn.onTransportClosed(new Error('gone'))
    expect(muxer.status).to.equal('closed')
    expect(muxer.ended).to.equal(1)
    expect(muxer.queuedBytes).to.equal(0)
    expect(stream.status).to.equal('reset')
  })
})
