// Command-line options of benchmarks/run.mjs (`npm run bench -- ...`).
import { parseArgs } from 'node:util'

export const AREAS = ['ceiling', 'throughput', 'latency', 'loops', 'scale', 'micro']
export const IMPLS = ['ts', 'js', 'go', 'rust']
export const STACKS = ['tcp/noise/yamux', 'tcp/noise/mplex', 'tcp/tls/yamux', 'ws/noise/yamux']
/** dialer-listener: ours and each official implementation against itself, and ours against each both ways. */
export const PAIRS = ['ts-ts', 'js-js', 'go-go', 'rust-rust', 'ts-js', 'js-ts', 'ts-go', 'go-ts', 'ts-rust', 'rust-ts']
export const DIRECTIONS = ['upload', 'download']

export const USAGE = `usage: npm run bench -- [options]

  --quick              smoke run (< 5 min): tcp/noise/yamux only, small transfers, 2 runs
  --area a,b           ${AREAS.join(', ')} (default: all)
  --impl a,b           implementations to include: ${IMPLS.join(', ')} (a pair runs when both sides are included)
  --pair a-b,...       dialer-listener pairs (default: ${PAIRS.join(', ')})
  --stack a,...        transport/security/muxer (default: ${STACKS.join(', ')}; --quick: ${STACKS[0]})
  --direction a,b      upload, download (default both)
  --size MiB           bytes per throughput transfer (default 1024; --quick 32)
  --runs n             runs per figure (default 5; --quick 2)
  --streams a,b        concurrent stream counts of the scale test (default 1,10,100,1000)
  --scale-size MiB     bytes per scale transfer, shared by the streams (default 256; --quick 16)
  --connections n      idle connections of the memory test (default 1000; --quick 200)
  --iterations n       sequential connections of the connections/s loop (default 300; --quick 50)
  --node20             run the two-process node pairs on Node 20 (official code gets a Promise.withResolvers
                       polyfill) instead of the root's Node 24
  --no-build           use the interop peers as built; skip implementations that are not
  --merge              keep the other areas of <out>/latest.json and replace only the areas measured now
  --report-only        measure nothing: re-render latest.md and the charts from <out>/latest.json
  --out dir            where latest.json / latest.md go (default benchmarks/results; charts go to benchmarks/charts)
  -h, --help           this text`

export class UsageError extends Error {
  static name = 'UsageError'
  name = 'UsageError'
}

function list (value, allowed, flag) {
  const items = value.split(',').map(s => s.trim()).filter(Boolean)
  if (items.length === 0) throw new UsageError(`${flag} needs a value`)
  for (const item of items) {
    if (allowed != null && !allowed.includes(item)) throw new UsageError(`${flag}: unknown value "${item}" (one of ${allowed.join(', ')})`)
  }
  return items
}

function positive (value, flag, def) {
  if (value == null) return def
  const n = Number(value)
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} needs a positive number, not "${value}"`)
  return n
}

export function parseOptions (args) {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      area: { type: 'string' },
      impl: { type: 'string' },
      pair: { type: 'string' },
      stack: { type: 'string' },
      direction: { type: 'string' },
      size: { type: 'string' },
      runs: { type: 'string' },
      streams: { type: 'string' },
      'scale-size': { type: 'string' },
      connections: { type: 'string' },
      iterations: { type: 'string' },
      node20: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'report-only': { type: 'boolean', default: false },
      merge: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  })
  const quick = values.quick
  const impls = values.impl != null ? list(values.impl, IMPLS, '--impl') : IMPLS
  const pairs = (values.pair != null ? list(values.pair, null, '--pair') : PAIRS).map((p) => {
    const [dialer, listener, extra] = p.split('-')
    if (extra != null || !IMPLS.includes(dialer) || !IMPLS.includes(listener)) throw new UsageError(`--pair: "${p}" is not dialer-listener of ${IMPLS.join(', ')}`)
    return { dialer, listener, name: `${dialer}-${listener}` }
  }).filter(p => impls.includes(p.dialer) && impls.includes(p.listener))
  const stacks = (values.stack != null ? list(values.stack, STACKS.concat(['tcp/tls/mplex', 'ws/noise/mplex', 'ws/tls/yamux', 'ws/tls/mplex']), '--stack') : quick ? [STACKS[0]] : STACKS)
    .map((s) => { const [transport, security, muxer] = s.split('/'); return { name: s, transport, security, muxer } })
  return {
    help: values.help,
    quick,
    areas: values.area != null ? list(values.area, AREAS, '--area') : AREAS,
    impls,
    pairs,
    stacks,
    directions: values.direction != null ? list(values.direction, DIRECTIONS, '--direction') : DIRECTIONS,
    sizeMiB: positive(values.size, '--size', quick ? 32 : 1024),
    runs: Math.round(positive(values.runs, '--runs', quick ? 2 : 5)),
    streams: values.streams != null ? list(values.streams, null, '--streams').map(s => Math.round(positive(s, '--streams'))) : [1, 10, 100, 1000],
    scaleMiB: positive(values['scale-size'], '--scale-size', quick ? 16 : 256),
    connections: Math.round(positive(values.connections, '--connections', quick ? 200 : 1000)),
    iterations: Math.round(positive(values.iterations, '--iterations', quick ? 50 : 300)),
    node20: values.node20,
    build: !values['no-build'],
    reportOnly: values['report-only'],
    merge: values.merge,
    out: values.out
  }
}
