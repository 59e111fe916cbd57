#!/usr/bin/env node
// Independent publishing check. For every package: `npm pack`, install the
// tarball alone into an empty temporary project (its @ts-libp2p/* dependencies,
// and those its README example imports, from the other tarballs; everything
// else from the registry), check the
// package metadata, import it, and run the first code example of its README.
//
//   node scripts/pack-check.mjs [--package NAME] [--summary-file F] [--keep]
//
// A ```js example runs on this Node; a ```ts example runs on the Node 24 binary
// from node_modules/node24, which strips TypeScript types natively.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const option = (name) => { const i = args.indexOf(name); return i === -1 ? undefined : args[i + 1] }
const node24 = join(root, 'node_modules/node24/bin/node')
const EXAMPLE_TIMEOUT_MS = 120_000
const INSTALL_TIMEOUT_MS = 300_000

const packages = new Map()
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const pkgFile = join(root, 'packages', dir, 'package.json')
  if (!existsSync(pkgFile)) continue
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'))
  if (pkg.private === true) continue
  packages.set(pkg.name, { dir: join(root, 'packages', dir), pkg })
}
const selected = option('--package') != null ? [`@ts-libp2p/${option('--package')}`] : [...packages.keys()]
for (const name of selected) {
  if (!packages.has(name)) {
    console.error(`${name} is not a publishable package here (private, or no such package): nothing to check`)
    process.exit(2)
  }
}

const work = mkdtempSync(join(tmpdir(), 'ts-libp2p-pack-'))
const tarballDir = join(work, 'tarballs')
mkdirSync(tarballDir)

const results = []
function record (name, check, ok, detail = '') {
  results.push({ name, check, ok, detail })
  console.log(`${ok ? '  ✔' : '  ✘'} ${name}: ${check}${detail !== '' ? ` - ${detail}` : ''}`)
}

// pack every package once; a package's tarball name comes from npm's JSON output
const tarballs = new Map()
for (const [name, { dir }] of packages) {
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tarballDir], { cwd: dir, maxBuffer: 64 * 1024 * 1024 })
  const [info] = JSON.parse(stdout)
  tarballs.set(name, { file: join(tarballDir, info.filename), files: info.files.map(f => f.path) })
}

function internalDeps (name, seen = new Set()) {
  for (const dep of Object.keys(packages.get(name).pkg.dependencies ?? {})) {
    if (packages.has(dep) && !seen.has(dep)) { seen.add(dep); internalDeps(dep, seen) }
  }
  return seen
}

function firstExample (readme) {
  const match = readme.match(/```(js|javascript|ts|typescript)\n([\s\S]*?)```/)
  return match == null ? undefined : { lang: match[1].startsWith('t') ? 'ts' : 'js', code: match[2] }
}

async function check (name) {
  const { dir, pkg } = packages.get(name)
  const { files } = tarballs.get(name)
  const problems = []
  if (pkg.license == null) problems.push('no license')
  if (pkg.repository?.directory == null) problems.push('no repository.directory')
  if (pkg.exports?.['.']?.types == null) problems.push('exports["."] has no types')
  if (!Array.isArray(pkg.files)) problems.push('no files list')
  if (pkg.engines?.node !== '>=20') problems.push('engines.node is not >=20')
  if (!files.includes('README.md')) problems.push('README.md not packed')
  for (const target of [pkg.exports?.['.']?.types, pkg.exports?.['.']?.import]) {
    if (target != null && !files.includes(target.replace(/^\.\//, ''))) problems.push(`${target} not packed`)
  }
  if (files.some(f => f.startsWith('dist/test/'))) problems.push('compiled tests are packed')
  record(name, 'package metadata and packed files', problems.length === 0, problems.join(', '))

  const project = join(work, name.replace('@ts-libp2p/', 'project-'))
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'module' }))
  // the README example may use other packages of ours too (a service shown inside a node): those come
  // from their tarballs as well, never from the workspace
  const example = existsSync(join(dir, 'README.md')) ? firstExample(readFileSync(join(dir, 'README.md'), 'utf8')) : undefined
  const exampleImports = [...(example?.code.matchAll(/['"](@ts-libp2p\/[a-z0-9-]+)['"]/g) ?? [])].map(m => m[1]).filter(n => packages.has(n))
  const wanted = new Set([name, ...internalDeps(name)])
  for (const imported of exampleImports) {
    wanted.add(imported)
    for (const dep of internalDeps(imported)) wanted.add(dep)
  }
  const toInstall = [...wanted].map(n => tarballs.get(n).file)
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...toInstall], { cwd: project, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 })
    record(name, 'installs alone from its tarball', true)
  } catch (err) {
    record(name, 'installs alone from its tarball', false, String(err.stderr ?? err.message).split('\n').slice(-5).join(' '))
    return
  }
  try {
    await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(name)})`], { cwd: project, timeout: EXAMPLE_TIMEOUT_MS })
    record(name, 'imports', true)
  } catch (err) {
    record(name, 'imports', false, String(err.stderr ?? err.message).split('\n').slice(0, 5).join(' '))
  }
  if (example == null) {
    record(name, 'README example runs', false, 'README has no ```js or ```ts code block')
    return
  }
  const file = join(project, example.lang === 'ts' ? 'example.mts' : 'example.mjs')
  writeFileSync(file, example.code)
  try {
    const { stdout } = await run(example.lang === 'ts' ? node24 : process.execPath, [file], { cwd: project, timeout: EXAMPLE_TIMEOUT_MS })
    record(name, `README example runs (${example.lang})`, true, stdout.trim().split('\n').slice(-1)[0]?.slice(0, 100) ?? '')
  } catch (err) {
    record(name, `README example runs (${example.lang})`, false, String(err.stderr ?? err.message).split('\n').slice(0, 6).join(' '))
  }
}

// two at a time: installs are mostly waiting on the registry cache and disk
const queue = [...selected]
await Promise.all([0, 1].map(async () => {
  while (queue.length > 0) await check(queue.shift())
}))

if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true })
else console.log(`kept ${work}`)
const passed = results.filter(r => r.ok).length
const failed = results.length - passed
if (option('--summary-file') != null) writeFileSync(option('--summary-file'), JSON.stringify({ passed, failed, problems: results.filter(r => !r.ok) }))
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
