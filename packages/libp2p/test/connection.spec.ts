import { generateKeyPair } from '@ts-libp2p/crypto'
import { TypedEventEmitter } from '@ts-libp2p/interface'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { Registrar, UpgradedConnection } from '../src/index.js'
import type { UpgradedConnectionInit } from '../src/index.js'
import type { MultiaddrConnection, StreamMuxer } from '@ts-libp2p/interface'

/** A muxer whose close() never finishes, as with a remote that never answers. */
function stuckMuxer (): StreamMuxer & { aborted?: Error } {
  const muxer = Object.assign(new TypedEventEmitter<any>(), {
    protocol: '/stuck/1.0.0',
    streams: [],
    status: 'open' as const,
    aborted: undefined as Error | undefined,
    createStream: async () => { throw new Error('not used') },
    close: async () => { await new Promise(() => {}) },
    abort: (err: Error) => { muxer.aborted = err }
  })
  return muxer as any
}

/** An upgraded connection over `maConn` (unencrypted) with `muxer`. */
async function connectionOver (maConn: MultiaddrConnection, muxer: StreamMuxer, init: Partial<UpgradedConnectionInit> = {}): Promise<UpgradedConnection> {
  return new UpgradedConnection({
    id: 'test',
    maConn,
    secured: maConn,
    muxer,
    remotePeer: peerIdFromPrivateKey(await generateKeyPair('Ed25519')),
    registrar: new Registrar(),
    log: defaultLogger().forComponent('test'),
    ...init
  })
}

describe('upgraded connection', () => {
  it('aborts a graceful close that does not finish within the close timeout', async () => {
    const [local, remote] = multiaddrConnectionPair()
    const muxer = stuckMuxer()
    let closed = 0
    const connection = await connectionOver(local, muxer, { closeTimeout: 50, onClose: () => { closed++ } })
    const start = Date.now()
    await connection.close()
    expect(Date.now() - start).to.be.lessThan(2000)
    expect(muxer.aborted).to.be.an.instanceOf(Error)
    expect(connection.status).to.equal('aborted')
    expect(closed).to.equal(1)
    remote.abort(new Error('test over'))
  })

  it('closes when the remote finishes writing the connection', async () => {
    const [local, remote] = multiaddrConnectionPair()
    const muxer = Object.assign(stuckMuxer(), { close: async () => {} })
    const connection = await connectionOver(local, muxer)
    const finished = new Promise((resolve) => { connection.addEventListener('close', resolve, { once: true }) })
    await remote.close()
    await finished
    expect(connection.status).to.equal('closed')
  })
  it('reports closing once its muxer ended on its own, while the layers beneath still close, and refuses new streams', async () => {
    const [local, remote] = multiaddrConnectionPair()
    const muxer: any = Object.assign(stuckMuxer(), { close: async () => {} })
    const connection = await connectionOver(local, muxer)
    expect(connection.status).to.equal('open')
    // as yamux does after a keep-alive timeout: the session is gone, the raw connection is not yet
    muxer.status = 'closed'
    expect(connection.status).to.equal('closing')
    const err = await connection.newStream('/echo/1.0.0').catch((err: Error) => err)
    expect(err).to.have.property('name', 'ConnectionClosedError')
    // a close still closes the layers beneath
    const finished = new Promise((resolve) => { connection.addEventListener('close', resolve, { once: true }) })
    const closing = connection.close()
    await remote.close()
    await closing
    await finished
    expect(connection.status).to.equal('closed')
  })
})
