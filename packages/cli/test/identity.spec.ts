import { chmodSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'chai'
import { defaultIdentityPath, loadOrCreateIdentity, readIdentity } from '../src/identity.js'
import { tempConfigHome } from './fixtures/processes.js'

describe('identity', () => {
  let home: ReturnType<typeof tempConfigHome>
  beforeEach(() => { home = tempConfigHome() })
  afterEach(() => { home.remove() })

  it('defaults to $XDG_CONFIG_HOME/ts-libp2p, else ~/.config/ts-libp2p', () => {
    expect(defaultIdentityPath({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).to.equal('/x/ts-libp2p/identity.key')
    expect(defaultIdentityPath({ HOME: '/h' })).to.equal('/h/.config/ts-libp2p/identity.key')
    expect(defaultIdentityPath({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).to.equal('/h/.config/ts-libp2p/identity.key')
  })

  it('creates an Ed25519 key with mode 0600 in a 0700 directory, then reads the same key back', async () => {
    const path = join(home.dir, 'sub', 'identity.key')
    const first = await loadOrCreateIdentity(path)
    expect(first.created).to.equal(true)
    expect(first.privateKey.type).to.equal('Ed25519')
    expect(statSync(path).mode & 0o777).to.equal(0o600)
    expect(statSync(join(home.dir, 'sub')).mode & 0o777).to.equal(0o700)
    const second = await loadOrCreateIdentity(path)
    expect(second.created).to.equal(false)
    expect(second.privateKey.equals(first.privateKey)).to.equal(true)
  })

  it('gives two concurrent first uses the same key', async () => {
    const path = join(home.dir, 'race.key')
    const [a, b] = await Promise.all([loadOrCreateIdentity(path), loadOrCreateIdentity(path)])
    expect(a.privateKey.equals(b.privateKey)).to.equal(true)
    expect([a.created, b.created].filter(Boolean)).to.have.lengthOf(1)
  })

  it('refuses a key file other users can read, a file that is not a key, a huge file and a directory', async () => {
    const path = join(home.dir, 'open.key')
    await loadOrCreateIdentity(path)
    chmodSync(path, 0o644)
    await readIdentity(path).then(() => expect.fail('accepted'), (err) => { expect(err.name).to.equal('IdentityFileError'); expect(err.message).to.match(/chmod 600/) })
    const junk = join(home.dir, 'junk.key')
    writeFileSync(junk, 'hello', { mode: 0o600 })
    await readIdentity(junk).then(() => expect.fail('accepted'), (err) => { expect(err.message).to.match(/protobuf private key/) })
    const huge = join(home.dir, 'huge.key')
    writeFileSync(huge, Buffer.alloc(64 * 1024), { mode: 0o600 })
    await readIdentity(huge).then(() => expect.fail('accepted'), (err) => { expect(err.message).to.match(/limit/) })
    mkdirSync(join(home.dir, 'dir.key'))
    await readIdentity(join(home.dir, 'dir.key')).then(() => expect.fail('accepted'), (err) => { expect(err.message).to.match(/not a file/) })
    expect(await readIdentity(join(home.dir, 'missing.key'))).to.equal(undefined)
  })
})
