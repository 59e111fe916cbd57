#!/usr/bin/env node
// `npm run bench`: ours (ts-libp2p) side by side with js-libp2p, go-libp2p and rust-libp2p on this machine, in one
// run: ceilings, perf throughput between two processes, latency and handshakes, scale (concurrent streams, idle
// memory, CPU per MiB) and micro-benchmarks. Writes benchmarks/results/latest.{json,md} and benchmarks/charts/*.svg.
// See benchmarks/README.md.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { installCleanup, killAll } from './lib/proc.mjs'
import { machine, ROOT, versions } from './lib/machine.mjs'
import { parseOptions, USAGE, UsageError } from './lib/options.mjs'
import { prepareInterop } from './lib/pairs.mjs'
import { ceiling, latency, loops, micro, scale, throughput } from './lib/sections.mjs'
import { charts, computeRatios, computeTargets, markdown } from './lib/report.mjs'

let options
try {
  options = parseOptions(process.argv.slice(2))
} catch (err) {
  if (err instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${err.message}\n\n${USAGE}`)
    process.exit(2)
  }
  throw err
}
if (options.help) {
  console.log(USAGE)
  process.exit(0)
}

const outDir = options.out ?? join(ROOT, 'benchmarks', 'results')
const chartDir = options.out != null ? join(outDir, 'charts') : join(ROOT, 'benchmarks', 'charts')
const t0 = performance.now()
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)}s`
const say = (msg) => console.log(`[${elapsed()}] ${msg}`)
const previous = () => JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8'))
let results = options.reportOnly ? previous() : await measure()
if (options.merge && !options.reportOnly) {
  // the areas measured now replace those of the last result set; the rest stays, and the merge is recorded
  const base = previous()
  for (const area of options.areas) if (results[area] !== undefined) base[area] = results[area]
  base.merged = [...(base.merged ?? []), {
    startedAt: results.startedAt,
    finishedAt: results.finishedAt,
    areas: options.areas,
    options: results.options,
    loadAverageStart: results.machine.loadAverageStart,
    loadAverageEnd: results.machine.loadAverageEnd,
    git: results.git,
    failures: results.failures
  }]
  base.failures = [...(base.failures ?? []).filter(f => !options.areas.includes(f.area)), ...results.failures]
  base.notes = [...(base.notes ?? []), ...results.notes.map(n => `(${options.areas.join(', ')} at ${results.startedAt}) ${n}`)]
  if (results.interopPeers) base.interopPeers = { ...base.interopPeers, ...results.interopPeers }
  results = base
}
results.ratios = computeRatios(results)
results.targets = computeTargets(results)

async function measure () {
  installCleanup(10)

  const git = (() => {
    try {
      const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
      const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'interop/peers'], { cwd: ROOT, encoding: 'utf8' }).trim() !== ''
      return { commit, dirty }
    } catch { return null }
  })()

  const kind = options.quick ? 'quick' : (process.argv.length > 2 ? 'custom' : 'full')
  const results = {
    kind,
    startedAt: new Date().toISOString(),
    options,
    machine: { ...machine(), loadAverageStart: machine().loadAverage },
    versions: versions(),
    git,
    notes: [],
    failures: []
  }

  // Our packages must be built: the node pairs, the interop ts peer and the micro-benchmarks load dist/.
  if (options.build) {
    say('building the workspace (tsc -b) ...')
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b',
        ...['libp2p', 'tcp', 'websockets', 'noise', 'tls', 'yamux', 'mplex', 'perf', 'ping', 'identify', 'test-utils', 'multistream-select', 'peer-id']
          .map(p => join(ROOT, 'packages', p, 'tsconfig.json'))], { cwd: ROOT, stdio: 'inherit' })
    } catch {
      results.notes.push('the workspace build (tsc -b) reported errors; the run used whatever dist/ held')
      say('tsc -b reported errors: going on with what dist/ holds')
    }
  }

  const needInterop = ['throughput', 'latency', 'loops'].some(a => options.areas.includes(a))
  let interopStatus = {}
  if (needInterop) {
    say(`preparing interop peers: ${options.impls.join(', ')} ...`)
    interopStatus = await prepareInterop(options, options.impls, say)
    for (const [name, s] of Object.entries(interopStatus)) {
      say(`  ${name}: ${s.state} (${s.reason.split('\n')[0]})`)
      if (s.state !== 'ready') results.notes.push(`interop peer ${name}: ${s.state} (${s.reason.split('\n')[0]})`)
    }
    results.interopPeers = interopStatus
  }

  const areas = { ceiling, throughput, latency, loops, scale, micro }
  const areaSeconds = {}
  for (const area of options.areas) {
    const start = performance.now()
    try {
      results[area] = await areas[area](options, say, interopStatus)
    } catch (err) {
      say(`${area} failed: ${err.stack}`)
      results.failures.push({ area, error: err.message.slice(0, 1000) })
    }
    areaSeconds[area] = Math.round((performance.now() - start) / 1000)
  }
  killAll()

  results.finishedAt = new Date().toISOString()
  results.durationSeconds = (performance.now() - t0) / 1000
  results.areaSeconds = areaSeconds
  results.machine.loadAverageEnd = machine().loadAverage
  if (results.machine.loadAverageStart[0] > 0.5 || results.machine.loadAverageEnd[0] > 0.5) {
    results.notes.push(`other work ran on this ${results.machine.cores}-core machine during the run (load average ${results.machine.loadAverageStart[0]} at the start, ${results.machine.loadAverageEnd[0]} at the end, of which this run's own two processes are up to 2): absolute figures are depressed and noisy, prefer the ratios`)
  }
  return results
}

mkdirSync(outDir, { recursive: true })
mkdirSync(chartDir, { recursive: true })
writeFileSync(join(outDir, 'latest.json'), JSON.stringify(results, null, 1) + '\n')
const md = markdown(results)
const svgs = charts(results)
for (const [file, svg] of Object.entries(svgs)) writeFileSync(join(chartDir, file), svg)
const chartLinks = Object.keys(svgs).map(f => `- [${f}](${relative(outDir, join(chartDir, f))})`).join('\n')
writeFileSync(join(outDir, 'latest.md'), md + (chartLinks ? `\n## Charts\n\n${chartLinks}\n` : ''))

say(`done in ${elapsed()}: ${relative(ROOT, join(outDir, 'latest.json'))}, ${relative(ROOT, join(outDir, 'latest.md'))}, ${Object.keys(svgs).length} charts in ${relative(ROOT, chartDir)}`)
console.log('\n' + results.targets.map(t => `${t.met == null ? '  ?' : t.met ? ' ok' : 'NOT'}  ${t.target}: ${t.measured == null ? 'not measured' : `${t.measured}x`}`).join('\n'))
process.exit(results.failures?.length > 0 && !options.reportOnly ? 1 : 0)
