// Mocha reporter: the usual spec output, plus the run's counts written as JSON
// to $TS_LIBP2P_RESULT_FILE so scripts/test.mjs can add up every package.
'use strict'
const fs = require('node:fs')
const Mocha = require('mocha')

class SummaryReporter extends Mocha.reporters.Spec {
  constructor (runner, options) {
    super(runner, options)
    const failures = []
    runner.on('fail', (test, err) => {
      failures.push({ title: test.fullTitle(), error: String(err && err.message).slice(0, 500) })
    })
    runner.once('end', () => {
      const file = process.env.TS_LIBP2P_RESULT_FILE
      if (file == null) return
      const s = runner.stats ?? {}
      fs.writeFileSync(file, JSON.stringify({ passed: s.passes ?? 0, failed: s.failures ?? 0, skipped: s.pending ?? 0, failures }))
    })
  }
}

module.exports = SummaryReporter
