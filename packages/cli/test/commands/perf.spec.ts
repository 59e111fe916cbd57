import { join } from 'node:path'
import { expect } from 'chai'
import { NodeProcess, runBin, runInProcess, tempConfigHome } from '../fixtures/processes.js'

describe('ts-libp2p perf', function () {
  this.timeout(20_000)
  let home: ReturnType<typeof tempConfigHome>
  let server: NodeProcess
  let noPerf: NodeProcess
  before(async () => {
    home = tempConfigHome()
    server = new NodeProcess(['--identity', join(home.dir, 's.key'), '--listen', '/ip4/127.0.0.1/tcp/0', '--services', 'identify,ping,perf'])
    noPerf = new NodeProcess(['--identity', join(home.dir, 'n.key'), '--listen', '/ip4/127.0.0.1/tcp/0'])
    await Promise.all([server.listening(), noPerf.listening()])
  })
  after(async () => {
    await Promise.all([server.stop(), noPerf.stop()])
    home.remove()
  })

  it('shows progress, then the throughput each way', async () => {
    const addr = (await server.listening()).addrs[0]
    const run = await runBin(['perf', '-u', '4MiB', '-d', '8MiB', addr])
    expect(run.code).to.equal(0, run.stderr)
    expect(run.stdout).to.match(/^upload .* \/ 4\.0 MiB/m)
    expect(run.stdout).to.match(/^upload {3}4\.0 MiB in [\d.]+ ms: [\d.]+ [MGk]?bit\/s$/m)
    expect(run.stdout).to.match(/^download 8\.0 MiB in [\d.]+ ms: /m)
    const json = await runInProcess(['perf', '--json', '-u', '0', '-d', '1MiB', addr])
    const lines = json.stdout.trim().split('\n').map(l => JSON.parse(l))
    expect(lines.some(l => l.event === 'progress' && l.phase === 'download')).to.equal(true)
    expect(lines.at(-1)).to.include({ event: 'result', uploadBytes: 0, downloadBytes: 1048576 })
  })

  it('fails with exit code 1 against a node that does not serve perf, and 2 for a bad size', async () => {
    const addr = (await noPerf.listening()).addrs[0]
    const run = await runInProcess(['perf', '-u', '1KiB', '-d', '1KiB', addr])
    expect(run.code).to.equal(1)
    expect(run.stderr).to.match(/UnsupportedProtocolError|protocol/i)
    const bad = await runInProcess(['perf', '-u', 'lots', addr])
    expect(bad.code).to.equal(2)
  })
})
