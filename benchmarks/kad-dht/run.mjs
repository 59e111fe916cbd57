// Runs bench.mjs for our DHT and the official js one at each network size,
// one child process per (implementation, size) so heap figures do not mix,
// and writes results/latest.json plus a markdown table on stdout.
//
//   node benchmarks/kad-dht/run.mjs --sizes 100,500 --lookups 50
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cpus, loadavg } from 'node:os'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []))
const sizes = (args.sizes ?? '100,500').split(',').map(Number)
const lookups = args.lookups ?? '50'
const results = []
for (const nodes of sizes) {
  for (const impl of ['ours', 'official']) {
    const started = Date.now()
    const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', join(root, 'scripts/polyfill-with-resolvers.mjs'), join(here, 'bench.mjs'), '--impl', impl, '--nodes', String(nodes), '--lookups', lookups], { cwd: root, encoding: 'utf8', timeout: Number(args.timeout ?? 1_800_000), maxBuffer: 64 * 1024 * 1024 })
    const line = (child.stdout ?? '').split('\n').find(l => l.startsWith('{'))
    if (line == null) {
      results.push({ impl, nodes, error: `exited with ${child.status ?? child.signal} after ${Date.now() - started} ms` })
      process.stderr.write(`${impl} ${nodes}: failed (${child.status ?? child.signal})\n`)
      continue
    }
    results.push(JSON.parse(line))
    process.stderr.write(`${impl} ${nodes}: ${line}\n`)
  }
}
mkdirSync(join(here, 'results'), { recursive: true })
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(), results }, null, 2) + '\n')

const f = (x, d = 1) => x == null ? 'n/a' : Number(x).toFixed(d)
const rows = ['| nodes | impl | lookup ms p50 / mean / p95 | hops mean / max | requests per lookup (mean) | heap per node KiB | connections per node | failures |', '|---|---|---|---|---|---|---|---|']
for (const r of results) {
  if (r.error != null) { rows.push(`| ${r.nodes} | ${r.impl} | ${r.error} | | | | | |`); continue }
  rows.push(`| ${r.nodes} | ${r.impl} | ${f(r.latencyMs?.p50)} / ${f(r.latencyMs?.mean)} / ${f(r.latencyMs?.p95)} | ${r.hops == null ? 'n/a' : `${f(r.hops.mean, 2)} / ${r.hops.max}`} | ${f(r.requestsPerLookup?.mean)} | ${r.heapPerNodeKiB} | ${r.connectionsPerNode} | ${r.failures} |`)
}
const ratios = ['', '| nodes | latency p50 ours/official | requests ours/official | heap ours/official |', '|---|---|---|---|']
for (const nodes of sizes) {
  const o = results.find(r => r.impl === 'ours' && r.nodes === nodes && r.error == null)
  const j = results.find(r => r.impl === 'official' && r.nodes === nodes && r.error == null)
  if (o == null || j == null) continue
  ratios.push(`| ${nodes} | ${f(o.latencyMs.p50 / j.latencyMs.p50, 2)} | ${f(o.requestsPerLookup.mean / j.requestsPerLookup.mean, 2)} | ${f(o.heapPerNodeKiB / j.heapPerNodeKiB, 2)} |`)
}
console.log([...rows, ...ratios].join('\n'))
