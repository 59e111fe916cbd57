// `npm ci` for a node peer without a window in which its node_modules is missing or half written.
//
// A plain `npm ci --prefix <dir>` deletes <dir>/node_modules first and then writes it package by package; a peer
// process of another run (the matrix and a benchmark share the peers) that starts meanwhile fails at import, e.g.
// `FSLegacyMainResolve ... Cannot find package .../node_modules/@chainsafe/libp2p-noise/index.js` (the package's
// directory exists, its package.json with the "exports" field does not yet). So install into <dir>/.tmp/install and
// swap the finished tree in with two renames; a process that started before keeps the modules it has loaded.
//
// usage: node staged-install.mjs <dir>
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.argv[2]
if (dir == null) {
  process.stderr.write('usage: node staged-install.mjs <dir>\n')
  process.exit(2)
}
const stage = join(dir, '.tmp', 'install')
rmSync(stage, { recursive: true, force: true })
mkdirSync(stage, { recursive: true })
for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(dir, file), join(stage, file))
const npm = spawnSync('npm', ['ci', '--prefix', stage, '--no-audit', '--no-fund'], { stdio: 'inherit' })
if (npm.status !== 0) {
  process.stderr.write(`npm ci exited with ${npm.status ?? npm.signal}\n`)
  process.exit(1)
}
const live = join(dir, 'node_modules')
const old = join(dir, '.tmp', `old-${process.pid}`)
if (existsSync(live)) renameSync(live, old)
renameSync(join(stage, 'node_modules'), live)
rmSync(old, { recursive: true, force: true })
rmSync(stage, { recursive: true, force: true })
