// Starting measured processes: the two-process node pair of benchmarks/cross/node-pair.mjs (ts and js, any mix),
// the ceilings, the micro-benchmarks, and the interop peers (interop/lib) for perf and ping cells.
import { join } from 'node:path'
import { startChild } from './proc.mjs'
import { NODE24, ROOT } from './machine.mjs'

const CROSS = join(ROOT, 'benchmarks', 'cross')
const POLYFILL = join(ROOT, 'scripts', 'polyfill-with-resolvers.mjs')

/** The Node binary and flags for a benchmark child: Node 24 (default) or this Node with the polyfill. */
export function nodeCommand (options, script, args, { gc = false } = {}) {
  const flags = gc ? ['--expose-gc'] : []
  if (options.node20) return { cmd: process.execPath, args: [...flags, '--import', POLYFILL, script, ...args] }
  return { cmd: NODE24, args: [...flags, script, ...args] }
}

/** Runs a child to completion and returns its last JSON line (throws with its stderr on failure). */
export async function runJson (cmd, args, timeoutMs) {
  const child = await startChild(cmd, args, { cwd: ROOT })
  try {
    const exit = await child.wait(timeoutMs)
    const json = child.lastJson()
    if (exit.code !== 0 || json == null) throw new Error(`${child.cmd} exited with ${exit.code ?? exit.signal}: ${child.stderr.slice(-1500)}`)
    return json
  } finally {
    await child.stop()
  }
}

/**
 * A node-pair listener (ts or js) serving perf, echo and hold, with its control port.
 * @returns {Promise<{ addr: string, control: string, stop: () => Promise<void> }>}
 */
export async function startListener (options, impl, stack) {
  const { cmd, args } = nodeCommand(options, join(CROSS, 'node-pair.mjs'), ['listener', impl, stack.transport, stack.security, stack.muxer], { gc: true })
  const child = await startChild(cmd, args, { cwd: ROOT })
  try {
    const addr = await child.firstLine(l => l.startsWith('listenAddr='), 60_000)
    const control = await child.firstLine(l => l.startsWith('control='), 10_000)
    if (addr == null || control == null) throw new Error(`listener ${impl} ${stack.name} ended early: ${child.stderr.slice(-1500)}`)
    return { addr: addr.slice('listenAddr='.length), control: control.slice('control='.length), stop: () => child.stop(), child }
  } catch (err) {
    await child.stop()
    throw err
  }
}

/** Runs one node-pair dialer plan against a listener; returns its result object. */
export async function runDialer (options, impl, stack, listener, plan, timeoutMs) {
  const { cmd, args } = nodeCommand(options, join(CROSS, 'node-pair.mjs'),
    ['dialer', impl, stack.transport, stack.security, stack.muxer, listener.addr, listener.control, JSON.stringify(plan)], { gc: true })
  const json = await runJson(cmd, args, timeoutMs)
  return json.result
}

/** A listener for the length of fn, always stopped. */
export async function withListener (options, impl, stack, fn) {
  const listener = await startListener(options, impl, stack)
  try {
    return await fn(listener)
  } finally {
    await listener.stop()
  }
}

// ----- interop peers (through interop/lib/pair.mjs, the interop runner's entry point for other scripts) -----

let interop = null
/** interop/lib/pair.mjs, or { error } when it cannot be loaded. */
export async function interopLib () {
  if (interop != null) return interop
  try {
    interop = await import('../../interop/lib/pair.mjs')
  } catch (err) {
    interop = { error: err }
  }
  return interop
}

/**
 * Readies the interop peers of the implementations named (builds them unless options.build is false).
 * @returns {Promise<Record<string, { state: string, reason: string }>>}
 */
export async function prepareInterop (options, names, say) {
  const lib = await interopLib()
  if (lib.error != null) return Object.fromEntries(names.map(n => [n, { state: 'absent', reason: `interop/lib/pair.mjs cannot be loaded: ${lib.error.message}` }]))
  return await lib.preparePeers(names, { build: options.build, say })
}

/** Runs one interop cell (listener + dialer processes); returns the runner's record. */
export async function interopCell ({ dialer, listener, stack, scenario, env = {}, timeoutSeconds }) {
  const lib = await interopLib()
  for (let attempt = 1; ; attempt++) {
    const record = await lib.runPair({ dialer, listener, scenario, transport: stack.transport, security: stack.security, muxer: stack.muxer, timeoutSeconds, env })
    // a peer that could not be spawned (ETXTBSY while an install rewrites node24) is retried, not measured
    if (record.result === 'pass' || attempt >= 3 || !/could not be started|ETXTBSY/.test(`${record.reason} ${record.error}`)) return record
    await new Promise((resolve) => setTimeout(resolve, 3000))
  }
}
