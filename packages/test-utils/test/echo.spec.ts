import { expect } from 'chai'
import { echo } from '../src/echo.js'
import { streamPair } from '../src/stream-pair.js'
import { equalBytes, pattern, readAll, rejection, writeAll } from './helpers.js'

describe('echo', () => {
  it('sends everything back and closes when the remote closes', async () => {
    const [client, server] = streamPair()
    const echoed = echo(server)
    client.send(new TextEncoder().encode('hello'))
    await client.close()
    expect(new TextDecoder().decode(await readAll(client))).to.equal('hello')
    expect(await echoed).to.equal(5)
    expect(server.writeStatus).to.equal('closed')
  })

  it('honours backpressure on a large transfer', async function () {
    this.timeout(20_000)
    const [client, server] = streamPair({ maxInFlightBytes: 8192 })
    const echoed = echo(server)
    const data = pattern(4 * 1024 * 1024)
    const reading = readAll(client)
    await writeAll(client, data, 16_384)
    await client.close()
    expect(equalBytes(await reading, data)).to.equal(true)
    expect(await echoed).to.equal(data.byteLength)
  })

  it('aborts the stream and rejects when the signal fires', async () => {
    const [client, server] = streamPair()
    const err = await rejection(echo(server, { signal: AbortSignal.timeout(10) }))
    expect(err).to.have.property('name', 'TimeoutError')
    expect(server.status).to.equal('aborted')
    expect(await rejection(readAll(client))).to.have.property('name', 'StreamResetError')
  })

  it('aborts the stream when it is reset', async () => {
    const [client, server] = streamPair()
    const echoed = echo(server)
    client.abort(new Error('gone'))
    expect(await rejection(echoed)).to.have.property('name', 'StreamResetError')
  })
})
