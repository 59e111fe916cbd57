import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'chai'
import { checkConfig, configFromFlags, loadConfigFile, resolveNodeConfig } from '../src/config.js'
import { DEFAULT_LISTEN, DEFAULT_SERVICES } from '../src/constants.js'
import { tempConfigHome } from './fixtures/processes.js'

const PEER = '12D3KooWN93LtmSkoDd8rHavPvDGtRsJYPgWvV4uikrVQyxyHseo'

describe('config', () => {
  let home: ReturnType<typeof tempConfigHome>
  beforeEach(() => { home = tempConfigHome() })
  afterEach(() => { home.remove() })

  it('accepts every known key', () => {
    const config = checkConfig({
      identity: '/tmp/k', listen: ['/ip4/127.0.0.1/tcp/0'], announce: [], bootstrap: [`/ip4/127.0.0.1/tcp/1/p2p/${PEER}`],
      transports: ['tcp', 'ws'], encrypters: ['tls'], muxers: ['mplex', 'yamux'], services: ['ping'], mdns: true
    })
    expect(config.encrypters).to.deep.equal(['tls'])
    expect(config.mdns).to.equal(true)
  })

  it('refuses unknown keys, wrong types, unknown names and bad multiaddrs', () => {
    expect(() => checkConfig([])).to.throw(/JSON object/).with.property('name', 'ConfigError')
    expect(() => checkConfig({ lsiten: [] })).to.throw(/unknown key "lsiten"/)
    expect(() => checkConfig({ listen: '/ip4/1.2.3.4/tcp/1' })).to.throw(/array of strings/)
    expect(() => checkConfig({ mdns: 'yes' })).to.throw(/true or false/)
    expect(() => checkConfig({ transports: ['quic'] })).to.throw(/unknown name "quic"/)
    expect(() => checkConfig({ listen: ['not a multiaddr'] })).to.throw(/bad multiaddr/)
    expect(() => checkConfig({ bootstrap: ['/ip4/127.0.0.1/tcp/1'] })).to.throw(/p2p/)
  })

  it('reads a file and refuses one that is not JSON, missing or too large', async () => {
    const good = join(home.dir, 'good.json')
    writeFileSync(good, JSON.stringify({ services: ['ping', 'perf'] }))
    expect(await loadConfigFile(good)).to.deep.equal({ services: ['ping', 'perf'] })
    const bad = join(home.dir, 'bad.json')
    writeFileSync(bad, '{ nope')
    await loadConfigFile(bad).then(() => expect.fail('accepted'), (err) => { expect(err.name).to.equal('ConfigError'); expect(err.message).to.match(/not JSON/) })
    await loadConfigFile(join(home.dir, 'missing.json')).then(() => expect.fail('accepted'), (err) => { expect(err.name).to.equal('ConfigError') })
    const big = join(home.dir, 'big.json')
    writeFileSync(big, ' '.repeat(1024 * 1024 + 1))
    await loadConfigFile(big).then(() => expect.fail('accepted'), (err) => { expect(err.message).to.match(/limit/) })
  })

  it('splits comma lists from flags and reports bad values as usage errors', () => {
    expect(configFromFlags({ encrypters: 'tls, noise', services: 'ping,,perf' })).to.deep.equal({ encrypters: ['tls', 'noise'], services: ['ping', 'perf'] })
    expect(() => configFromFlags({ muxers: 'spdy' })).to.throw(/--muxers has unknown name "spdy"/).with.property('name', 'UsageError')
  })

  it('puts flags over the file over the defaults', async () => {
    const file = join(home.dir, 'c.json')
    writeFileSync(file, JSON.stringify({ listen: ['/ip4/127.0.0.1/tcp/4001'], muxers: ['mplex'], mdns: true }))
    const resolved = await resolveNodeConfig({ config: file, muxers: 'yamux' })
    expect(resolved.listen).to.deep.equal(['/ip4/127.0.0.1/tcp/4001'])
    expect(resolved.muxers).to.deep.equal(['yamux'])
    expect(resolved.mdns).to.equal(true)
    const plain = await resolveNodeConfig({})
    expect(plain.listen).to.deep.equal(DEFAULT_LISTEN)
    expect(plain.services).to.deep.equal(DEFAULT_SERVICES)
    expect(plain.services).to.not.include('perf')
  })
})
