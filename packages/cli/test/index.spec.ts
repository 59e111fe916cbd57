import { expect } from 'chai'
import * as cli from '../src/index.js'

describe('index', () => {
  it('exports the programmatic API', () => {
    for (const name of ['runCli', 'COMMANDS', 'createNode', 'resolveNodeConfig', 'loadOrCreateIdentity', 'runControl', 'BASE_OPS', 'Output', 'UsageError']) {
      expect(cli).to.have.property(name)
    }
    expect(cli.COMMANDS.map(c => c.name)).to.deep.equal(['id', 'node', 'ping', 'perf', 'dht', 'pubsub', 'chat', 'interop', 'bench'])
  })
})
