#!/usr/bin/env node
/**
 * The long fuzz run: the same fast-check properties as each package's
 * `test/fuzz.spec.ts` (which npm test runs with ~150 runs each), with many
 * more runs and a fresh seed per round, until the time is up.
 *
 *   npm run fuzz -- --minutes 10              every target, round robin
 *   npm run fuzz -- --minutes 5 --target yamux
 *   npm run fuzz -- --list
 *   npm run fuzz -- --runs 5000 --seed 1234 --target noise   (replay one round)
 *
 * Seeds come from fuzz/corpus/<name>/*.hex (made by fuzz/generate-corpus.mjs).
 * A failing property prints fast-check's counterexample, seed and path; the
 * script then exits 1. Replay it with `FUZZ_SEED=<seed> FUZZ_RUNS=<runs>
 * npx mocha packages/<pkg>/dist/test/fuzz.spec.js`. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}

// every package with a test/fuzz.spec.ts is a target, named after its directory
const targets = fs.readdirSync(path.join(root, 'packages'))
  .filter(name => fs.existsSync(path.join(root, 'packages', name, 'test', 'fuzz.spec.ts')))
  .sort()

if (args.includes('--list')) {
  console.info(targets.join('\n'))
  process.exit(0)
}

const wanted = option('target')
const chosen = wanted == null ? targets : targets.filter(t => t === wanted)
if (chosen.length === 0) {
  console.error(`Unknown target ${wanted}; targets: ${targets.join(', ')}`)
  process.exit(2)
}
const minutes = Number(option('minutes', '1'))
const runs = Number(option('runs', '2000'))
const fixedSeed = option('seed')
if (!(minutes > 0) || !(runs > 0)) {
  console.error('--minutes and --runs must be positive numbers')
  process.exit(2)
}

for (const target of chosen) {
  const spec = path.join(root, 'packages', target, 'dist', 'test', 'fuzz.spec.js')
  if (!fs.existsSync(spec)) {
    console.error(`${spec} is missing: run \`npm run build\` first`)
    process.exit(2)
  }
}

const deadline = Date.now() + minutes * 60_000
const totals = new Map(chosen.map(t => [t, { rounds: 0, ms: 0 }]))
let round = 0
const offset = (Math.random() * chosen.length) | 0 // short runs cover different targets each time
console.info(`fuzzing ${chosen.join(', ')} for ${minutes} min, ${runs} runs per property per round`)
while (Date.now() < deadline) {
  const target = chosen[(round + offset) % chosen.length]
  const seed = fixedSeed != null ? Number(fixedSeed) : (Math.random() * 2 ** 31) | 0
  const started = Date.now()
  const result = spawnSync(process.execPath, [
    path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--timeout', '0', '--reporter', 'dot',
    path.join(root, 'packages', target, 'dist', 'test', 'fuzz.spec.js')
  ], { cwd: root, env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const t = totals.get(target)
  t.rounds++
  t.ms += Date.now() - started
  if (result.status !== 0) {
    console.error(result.stdout)
    console.error(result.stderr)
    console.error(`FAILED: ${target}, seed ${seed}, ${runs} runs. Replay: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npx mocha packages/${target}/dist/test/fuzz.spec.js`)
    process.exit(1)
  }
  console.info(`ok ${target} seed ${seed} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  round++
  if (fixedSeed != null && round >= chosen.length) break
}
console.info('\ntarget      rounds  seconds')
for (const [target, { rounds, ms }] of totals) console.info(`${target.padEnd(20)} ${String(rounds).padStart(4)} ${(ms / 1000).toFixed(0).padStart(8)}`)
console.info(`no failure in ${round} rounds`)
