#!/usr/bin/env node
// Compares two V8 heap snapshots (e.g. from `connections.mjs --snapshot DIR`): live objects grouped by type and
// constructor/name, with the growth in count and self size, largest first, divided by `per` (e.g. the number of
// idle connections opened between the two snapshots).
//
//   node benchmarks/node/heap-diff.mjs before.heapsnapshot after.heapsnapshot [per] [top]
import { readFileSync } from 'node:fs'

function summarise (file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'))
  const meta = snapshot.snapshot.meta
  const fields = meta.node_fields
  const width = fields.length
  const typeIndex = fields.indexOf('type')
  const nameIndex = fields.indexOf('name')
  const sizeIndex = fields.indexOf('self_size')
  const types = meta.node_types[typeIndex]
  const { nodes, strings } = snapshot
  const groups = new Map()
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeIndex]]
    let name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : strings[nodes[i + nameIndex]]
    if (type === 'code' || type === 'array') name = name.length > 40 ? name.slice(0, 40) : name
    const key = `${type}: ${name}`
    const g = groups.get(key) ?? { count: 0, size: 0 }
    g.count++
    g.size += nodes[i + sizeIndex]
    groups.set(key, g)
  }
  return groups
}

const [beforeFile, afterFile, perArg, topArg] = process.argv.slice(2)
const per = Number(perArg ?? 1)
const top = Number(topArg ?? 40)
const before = summarise(beforeFile)
const after = summarise(afterFile)
const rows = []
let total = 0
for (const [key, a] of after) {
  const b = before.get(key) ?? { count: 0, size: 0 }
  const size = a.size - b.size
  total += size
  rows.push({ key, count: (a.count - b.count) / per, bytes: size / per })
}
for (const [key, b] of before) if (!after.has(key)) { total -= b.size; rows.push({ key, count: -b.count / per, bytes: -b.size / per }) }
rows.sort((x, y) => Math.abs(y.bytes) - Math.abs(x.bytes))
console.log(`total growth ${(total / per).toFixed(0)} bytes per unit (${per} units)`)
for (const r of rows.slice(0, top)) console.log(`${r.bytes.toFixed(0).padStart(8)} B ${r.count.toFixed(2).padStart(8)} x  ${r.key}`)
