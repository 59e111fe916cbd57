// Two `ts-libp2p chat` processes with their terminal UI, each in its own tmux session (a private tmux
// server, so nothing of the user's is touched), talking through a bootstrap address on 127.0.0.1 (no mDNS
// in tests). Keys are typed with send-keys and the screens read with capture-pane.
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { expect } from 'chai'
import { BIN, runBin, tempConfigHome } from '../fixtures/processes.js'

const SOCKET = `ts-libp2p-chat-test-${process.pid}`

function tmux (...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function screen (session: string): string {
  try { return tmux('capture-pane', '-p', '-t', session) } catch { return '' }
}

async function waitForScreen (session: string, pattern: RegExp, timeout = 15_000): Promise<string> {
  const start = Date.now()
  while (Date.now() - start < timeout) {
    const text = screen(session)
    if (pattern.test(text)) return text
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${session}: ${String(pattern)} not on screen within ${timeout} ms; screen:\n${screen(session)}`)
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise(resolve => server.close(resolve))
  return port
}

function sessionAlive (session: string): boolean {
  try { tmux('has-session', '-t', session); return true } catch { return false }
}

describe('ts-libp2p chat', function () {
  this.timeout(60_000)
  let home: ReturnType<typeof tempConfigHome>
  before(() => { home = tempConfigHome() })
  after(() => {
    try { tmux('kill-server') } catch {}
    home.remove()
  })

  it('two terminals chat through a bootstrap address: nicknames, member list, messages, renames, leaving', async () => {
    const key = join(home.dir, 'alice.key')
    const port = await freePort()
    const id = JSON.parse((await runBin(['id', '--json', '--identity', key, '--listen', `/ip4/127.0.0.1/tcp/${port}`])).stdout)
    const aliceAddr: string = id.addresses[0]
    const command = (args: string[]): string => [process.execPath, BIN, 'chat', ...args].map(a => `'${a}'`).join(' ')

    tmux('new-session', '-d', '-s', 'alice', '-x', '110', '-y', '20', command(['--identity', key, '--listen', `/ip4/127.0.0.1/tcp/${port}`, '--nick', 'alice', '--room', 'test']))
    await waitForScreen('alice', /joined room "test" as alice/)
    tmux('new-session', '-d', '-s', 'bob', '-x', '110', '-y', '20', command(['--listen', '/ip4/127.0.0.1/tcp/0', '--nick', 'bob', '--room', 'test', '--bootstrap', aliceAddr]))
    await waitForScreen('bob', /alice is here/)
    await waitForScreen('alice', /bob is here/)
    // the member lists on the right
    expect(await waitForScreen('alice', /│in the room: 2/)).to.match(/│bob …/)
    expect(await waitForScreen('bob', /│in the room: 2/)).to.match(/│alice …/)

    tmux('send-keys', '-t', 'bob', 'hello alice, this is bob', 'Enter')
    await waitForScreen('alice', /<bob …\w+> hello alice, this is bob/)
    tmux('send-keys', '-t', 'alice', 'hi bob!', 'Enter')
    await waitForScreen('bob', /<alice …\w+> hi bob!/)
    expect(screen('bob')).to.match(/<bob> hello alice, this is bob/)

    tmux('send-keys', '-t', 'alice', '/nick alicia', 'Enter')
    await waitForScreen('bob', /alice is now alicia/)
    await waitForScreen('alice', /you: alicia/)

    tmux('send-keys', '-t', 'bob', 'C-c')
    await waitForScreen('alice', /bob left/)
    for (let i = 0; i < 100 && sessionAlive('bob'); i++) await new Promise(resolve => setTimeout(resolve, 50))
    expect(sessionAlive('bob')).to.equal(false)
    tmux('send-keys', '-t', 'alice', '/quit', 'Enter')
    for (let i = 0; i < 100 && sessionAlive('alice'); i++) await new Promise(resolve => setTimeout(resolve, 50))
    expect(sessionAlive('alice')).to.equal(false)
  })
})
