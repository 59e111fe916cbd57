import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { expect } from 'chai'
import { runCli } from '../../src/cli.js'
import { NodeProcess, runBin, runInProcess, tempConfigHome } from '../fixtures/processes.js'

describe('ts-libp2p dht', function () {
  this.timeout(30_000)
  let home: ReturnType<typeof tempConfigHome>
  let a: NodeProcess
  let b: NodeProcess
  let addrA: string
  let peerB: string
  const server = (name: string, extra: string[] = []): NodeProcess => new NodeProcess(['--identity', join(home.dir, `${name}.key`), '--listen', '/ip4/127.0.0.1/tcp/0',
    '--services', 'identify,dht', '--dht-mode', 'server', '--private-addresses', ...extra])
  // the first client is the bin in its own process; the others run the same command in this one
  const client = (args: string[]): Promise<any> => runInProcess(['dht', ...args, '--bootstrap', addrA, '--private-addresses', '--timeout', '10000'])

  before(async () => {
    home = tempConfigHome()
    a = server('a')
    addrA = (await a.listening()).addrs[0]
    b = server('b', ['--bootstrap', addrA])
    peerB = (await b.listening()).peerId
    // b is in a's routing table once identify has run
    for (let i = 0; i < 100 && (await a.request('dht-status')).result.routingTable === 0; i++) await new Promise(resolve => setTimeout(resolve, 50))
  })
  after(async () => {
    await Promise.all([a.stop(), b.stop()])
    home.remove()
  })

  it('puts a value and gets it back from another client, under /ts-libp2p/ for a bare key', async () => {
    const put = await runBin(['dht', 'put', 'greeting', 'hello dht', '--bootstrap', addrA, '--private-addresses', '--timeout', '10000'])
    expect(put.code).to.equal(0, put.stderr)
    expect(put.stdout).to.match(/^stored \/ts-libp2p\/greeting on [12] peer\(s\)/)
    const get = await client(['get', '--json', 'greeting'])
    expect(get.code).to.equal(0, get.stderr)
    expect(JSON.parse(get.stdout)).to.deep.equal({ event: 'get', key: '/ts-libp2p/greeting', value: 'hello dht' })
    // the servers hold it too
    expect((await b.request('dht-get', { key: 'greeting' })).result.value).to.equal('hello dht')
  })

  it('finds the provider a node announced, and the peer by its id', async () => {
    const provided = await b.request('dht-provide', { content: 'some content' })
    expect(provided.ok).to.equal(true, JSON.stringify(provided))
    const found = await client(['find-providers', '--json', provided.result.cid])
    expect(found.code).to.equal(0, found.stderr)
    const lines = found.stdout.trim().split('\n').map((l: string) => JSON.parse(l))
    expect(lines.filter((l: any) => l.event === 'provider').map((l: any) => l.peer)).to.include(peerB)
    const peer = await client(['find-peer', peerB])
    expect(peer.code).to.equal(0, peer.stderr)
    expect(peer.stdout).to.include(peerB)
    expect(peer.stdout).to.match(/\/ip4\/127\.0\.0\.1\/tcp\/\d+/)
    const provide = await client(['provide', '--json', '--content', 'other content'])
    expect(provide.code).to.equal(0, provide.stderr)
    expect(JSON.parse(provide.stdout).cid).to.match(/^bafkrei/)
  })

  it('fails with exit code 1 for a missing key and 2 for bad arguments', async () => {
    const missing = await client(['get', 'no-such-key'])
    expect(missing.code).to.equal(1)
    expect(missing.stderr).to.match(/NotFoundError/)
    // usage errors are found before any node starts: run them in this process
    const quiet = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: '/' }
    let err = ''
    quiet.stderr.on('data', (d) => { err += String(d) })
    expect(await runCli(['dht', 'get', 'k'], { io: quiet })).to.equal(2)
    expect(err).to.match(/--bootstrap/)
    for (const args of [['put', 'k'], ['find-providers', 'not-a-cid'], ['find-peer', 'nobody'], ['put', 'k', 'x'.repeat(20_000)], ['launch']]) {
      expect(await runCli(['dht', ...args, '--bootstrap', addrA], { io: quiet })).to.equal(2, args.join(' '))
    }
  })
})
