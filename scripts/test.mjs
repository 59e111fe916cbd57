#!/usr/bin/env node
// Runs every package's compiled mocha specs (dist/test/**/*.spec.js), each
// package in its own process, and ends with one line `N passed, N failed`.
//
//   node scripts/test.mjs                 all packages, this Node
//   node scripts/test.mjs --node24        all packages, on the Node 24 binary from node_modules/node24
//   node scripts/test.mjs --package DIR   one package (what `npm test -w @ts-libp2p/<name>` runs)
//   node scripts/test.mjs yamux mplex     the named packages under packages/ (no interop runner tests)
//   node scripts/test.mjs --grep TEXT     passed through to mocha
//   node scripts/test.mjs --summary-file F  also write the totals as JSON to F (used by .ci/run)
//
// Spec files that drive official js-libp2p code (compliance.spec.js and
// official-*.spec.js) run in a separate mocha process with the
// Promise.withResolvers polyfill, because official js-libp2p 3.x needs Node >= 22;
// all other specs run without it, which proves our own packages do not need it.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname, basename } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name) => { const i = args.indexOf(name); return i === -1 ? undefined : args[i + 1] }

const node = flag('--node24') ? join(root, 'node_modules/node24/bin/node') : process.execPath
if (!existsSync(node)) {
  console.error(`no Node binary at ${node}: run npm ci first`)
  process.exit(2)
}
const mocha = join(root, 'node_modules/mocha/bin/mocha.js')
const reporter = join(root, 'scripts/mocha-summary-reporter.cjs')
const polyfill = join(root, 'scripts/polyfill-with-resolvers.mjs')
const perFileTimeoutMs = Number(option('--timeout') ?? 60_000)

function specFiles (dir) {
  if (!existsSync(dir)) return []
  const out = []
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...specFiles(path))
    else if (entry.endsWith('.spec.js')) out.push(path)
  }
  return out.sort()
}

const needsPolyfill = (file) => basename(file) === 'compliance.spec.js' || basename(file).startsWith('official-')

// positional arguments name packages under packages/
const valued = new Set(['--package', '--grep', '--summary-file', '--timeout'])
const named = args.filter((arg, i) => !arg.startsWith('--') && !valued.has(args[i - 1]))
for (const name of named) {
  if (!existsSync(join(root, 'packages', name, 'package.json'))) {
    console.error(`no package packages/${name}`)
    process.exit(2)
  }
}
const packageDirs = option('--package') != null
  ? [resolve(option('--package'))]
  : named.length > 0
    ? named.map(name => join(root, 'packages', name))
    : readdirSync(join(root, 'packages')).map(name => join(root, 'packages', name)).filter(dir => existsSync(join(dir, 'package.json'))).sort()

const work = mkdtempSync(join(tmpdir(), 'ts-libp2p-test-'))
const totals = { passed: 0, failed: 0, skipped: 0 }
const problems = []

function runMocha (label, files, withPolyfill) {
  return new Promise((resolvePromise) => {
    const resultFile = join(work, `${label.replace(/[^a-z0-9]+/gi, '_')}.json`)
    const nodeArgs = withPolyfill ? ['--import', polyfill] : []
    const mochaArgs = [mocha, '--reporter', reporter, '--timeout', String(perFileTimeoutMs), '--exit']
    const grep = option('--grep')
    if (grep != null) mochaArgs.push('--grep', grep)
    const child = spawn(node, [...nodeArgs, ...mochaArgs, ...files], {
      stdio: 'inherit',
      env: { ...process.env, TS_LIBP2P_RESULT_FILE: resultFile }
    })
    child.on('exit', (code, signal) => {
      let result
      try { result = JSON.parse(readFileSync(resultFile, 'utf8')) } catch {}
      if (result == null) {
        // mocha died before reporting (syntax error, crash): count it as a failure
        problems.push(`${label}: mocha exited with ${signal ?? code} before reporting`)
        totals.failed += 1
      } else {
        totals.passed += result.passed
        totals.failed += result.failed
        totals.skipped += result.skipped
        for (const f of result.failures) problems.push(`${label}: ${f.title}: ${f.error}`)
        if (code !== 0 && result.failed === 0) {
          problems.push(`${label}: mocha exited with ${signal ?? code}`)
          totals.failed += 1
        }
      }
      resolvePromise()
    })
  })
}

console.log(`Node ${node === process.execPath ? process.version : 'from node_modules/node24'}`)
for (const dir of packageDirs) {
  const name = basename(dir)
  const files = specFiles(join(dir, 'dist/test'))
  if (files.length === 0) {
    console.log(`\n## ${name}: no compiled specs (dist/test) - skipped`)
    continue
  }
  const plain = files.filter(f => !needsPolyfill(f))
  const official = files.filter(needsPolyfill)
  console.log(`\n## ${name}`)
  if (plain.length > 0) await runMocha(name, plain, false)
  if (official.length > 0) await runMocha(`${name} (official code)`, official, true)
}

// the interop runner's own tests (node:test), when running everything
const interopTests = join(root, 'interop/test')
if (option('--package') == null && named.length === 0 && existsSync(interopTests)) {
  const files = readdirSync(interopTests).filter(f => f.endsWith('.test.mjs')).map(f => join(interopTests, f))
  if (files.length > 0) {
    console.log('\n## interop runner')
    await new Promise((resolvePromise) => {
      const child = spawn(node, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${join(work, 'interop.tap')}`, ...files], { stdio: 'inherit' })
      child.on('exit', (code, signal) => {
        let tap = ''
        try { tap = readFileSync(join(work, 'interop.tap'), 'utf8') } catch {}
        const count = (key) => Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? NaN)
        if (Number.isNaN(count('pass'))) {
          problems.push(`interop runner tests: node --test exited with ${signal ?? code} before reporting`)
          totals.failed += 1
        } else {
          totals.passed += count('pass')
          totals.failed += count('fail')
          if (count('fail') > 0) problems.push(`interop runner tests: ${count('fail')} failed`)
        }
        resolvePromise()
      })
    })
  }
}
rmSync(work, { recursive: true, force: true })

if (problems.length > 0) {
  console.log('\nFailures:')
  for (const p of problems) console.log(`  - ${p}`)
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed` + (totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''))
if (option('--summary-file') != null) writeFileSync(option('--summary-file'), JSON.stringify({ ...totals, problems }))
process.exit(totals.failed > 0 ? 1 : 0)
