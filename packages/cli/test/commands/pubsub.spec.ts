import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { expect } from 'chai'
import { runCli } from '../../src/cli.js'
import { BIN, NodeProcess, killGroup, runBin, tempConfigHome, until, runInProcess } from '../fixtures/processes.js'

describe('ts-libp2p pubsub', function () {
  this.timeout(30_000)
  let home: ReturnType<typeof tempConfigHome>
  let relay: NodeProcess
  let addr: string
  before(async () => {
    home = tempConfigHome()
    relay = new NodeProcess(['--identity', join(home.dir, 'relay.key'), '--listen', '/ip4/127.0.0.1/tcp/0', '--topic', 'news'])
    addr = (await relay.listening()).addrs[0]
  })
  after(async () => {
    await relay.stop()
    home.remove()
  })

  it('delivers what pub publishes to a sub process and to a node subscribed with --topic', async () => {
    const sub = spawn(process.execPath, [BIN, 'pubsub', 'sub', '--json', '--bootstrap', addr, 'news'], { detached: true })
    try {
      let out = ''
      sub.stdout.on('data', (d) => { out += String(d) })
      // the sub is connected and known to the relay as a subscriber
      await until(() => out.includes('peer:identify'), 'the sub to identify the relay')
      const pub = await runBin(['pubsub', 'pub', '--bootstrap', addr, 'news', 'hello from pub'])
      expect(pub.code).to.equal(0, pub.stderr)
      expect(pub.stdout).to.match(/^published to "news": sent to 1 peer\(s\)/)
      const atRelay = await relay.waitFor(r => r.event === 'pubsub:message' && r.data === 'hello from pub')
      expect(atRelay.topic).to.equal('news')
      await until(() => out.includes('hello from pub'), 'the message at the sub')
      const message = out.trim().split('\n').map(l => JSON.parse(l)).find(r => r.event === 'pubsub:message')
      expect(message).to.include({ topic: 'news', data: 'hello from pub', from: atRelay.from })
      const exited = new Promise(resolve => sub.once('close', resolve))
      sub.kill('SIGINT')
      expect(await exited).to.equal(0)
    } finally {
      killGroup(sub)
    }
  })

  it('fails with exit code 1 when nobody is subscribed, and 2 without a topic', async () => {
    const pub = await runInProcess(['pubsub', 'pub', '--bootstrap', addr, '--timeout', '1500', 'empty-topic', 'x'])
    expect(pub.code).to.equal(1)
    expect(pub.stderr).to.match(/NoSubscribersError: .*ts-libp2p node --topic empty-topic/)
    const quiet = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: '/' }
    expect(await runCli(['pubsub', 'pub'], { io: quiet })).to.equal(2)
    expect(await runCli(['pubsub', 'shout', 'news'], { io: quiet })).to.equal(2)
    expect(await runCli(['pubsub', 'pub', 'news', 'x'.repeat(65 * 1024)], { io: quiet })).to.equal(2)
  })
})
