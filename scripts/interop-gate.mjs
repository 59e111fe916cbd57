#!/usr/bin/env node
// The CI gate of the interop matrix (issue 9): cells that involve our `ts` peer
// must pass (or be `unsupported` by the other side, or a known failure traced to
// the other implementation in interop/README.md); cells between two other
// implementations are shown but do not gate. A mesh cell is ours when `ts` is
// one of its nodes (it may be the relay in the middle). Reads the runner's latest.json,
// prints our cells' outcome, writes {passed, failed} for .ci/run's summary.
//
//   node scripts/interop-gate.mjs <dir with latest.json> [--summary-file F]
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir] = process.argv.slice(2)
const summaryAt = process.argv.indexOf('--summary-file')
const summaryFile = summaryAt === -1 ? undefined : process.argv[summaryAt + 1]
const file = join(dir ?? 'interop/results', 'latest.json')

let passed = 0
let failed = 0
if (!existsSync(file)) {
  console.log(`interop gate: ${file} does not exist (the matrix did not run)`)
  failed = 1
} else {
  const { cells } = JSON.parse(readFileSync(file, 'utf8'))
  const ours = cells.filter(c => c.dialer === 'ts' || c.listener === 'ts' || (Array.isArray(c.nodes) && c.nodes.includes('ts')))
  if (ours.length === 0) {
    console.log('interop gate: no cell involves our ts peer')
    failed = 1
  }
  for (const cell of ours) {
    const who = Array.isArray(cell.nodes) ? cell.nodes.join(' - ') : `${cell.dialer} -> ${cell.listener}`
    const name = `${who} ${cell.transport}/${cell.security}/${cell.muxer} ${cell.scenario}`
    if (cell.result === 'pass') passed++
    else if (cell.result === 'unsupported') console.log(`  - ${name}: unsupported`)
    else if (cell.result === 'fail' && cell.knownFailure != null) console.log(`  - ${name}: known failure (${cell.knownFailure}), see interop/README.md`)
    else {
      failed++
      console.log(`  ✘ ${name}: ${cell.result}${cell.error != null ? ` - ${String(cell.error).slice(0, 300)}` : ''}`)
    }
  }
  if (ours.length > 0 && passed === 0) {
    console.log('interop gate: none of our cells passed (every one unsupported?): that is not a pass')
    failed = Math.max(failed, 1)
  }
  console.log(`interop gate: ${passed} of our cells passed, ${failed} failed`)
}
if (summaryFile != null) writeFileSync(summaryFile, JSON.stringify({ passed, failed }))
process.exit(failed > 0 ? 1 : 0)
