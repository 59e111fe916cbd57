#!/usr/bin/env node
// Placeholder entry for root scripts whose issue has not landed yet: says so
// and exits non-zero, so nobody mistakes it for a passing run.
const [what, issue] = process.argv.slice(2)
console.error(`'npm run ${what}' is not built yet: it is tracked by issue ${issue}.`)
process.exit(1)
