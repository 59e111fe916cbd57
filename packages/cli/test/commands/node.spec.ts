import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'chai'
import { NodeProcess, runInProcess, tempConfigHome, until } from '../fixtures/processes.js'

describe('ts-libp2p node', function () {
  this.timeout(20_000)
  let home: ReturnType<typeof tempConfigHome>
  const nodes: NodeProcess[] = []
  beforeEach(() => { home = tempConfigHome() })
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => { n.kill() }))
    home.remove()
  })

  it('listens, bootstraps to another node, prints connection and identify events, and stops when stdin ends', async () => {
    const config = join(home.dir, 'a.json')
    writeFileSync(config, JSON.stringify({ listen: ['/ip4/127.0.0.1/tcp/0/ws'], encrypters: ['tls'], muxers: ['mplex'], identity: join(home.dir, 'a.key') }))
    const a = new NodeProcess(['--config', config])
    nodes.push(a)
    const la = await a.listening()
    expect(la.addrs).to.have.lengthOf(1)
    expect(la.addrs[0]).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\//)
    const b = new NodeProcess(['--identity', join(home.dir, 'b.key'), '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', la.addrs[0]])
    nodes.push(b)
    const lb = await b.listening()
    expect(lb.bootstrap).to.deep.equal([la.addrs[0]])
    const open = await b.waitFor(r => r.event === 'connection:open')
    expect(open).to.include({ peer: la.peerId, direction: 'outbound', encryption: '/tls/1.0.0', multiplexer: '/mplex/6.7.0' })
    const identified = await b.waitFor(r => r.event === 'peer:identify')
    expect(identified.agentVersion).to.match(/^ts-libp2p-cli\//)
    await a.waitFor(r => r.event === 'connection:open' && r.peer === lb.peerId)
    const status = await a.request('status')
    expect(status.result.peers).to.include(lb.peerId)
    expect(await b.stop()).to.equal(0)
    await a.waitFor(r => r.event === 'connection:close' && r.peer === lb.peerId)
    expect(b.records.at(-1)).to.deep.equal({ event: 'stopped' })
    expect(await a.stop()).to.equal(0)
  })

  it('stops cleanly on SIGINT and prints human output without --json', async () => {
    const { spawn } = await import('node:child_process')
    const { BIN } = await import('../fixtures/processes.js')
    const child = spawn(process.execPath, [BIN, 'node', '--listen', '/ip4/127.0.0.1/tcp/0', '--identity', join(home.dir, 'h.key')], { detached: true })
    let out = ''
    child.stdout.on('data', (d) => { out += String(d) })
    await until(() => out.includes('listening on'), 'the node to listen')
    expect(out).to.match(/^peer id 12D3KooW/)
    const exited = new Promise(resolve => child.once('close', resolve))
    child.kill('SIGINT')
    expect(await exited).to.equal(0)
    expect(out).to.include('stopping')
  })

  it('refuses a bad config file with exit code 1 and a bad flag with 2', async () => {
    const config = join(home.dir, 'bad.json')
    writeFileSync(config, JSON.stringify({ transports: ['carrier-pigeon'] }))
    const bad = await runInProcess(['node', '--config', config, '--identity', join(home.dir, 'k')])
    expect(bad.code).to.equal(1)
    expect(bad.stderr).to.match(/ConfigError: .*carrier-pigeon/)
    const usage = await runInProcess(['node', '--services', 'ping,teleport'])
    expect(usage.code).to.equal(2)
  })
})
