// Runs the selected cells of the matrix, in parallel up to `jobs`, and writes the results.
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { prepare } from './build.mjs'
import { killAllPeers, runCell } from './cell.mjs'
import { MESH_SCENARIO, meshCells, runMesh } from './mesh.mjs'
import { IMPLS, INTEROP_DIR } from './impls.mjs'
import { knownFailure } from './known.mjs'
import { ONE_STACK, ONE_STACK_SCENARIOS, parseOptions, USAGE, UsageError } from './options.mjs'
import { summarize, writeReport } from './report.mjs'

/**
 * Every cell of the selection, dialer x listener x transport x security x muxer x scenario;
 * the scenarios of ONE_STACK_SCENARIOS only on ONE_STACK unless options.allStacks.
 */
export function enumerateCells (names, options) {
  const cells = []
  for (const scenario of options.scenario) {
    if (scenario === MESH_SCENARIO) {
      // n-node cells (lib/mesh.mjs): the --mesh line, else every 3 of the implementations
      const lines = options.mesh != null ? [options.mesh.filter(n => names.includes(n))] : meshCells(names)
      for (const nodes of lines) {
        if (nodes.length < 2 || (options.mesh != null && nodes.length !== options.mesh.length)) continue
        for (const transport of options.transport) {
          if (!options.allStacks && transport !== ONE_STACK.transport) continue
          for (const security of options.security) {
            if (!options.allStacks && security !== ONE_STACK.security) continue
            for (const muxer of options.muxer) {
              if (!options.allStacks && muxer !== ONE_STACK.muxer) continue
              cells.push({ nodes, dialer: nodes.at(-1), listener: nodes[0], transport, security, muxer, scenario })
            }
          }
        }
      }
      continue
    }
    const oneStack = !options.allStacks && ONE_STACK_SCENARIOS.includes(scenario)
    for (const transport of options.transport) {
      if (oneStack && transport !== ONE_STACK.transport) continue
      for (const security of options.security) {
        if (oneStack && security !== ONE_STACK.security) continue
        for (const muxer of options.muxer) {
          if (oneStack && muxer !== ONE_STACK.muxer) continue
          for (const dialer of names) {
            for (const listener of names) cells.push({ dialer, listener, transport, security, muxer, scenario })
          }
        }
      }
    }
  }
  return cells
}

/** The environment a scenario adds to the contract's (perf: the byte counts). */
export function scenarioEnv (scenario, options) {
  if (scenario !== 'perf') return {}
  return { perf_upload_bytes: String(options.perfUploadBytes), perf_download_bytes: String(options.perfDownloadBytes) }
}

async function pool (items, jobs, work) {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      await work(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker))
}

/**
 * Builds what the selection needs, runs it and writes the report.
 * @returns {Promise<object>} the report (also written to options.out)
 */
export async function runMatrix (options, { impls = IMPLS, args = [], say = console.log } = {}) {
  const start = performance.now()
  const selected = impls.filter(i => options.impls.includes(i.name))
  const status = await prepare(selected, { build: options.build, say })
  for (const [name, s] of Object.entries(status)) {
    if (s.state === 'absent') say(`skipping ${name}: ${s.reason}`)
  }
  const byName = Object.fromEntries(selected.map(i => [i.name, i]))
  const names = selected.map(i => i.name).filter(n => status[n].state !== 'absent')
  const cells = enumerateCells(names, options)
  say(`running ${cells.length} cells, ${options.jobs} at a time, test_timeout_seconds=${options.timeoutSeconds}`)

  const records = new Array(cells.length)
  let finished = 0
  await pool(cells, options.jobs, async (cell, i) => {
    const broken = (cell.nodes ?? [cell.dialer, cell.listener]).find(n => status[n].state === 'broken')
    records[i] = broken != null
      ? { ...cell, result: 'fail', reason: `build of ${broken} failed`, durationMillis: 0, listenerReadyMillis: null, metrics: null, error: status[broken].reason }
      : cell.scenario === MESH_SCENARIO
        ? await runMesh(cell, { impls: byName, timeoutSeconds: options.timeoutSeconds })
        : await runCell(cell, {
        dialerImpl: byName[cell.dialer],
        listenerImpl: byName[cell.listener],
        timeoutSeconds: options.timeoutSeconds,
        env: scenarioEnv(cell.scenario, options)
      })
    const r = records[i]
    const known = knownFailure(r)
    if (known != null) r.knownFailure = r.result === 'fail' ? known.id : `${known.id} (now ${r.result}: remove the entry)`
    say(`[${++finished}/${cells.length}] ${r.nodes != null ? r.nodes.join(' - ') : `${r.dialer} -> ${r.listener}`} ${r.transport}/${r.security}/${r.muxer} ${r.scenario}: ` +
      `${r.result}${r.result === 'pass' ? '' : ` (${r.reason})`} ${r.durationMillis} ms`)
  })

  const report = {
    generatedAt: new Date().toISOString(),
    args,
    options: {
      impls: options.impls,
      transport: options.transport,
      security: options.security,
      muxer: options.muxer,
      scenario: options.scenario,
      allStacks: options.allStacks,
      mesh: options.mesh,
      perfUploadBytes: options.perfUploadBytes,
      perfDownloadBytes: options.perfDownloadBytes,
      jobs: options.jobs,
      timeoutSeconds: options.timeoutSeconds
    },
    implementations: status,
    durationMillis: Math.round(performance.now() - start),
    summary: summarize(records),
    cells: records
  }
  const markdown = writeReport(options.out ?? join(INTEROP_DIR, 'results'), report)
  say('\n' + markdown)
  return report
}

/** Cells that fail for a reason not written down in known.mjs and interop/README.md. */
export const unexplainedFailures = (report) => report.cells.filter(c => c.result === 'fail' && c.knownFailure == null)

/** Entry point of interop/run; returns the exit code (0: no unexplained failure, 1: some, 2: usage). */
export async function main (argv) {
  let options
  try {
    options = parseOptions(argv, { implNames: IMPLS.map(i => i.name), cores: availableParallelism() })
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    console.error(`${err.message}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  const stop = (signal) => {
    killAllPeers()
    console.error(`\ninterrupted by ${signal}: killed the running peers`)
    process.exit(130)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const report = await runMatrix(options, { args: argv })
  const unexplained = unexplainedFailures(report)
  if (unexplained.length > 0) console.error(`${unexplained.length} cells failed for reasons not in interop/README.md's known failures`)
  return unexplained.length === 0 ? 0 : 1
}
