// The results files: interop/results/latest.json (one record per cell) and latest.md (the matrix).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const stackOf = (c) => `${c.transport}/${c.security}/${c.muxer}`
/** A row of the matrix: `dialer -> listener`, or the nodes of a mesh cell in line order. */
const rowOf = (c) => c.nodes != null ? c.nodes.join(' - ') : `${c.dialer} -> ${c.listener}`
const MARK = { pass: 'pass', fail: '**FAIL**', unsupported: 'unsup.' }
const mark = (cell) => cell.result === 'fail' && cell.knownFailure != null ? 'fail (known)' : MARK[cell.result]

export function summarize (cells) {
  const summary = { pass: 0, fail: 0, unsupported: 0 }
  for (const cell of cells) summary[cell.result]++
  return summary
}

/** The markdown report: one matrix per scenario (rows: dialer -> listener; columns: stacks). */
export function toMarkdown (report) {
  const { cells, summary, implementations } = report
  const out = ['# Interop matrix', '']
  out.push(`Generated ${report.generatedAt} by \`npm run interop${report.args.length ? ' -- ' + report.args.join(' ') : ''}\` ` +
    `in ${(report.durationMillis / 1000).toFixed(1)} s: ${cells.length} cells, ${summary.pass} pass, ` +
    `${summary.fail} fail, ${summary.unsupported} unsupported.`, '')
  const skipped = Object.entries(implementations).filter(([, s]) => s.state === 'absent')
  if (skipped.length > 0) {
    out.push('Skipped implementations:', '')
    for (const [name, s] of skipped) out.push(`- \`${name}\`: ${s.reason}`)
    out.push('')
  }

  for (const scenario of [...new Set(cells.map(c => c.scenario))]) {
    const ofScenario = cells.filter(c => c.scenario === scenario)
    const stacks = [...new Set(ofScenario.map(stackOf))]
    const pairs = [...new Set(ofScenario.map(rowOf))]
    out.push(`## ${scenario}`, '')
    out.push(`| ${ofScenario[0].nodes != null ? 'nodes (node i dials node i-1)' : 'dialer -> listener'} | ${stacks.join(' | ')} |`)
    out.push(`|---|${stacks.map(() => '---').join('|')}|`)
    for (const pair of pairs) {
      const row = stacks.map((stack) => {
        const cell = ofScenario.find(c => rowOf(c) === pair && stackOf(c) === stack)
        return cell == null ? '' : mark(cell)
      })
      out.push(`| ${pair} | ${row.join(' | ')} |`)
    }
    out.push('')
  }

  const listOf = (result, title) => {
    const chosen = cells.filter(c => c.result === result)
    if (chosen.length === 0) return
    out.push(`## ${title}`, '')
    for (const c of chosen) {
      const firstErrorLine = (c.error ?? '').split('\n').find(l => l.trim() !== '')
      out.push(`- ${rowOf(c)} ${stackOf(c)} ${c.scenario}: ${c.reason}` +
        (c.knownFailure != null ? ` [known: ${c.knownFailure}]` : '') +
        (firstErrorLine ? ` (\`${firstErrorLine.trim().slice(0, 200).replaceAll('`', "'")}\`)` : ''))
    }
    out.push('')
  }
  listOf('fail', 'Failures')
  listOf('unsupported', 'Unsupported')
  return out.join('\n')
}

export function writeReport (dir, report) {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(report, null, 2) + '\n')
  const markdown = toMarkdown(report)
  writeFileSync(join(dir, 'latest.md'), markdown + '\n')
  return markdown
}
