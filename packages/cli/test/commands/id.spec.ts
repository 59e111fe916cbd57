import { statSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'chai'
import { runBin, runInProcess, tempConfigHome } from '../fixtures/processes.js'

describe('ts-libp2p id', () => {
  let home: ReturnType<typeof tempConfigHome>
  beforeEach(() => { home = tempConfigHome() })
  afterEach(() => { home.remove() })

  it('creates the identity under XDG_CONFIG_HOME on first use and prints the same peer id after', async () => {
    const first = await runBin(['id', '--json', '--listen', '/ip4/127.0.0.1/tcp/4001'], { env: { XDG_CONFIG_HOME: home.dir } })
    expect(first.code).to.equal(0, first.stderr)
    const a = JSON.parse(first.stdout)
    expect(a.created).to.equal(true)
    expect(a.identityFile).to.equal(join(home.dir, 'ts-libp2p', 'identity.key'))
    expect(statSync(a.identityFile).mode & 0o777).to.equal(0o600)
    expect(a.addresses).to.deep.equal([`/ip4/127.0.0.1/tcp/4001/p2p/${String(a.peerId)}`])
    const second = await runInProcess(['id'], { env: { XDG_CONFIG_HOME: home.dir } })
    expect(second.code).to.equal(0)
    expect(second.stdout).to.include(`peer id:   ${String(a.peerId)}`)
    expect(second.stdout).to.not.include('created now')
  })

  it('uses --identity and fails with exit code 1 on a bad key file', async () => {
    const key = join(home.dir, 'other.key')
    const made = await runInProcess(['id', '--json', '--identity', key])
    expect(JSON.parse(made.stdout).identityFile).to.equal(key)
    const bad = await runInProcess(['id', '--identity', home.dir])
    expect(bad.code).to.equal(1)
    expect(bad.stderr).to.match(/IdentityFileError: .* not a file/)
  })
})
