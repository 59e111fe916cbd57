import { multiaddr } from '@multiformats/multiaddr'
import { disabledLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { connectionPair } from '../src/connection.js'
import { delay, readAll } from './fixtures/upgrader.js'

function pair (latency = 0): ReturnType<typeof connectionPair> {
  return connectionPair({
    listenerAddr: multiaddr('/memory/listener'),
    dialerAddr: multiaddr('/memory/listener-dialer-1'),
    dialerLog: disabledLogger(),
    listenerLog: disabledLogger(),
    latency,
    maxInFlightBytes: 1024
  })
}

describe('memory connection', () => {
  it('names the other end and the direction', () => {
    const [outbound, inbound] = pair()
    expect(outbound.remoteAddr.toString()).to.equal('/memory/listener')
    expect(inbound.remoteAddr.toString()).to.equal('/memory/listener-dialer-1')
    expect(outbound.direction).to.equal('outbound')
    expect(inbound.direction).to.equal('inbound')
  })

  it('closes like a socket: the other end delivers what is in flight, then closes too', async () => {
    const [outbound, inbound] = pair()
    outbound.send(Uint8Array.of(1, 2, 3))
    const reading = readAll(inbound)
    await outbound.close({ signal: AbortSignal.timeout(1_000) })
    expect(await reading).to.deep.equal(Uint8Array.of(1, 2, 3))
    expect(outbound.status).to.equal('closed')
    expect(inbound.status).to.equal('closed')
  })

  it('resets the other end on abort, dropping what is in flight', async () => {
    const [outbound, inbound] = pair(20)
    outbound.send(Uint8Array.of(1))
    outbound.abort(new Error('gone'))
    await delay(40)
    expect(inbound.status).to.equal('reset')
    expect(inbound.bytesReceived).to.equal(0)
  })

  it('reports the link full once maxInFlightBytes are on their way', async () => {
    const [outbound] = pair()
    expect(outbound.send(new Uint8Array(512))).to.equal(true)
    expect(outbound.send(new Uint8Array(512))).to.equal(false)
    await outbound.onDrain({ signal: AbortSignal.timeout(1_000) })
  })

  it('pauses the sender while the receiver is paused', async () => {
    const [outbound, inbound] = pair()
    inbound.pause()
    outbound.send(new Uint8Array(10))
    await delay(5)
    expect(inbound.readBufferLength).to.equal(0, 'nothing was taken while paused')
    expect(outbound.writeBufferLength).to.equal(10)
    inbound.resume()
    await delay(5)
    expect(inbound.readBufferLength).to.equal(10)
  })
})
