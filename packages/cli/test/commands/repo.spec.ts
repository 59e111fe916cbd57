import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { findRepository } from '../../src/commands/repo.js'
import { runBin, runInProcess, tempConfigHome } from '../fixtures/processes.js'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..')

describe('ts-libp2p interop and bench', function () {
  this.timeout(20_000)

  it('finds the checkout from any directory inside it, and nothing outside', () => {
    expect(findRepository(REPO)).to.equal(REPO)
    expect(findRepository(resolve(REPO, 'packages/cli/src'))).to.equal(REPO)
    const home = tempConfigHome()
    try {
      expect(findRepository(home.dir)).to.equal(undefined)
    } finally {
      home.remove()
    }
  })

  it('runs interop/run in the checkout, passing arguments through', async () => {
    const run = await runInProcess(['interop', '--help'], { cwd: resolve(REPO, 'packages') })
    expect(run.stdout).to.match(/Usage: ts-libp2p interop/)
    const list = await runBin(['interop', '--', '--help'], { cwd: resolve(REPO, 'packages') })
    expect(list.code).to.equal(0, list.stderr)
    expect(list.stdout).to.match(/usage: npm run interop/)
  })

  it('says it needs the repository when run outside one', async () => {
    const home = tempConfigHome()
    try {
      for (const name of ['interop', 'bench']) {
        const run = await runInProcess([name], { cwd: home.dir })
        expect(run.code).to.equal(1)
        expect(run.stderr).to.match(/NotInRepositoryError: .*clone of the ts-libp2p repository/)
      }
    } finally {
      home.remove()
    }
  })
})
