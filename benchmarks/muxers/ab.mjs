// Alternated A/B rounds of single.mjs (or any command printing its JSON lines): each round runs every
// variant once as a fresh process, in an order reversed and rotated from round to round, so that load from
// elsewhere on a shared machine hits all variants alike. Prints medians and ranges, and per-round ratios to
// the first variant (medians within the round). Commands run from the repository root.
//
//   node benchmarks/muxers/ab.mjs <rounds> <tcp|memory> name="command" [name="command" ...]
//   e.g. node benchmarks/muxers/ab.mjs 10 tcp official="node --import ./scripts/polyfill-with-resolvers.mjs benchmarks/muxers/single.mjs official 4" \
//          new="node benchmarks/muxers/single.mjs ours 4" old="node benchmarks/muxers/single.mjs /copy/of/yamux/dist/src/index.js 4"
//
// SKIP=k drops the first k result lines of each process; JSON=1 prints every result.
import { execFileSync } from 'node:child_process'
import os from 'node:os'
const [rounds, transport, ...vs] = process.argv.slice(2)
const skip = Number(process.env.SKIP ?? 0)
const variants = vs.map(v => { const i = v.indexOf('='); return { name: v.slice(0, i), cmd: v.slice(i + 1) } })
const res = Object.fromEntries(variants.map(v => [v.name, []]))
const loads = []
for (let r = 0; r < Number(rounds); r++) {
  const order = r % 2 === 0 ? variants : [...variants].reverse()
  const rot = order.slice(r % order.length).concat(order.slice(0, r % order.length))
  for (const v of rot) {
    loads.push(os.loadavg()[0])
    const out = execFileSync('bash', ['-c', `${v.cmd} ${transport === 'memory' ? '--memory' : ''}`], { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8', maxBuffer: 1e7 })
    const lines = out.split('\n').filter(l => l.startsWith('{')).slice(skip)
    for (const line of lines) res[v.name].push({ round: r, ...JSON.parse(line) })
  }
}
const med = a => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
console.log(`transport ${transport}, ${rounds} rounds, load ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}, ended ${new Date().toISOString()}`)
const base = variants[0].name
for (const v of variants) {
  const r = res[v.name]; const m = r.map(x => x.mibPerSecond), c = r.map(x => x.cpuSecondsPerGiB)
  // per-round ratio to the first variant (medians within the round)
  const ratios = [], cratios = []
  for (let k = 0; k < Number(rounds); k++) {
    const a = res[base].filter(x => x.round === k), b = r.filter(x => x.round === k)
    if (a.length && b.length) { ratios.push(med(b.map(x => x.mibPerSecond)) / med(a.map(x => x.mibPerSecond))); cratios.push(med(b.map(x => x.cpuSecondsPerGiB)) / med(a.map(x => x.cpuSecondsPerGiB))) }
  }
  console.log(`${v.name.padEnd(9)} n=${String(r.length).padStart(2)} MiB/s ${String(med(m)).padStart(6)} (${Math.min(...m)}-${Math.max(...m)}) CPU s/GiB ${med(c).toFixed(3)} (${Math.min(...c)}-${Math.max(...c)}) reads ${med(r.map(x => x.reads))} | vs ${base} per round: MiB/s x${med(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}), CPU x${med(cratios).toFixed(2)} (${Math.min(...cratios).toFixed(2)}-${Math.max(...cratios).toFixed(2)})`)
}
if (process.env.JSON) console.log(JSON.stringify(res))
