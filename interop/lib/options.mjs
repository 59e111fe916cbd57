// Command-line options of interop/run.
import { parseArgs } from 'node:util'

export const DIMENSIONS = {
  transport: ['tcp', 'ws'],
  security: ['noise', 'tls'],
  muxer: ['yamux', 'mplex'],
  scenario: ['ping', 'identify']
}

/** What --quick runs: the one stack every implementation speaks, with every scenario. */
export const QUICK = { transport: ['tcp'], security: ['noise'], muxer: ['yamux'] }

export const DEFAULT_TIMEOUT_SECONDS = 20

export const USAGE = `usage: npm run interop -- [options]

  --quick               tcp + noise + yamux only (ping and identify)
  --impl a,b            implementations to pair (both sides): ts, js, go, rust, python
  --transport a,b       ${DIMENSIONS.transport.join(', ')}
  --security a,b        ${DIMENSIONS.security.join(', ')}
  --muxer a,b           ${DIMENSIONS.muxer.join(', ')}
  --scenario a,b        ${DIMENSIONS.scenario.join(', ')}
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
    impls: parsed.impl != null ? list(parsed.impl, implNames, '--impl') : [...implNames],
    ...selection,
    jobs: parsed.jobs != null ? positiveInt(parsed.jobs, '--jobs') : cores,
    timeoutSeconds: parsed.timeout != null ? positiveInt(parsed.timeout, '--timeout') : DEFAULT_TIMEOUT_SECONDS,
    build: !parsed['no-build'],
    out: parsed.out
  }
}
