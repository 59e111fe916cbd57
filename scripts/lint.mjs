#!/usr/bin/env node
// Project rules that the compiler does not check (STYLE.md). Exits non-zero on a violation.
//  - library code never writes to the console (use the logger); the cli package may
//  - library code never calls Promise.withResolvers (Node >= 22 only; we support 20)
//  - every package has README.md, src/index.ts, src/constants.ts where it has limits, and specs in test/
//  - a source file over 600 lines is reported as a sign to split by concern (a warning)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const errors = []
const warnings = []

function walk (dir, out = []) {
  if (!existsSync(dir)) return out
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) walk(path, out)
    else if (/\.ts$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path)
  }
  return out
}

for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name)
  if (!existsSync(join(dir, 'package.json'))) continue
  for (const required of ['README.md', 'src/index.ts']) {
    if (!existsSync(join(dir, required))) errors.push(`packages/${name}: missing ${required}`)
  }
  if (walk(join(dir, 'test')).filter(f => f.endsWith('.spec.ts')).length === 0) errors.push(`packages/${name}: no test/*.spec.ts`)
  for (const file of walk(join(dir, 'src'))) {
    if (file.includes('/pb/')) continue // generated
    const rel = relative(root, file)
    const text = readFileSync(file, 'utf8')
    const lines = text.split('\n')
    lines.forEach((line, i) => {
      const comment = /^\s*(\/\/|\*|\/\*)/.test(line) // doc examples may print
      if (name !== 'cli' && !comment && /\bconsole\.(log|error|warn|info|debug)\(/.test(line)) errors.push(`${rel}:${i + 1}: console output in library code (use the logger)`)
      if (/Promise\.withResolvers/.test(line) && !/^\s*(\/\/|\*)/.test(line)) errors.push(`${rel}:${i + 1}: Promise.withResolvers needs Node >= 22`)
    })
    if (lines.length > 600) warnings.push(`${rel}: ${lines.length} lines (over ~600: consider splitting by concern)`)
  }
}

for (const w of warnings) console.log(`warning: ${w}`)
for (const e of errors) console.log(`error: ${e}`)
console.log(`lint: ${errors.length} error(s), ${warnings.length} warning(s)`)
process.exit(errors.length > 0 ? 1 : 0)
