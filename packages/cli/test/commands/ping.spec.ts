import { join } from 'node:path'
import { expect } from 'chai'
import { NodeProcess, runBin, runInProcess, tempConfigHome } from '../fixtures/processes.js'

describe('ts-libp2p ping', function () {
  this.timeout(20_000)
  let home: ReturnType<typeof tempConfigHome>
  let server: NodeProcess
  let addrs: string[]
  before(async () => {
    home = tempConfigHome()
    server = new NodeProcess(['--identity', join(home.dir, 's.key'), '--listen', '/ip4/127.0.0.1/tcp/0', '--listen', '/ip4/127.0.0.1/tcp/0/ws'])
    addrs = (await server.listening()).addrs
  })
  after(async () => {
    await server.stop()
    home.remove()
  })

  it('pings over tcp with noise and prints RTTs and a summary', async () => {
    const run = await runBin(['ping', '-c', '2', '-i', '10', addrs[0]])
    expect(run.code).to.equal(0, run.stderr)
    expect(run.stdout).to.match(/seq=1 time=[\d.]+ ms/)
    expect(run.stdout).to.match(/2 pings, 2 answered, rtt min\/avg\/max = /)
  })

  it('pings over websockets with tls and mplex, in JSON', async () => {
    const run = await runInProcess(['ping', '--json', '-c', '1', '--encrypters', 'tls', '--muxers', 'mplex', addrs[1]])
    expect(run.code).to.equal(0, run.stderr)
    const lines = run.stdout.trim().split('\n').map(l => JSON.parse(l))
    expect(lines[0]).to.include({ event: 'pong', seq: 1 })
    expect(lines.at(-1)).to.include({ event: 'summary', sent: 1, received: 1 })
  })

  it('fails with exit code 1 when nobody answers', async () => {
    const run = await runInProcess(['ping', '-c', '1', '--timeout', '3000', '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWN93LtmSkoDd8rHavPvDGtRsJYPgWvV4uikrVQyxyHseo'])
    expect(run.code).to.equal(1)
    expect(run.stdout).to.match(/failed/)
  })
})
