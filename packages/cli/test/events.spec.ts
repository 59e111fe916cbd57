import { expect } from 'chai'
import { resolveNodeConfig } from '../src/config.js'
import { describeConnection, dialDiscoveredPeers, printNodeEvents } from '../src/events.js'
import { Output } from '../src/output.js'
import { createNode } from '../src/stack.js'
import { until } from './fixtures/processes.js'
import type { CliNode } from '../src/stack.js'
import { PassThrough } from 'node:stream'

describe('events', function () {
  this.timeout(20_000)
  let a: CliNode
  let b: CliNode
  beforeEach(async () => {
    const config = await resolveNodeConfig({ listen: ['/ip4/127.0.0.1/tcp/0'], transports: 'tcp', services: 'identify' })
    a = await createNode(config)
    b = await createNode(config)
  })
  afterEach(async () => { await Promise.all([a.stop(), b.stop()]) })

  it('dials discovered peers (as mDNS announces them) and prints the events in JSON', async () => {
    const stdout = new PassThrough()
    const records: any[] = []
    stdout.on('data', (d) => { for (const line of String(d).trim().split('\n')) records.push(JSON.parse(line)) })
    const stopPrinting = printNodeEvents(a, new Output({ stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {}, cwd: '/' }, true))
    const stop = dialDiscoveredPeers(a)
    // what a discovery module makes the node emit
    ;(a as any).safeDispatchEvent('peer:discovery', { detail: { id: b.peerId, multiaddrs: b.getMultiaddrs() } })
    await until(() => a.getConnections(b.peerId).length > 0, 'the dial of the discovered peer')
    const connection = describeConnection(a.getConnections(b.peerId)[0])
    expect(connection).to.include({ peer: b.peerId.toString(), direction: 'outbound', encryption: '/noise', multiplexer: '/yamux/1.0.0' })
    await until(() => records.some(r => r.event === 'peer:identify'), 'the identify record')
    expect(records.map(r => r.event)).to.include.members(['peer:discovery', 'connection:open', 'peer:identify'])
    stop()
    stopPrinting()
    // ourselves and peers already connected are not dialed again
    ;(a as any).safeDispatchEvent('peer:discovery', { detail: { id: a.peerId, multiaddrs: a.getMultiaddrs() } })
    expect(a.getConnections(a.peerId)).to.have.lengthOf(0)
  })
})
