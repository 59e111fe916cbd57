// Command-line options of interop/run.
import { parseArgs } from 'node:util'

export const DIMENSIONS = {
  transport: ['tcp', 'ws'],
  security: ['noise', 'tls'],
  muxer: ['yamux', 'mplex'],
  scenario: ['ping', 'identify', 'perf', 'dht', 'gossipsub', 'gossipsub-mesh']
}

/** What --quick runs: the one stack every implementation speaks, ping and identify. */
export const QUICK = { transport: ['tcp'], security: ['noise'], muxer: ['yamux'], scenario: ['ping', 'identify'] }

/**
 * Scenarios that test a protocol above the connection rather than the connection itself run
 * on this one stack only, unless --all-stacks is given (ping, identify and perf cover the
 * stacks; see interop/README.md).
 */
export const ONE_STACK_SCENARIOS = ['dht', 'gossipsub', 'gossipsub-mesh']
export const ONE_STACK = { transport: 'tcp', security: 'noise', muxer: 'yamux' }

/** Bytes each way of a perf cell unless --perf-upload-bytes / --perf-download-bytes say otherwise. */
export const DEFAULT_PERF_BYTES = 1024 * 1024

export const DEFAULT_TIMEOUT_SECONDS = 20

export const USAGE = `usage: npm run interop -- [options]

  --quick               tcp + noise + yamux, ping and identify only
  --impl a,b            implementations to pair (both sides): ts, js, go, rust, python
  --transport a,b       ${DIMENSIONS.transport.join(', ')}
  --security a,b        ${DIMENSIONS.security.join(', ')}
  --muxer a,b           ${DIMENSIONS.muxer.join(', ')}
  --scenario a,b        ${DIMENSIONS.scenario.join(', ')}
  --mesh a,b,c          the gossipsub-mesh cell to run: these implementations in a line (default:
                        every 3 of the selected implementations); implies --scenario gossipsub-mesh
                        unless --scenario is given
  --all-stacks          run ${ONE_STACK_SCENARIOS.join(', ')} on every stack, not only on tcp/noise/yamux
  --perf-upload-bytes n     bytes the perf dialer uploads (default ${DEFAULT_PERF_BYTES})
  --perf-download-bytes n   bytes the perf dialer downloads (default ${DEFAULT_PERF_BYTES})
  --jobs n              cells run at once (default: the number of cores)
  --timeout s           per-cell test_timeout_seconds given to the peers (default ${DEFAULT_TIMEOUT_SECONDS});
                        the runner kills a cell 10 s after that
  --no-build            use what is built; an implementation that is not built is skipped
  --out dir             where latest.json and latest.md go (default interop/results)
  -h, --help            this text`

export class UsageError extends Error {
  static name = 'UsageError'
  name = 'UsageError'
}

function list (value, allowed, flag) {
  const items = value.split(',').map(s => s.trim()).filter(Boolean)
  if (items.length === 0) throw new UsageError(`${flag} needs a value`)
  for (const item of items) {
    if (!allowed.includes(item)) throw new UsageError(`${flag}: unknown value "${item}" (one of ${allowed.join(', ')})`)
  }
  return [...new Set(items)]
}

function meshList (value, implNames) {
  const items = value.split(',').map(s => s.trim()).filter(Boolean)
  if (items.length < 2) throw new UsageError('--mesh needs at least two implementations')
  for (const item of items) {
    if (!implNames.includes(item)) throw new UsageError(`--mesh: unknown value "${item}" (one of ${implNames.join(', ')})`)
  }
  return items
}

function byteCount (value, flag) {
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`${flag} needs a byte count, got "${value}"`)
  return n
}

function positiveInt (value, flag) {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive integer, got "${value}"`)
  return n
}

/**
 * Parses argv into the run's selection. Filters intersect with --quick.
 * @param {string[]} argv
 * @param {{ implNames: string[], cores: number }} context
 */
export function parseOptions (argv, { implNames, cores }) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean', default: false },
        'all-stacks': { type: 'boolean', default: false },
        mesh: { type: 'string' },
        'perf-upload-bytes': { type: 'string' },
        'perf-download-bytes': { type: 'string' },
        impl: { type: 'string' },
        transport: { type: 'string' },
        security: { type: 'string' },
        muxer: { type: 'string' },
        scenario: { type: 'string' },
        jobs: { type: 'string' },
        timeout: { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false }
      }
    }).values
  } catch (err) {
    throw new UsageError(err.message)
  }

  if (parsed.mesh != null && parsed.scenario == null && !parsed.quick) parsed.scenario = 'gossipsub-mesh'
  const selection = {}
  for (const [dim, all] of Object.entries(DIMENSIONS)) {
    const base = parsed.quick && QUICK[dim] != null ? QUICK[dim] : all
    const chosen = parsed[dim] != null ? list(parsed[dim], all, `--${dim}`) : base
    selection[dim] = chosen.filter(v => base.includes(v))
    if (selection[dim].length === 0) {
      throw new UsageError(`--${dim} ${parsed[dim]} selects nothing together with --quick (${base.join(', ')})`)
    }
  }

  return {
    help: parsed.help,
    quick: parsed.quick,
    allStacks: parsed['all-stacks'],
    mesh: parsed.mesh != null ? meshList(parsed.mesh, implNames) : null,
    perfUploadBytes: parsed['perf-upload-bytes'] != null ? byteCount(parsed['perf-upload-bytes'], '--perf-upload-bytes') : DEFAULT_PERF_BYTES,
    perfDownloadBytes: parsed['perf-download-bytes'] != null ? byteCount(parsed['perf-download-bytes'], '--perf-download-bytes') : DEFAULT_PERF_BYTES,
    impls: parsed.impl != null ? list(parsed.impl, implNames, '--impl') : [...implNames],
    ...selection,
    jobs: parsed.jobs != null ? positiveInt(parsed.jobs, '--jobs') : cores,
    timeoutSeconds: parsed.timeout != null ? positiveInt(parsed.timeout, '--timeout') : DEFAULT_TIMEOUT_SECONDS,
    build: !parsed['no-build'],
    out: parsed.out
  }
}
