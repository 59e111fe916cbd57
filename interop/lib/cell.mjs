// Runs one cell of the matrix: a listener and a dialer, each in its own process group on
// loopback, coordinated by readiness lines on stdout (no sleeps, no redis).
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { createInterface } from 'node:readline'

/** The listener's readiness line: `listenAddr=<multiaddr with /p2p/<peer id>>`. */
export const READY_PREFIX = 'listenAddr='
/** A peer that cannot do a combination prints `unsupported: <what>` and exits with this code. */
export const EXIT_UNSUPPORTED = 3
export const UNSUPPORTED_PREFIX = 'unsupported:'
/** Time the runner gives a cell beyond the peers' own test_timeout_seconds before killing it. */
export const GRACE_MILLIS = 10_000
const EXCERPT_CHARS = 600
const MAX_CAPTURE_CHARS = 64 * 1024

/** The exit of a peer whose process could not be started. */
const NOT_STARTED = Object.freeze({ code: null, signal: null })

/** Every peer process still running, so that an interrupted run can kill them all. */
const live = new Set()

/** Kills the process group of every peer still running. */
export function killAllPeers () {
  for (const peer of live) peer.kill()
}

/** A peer process in its own process group, with its output captured (bounded). */
export class Peer {
  constructor (role, { cmd, args, cwd }, env) {
    this.role = role
    this.stdoutLines = []
    this.stderr = ''
    try {
      this.child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (err) {
      // Some failures (ETXTBSY: the binary is being rewritten, e.g. by an install) throw here
      // rather than emit 'error'.
      this.child = null
      this.stderr = `spawn ${cmd} failed: ${err.message}\n`
      this.exited = Promise.resolve(NOT_STARTED)
      this.lines = new EventEmitter()
      this.stdoutClosed = Promise.resolve()
      return
    }
    live.add(this)
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => { this.stderr += `spawn ${cmd} failed: ${err.message}\n`; resolve(NOT_STARTED) })
      this.child.on('exit', (code, signal) => resolve({ code, signal }))
    }).finally(() => live.delete(this))
    this.child.stderr.setEncoding('utf8').on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-MAX_CAPTURE_CHARS)
    })
    this.lines = createInterface({ input: this.child.stdout })
    this.lines.on('line', (line) => { if (this.stdoutLines.length < 1000) this.stdoutLines.push(line) })
    // readline emits the last lines before 'close', which follows the end of the process's stdout.
    this.stdoutClosed = new Promise((resolve) => this.lines.once('close', resolve))
  }

  /** The first stdout line accepted by `match`, or null once stdout has ended without one. */
  firstLine (match) {
    const found = this.stdoutLines.find(match)
    if (found != null) return Promise.resolve(found)
    let onLine
    const matched = new Promise((resolve) => {
      onLine = (line) => { if (match(line)) resolve(line) }
      this.lines.on('line', onLine)
    })
    const ended = this.stdoutClosed.then(() => this.stdoutLines.find(match) ?? null)
    return Promise.race([matched, ended]).finally(() => this.lines.off('line', onLine))
  }

  /** Kills the whole process group (the peer and anything it started). */
  kill () {
    if (this.child?.pid == null) return
    try {
      process.kill(-this.child.pid, 'SIGKILL')
    } catch (err) {
      if (err.code !== 'ESRCH') throw err
    }
  }

  unsupportedReason () {
    const line = this.stdoutLines.find(l => l.startsWith(UNSUPPORTED_PREFIX))
    return `${this.role}: ${line != null ? line.slice(UNSUPPORTED_PREFIX.length).trim() : `exit code ${EXIT_UNSUPPORTED}`}`
  }

  excerpt () {
    const text = this.stderr.replace(/\x1b\[[0-9;]*m/g, '').trim() || this.stdoutLines.slice(-5).join('\n')
    // The head holds a JS error's message, the tail a Python traceback's.
    const half = EXCERPT_CHARS / 2
    return text.length > EXCERPT_CHARS ? `${text.slice(0, half)}\n...\n${text.slice(-half)}` : text
  }
}

export const describeExit = (exit) => exit === NOT_STARTED
  ? 'could not be started'
  : exit.signal != null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`

/** The last stdout line that is a JSON object. */
export function lastJson (lines) {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim()
    if (!line.startsWith('{')) continue
    try {
      return JSON.parse(line)
    } catch {}
  }
  return null
}

/** Millisecond fields each scenario's result line must carry (non-negative numbers). */
export const RESULT_MILLIS = {
  ping: ['handshakePlusOneRTTMillis', 'pingRTTMilllis'],
  dht: ['getMillis', 'findProvidersMillis', 'putMillis', 'provideMillis', 'verifyGetMillis', 'verifyFindProvidersMillis', 'totalMillis'],
  gossipsub: ['subscribedMillis', 'roundTripMillis', 'totalMillis'],
  perf: ['connectMillis', 'uploadSeconds', 'downloadSeconds', 'timeSeconds', 'uploadBytesPerSecond', 'downloadBytesPerSecond']
}

function missingNumber (result, keys) {
  const key = keys.find(k => typeof result[k] !== 'number' || !(result[k] >= 0))
  return key == null ? null : `result has no numeric ${key}`
}

/**
 * Checks the dialer's result line; returns a reason when it is not acceptable.
 * @param {Record<string, string>} [env] the scenario's environment (perf: the byte counts asked for)
 */
export function checkResult (scenario, result, listenerImpl, env = {}) {
  if (result == null) return 'the dialer printed no JSON result line'
  if (scenario === 'dht' || scenario === 'gossipsub') return missingNumber(result, RESULT_MILLIS[scenario])
  if (scenario === 'perf') {
    const missing = missingNumber(result, RESULT_MILLIS.perf)
    if (missing != null) return missing
    for (const [key, name] of [['uploadBytes', 'perf_upload_bytes'], ['downloadBytes', 'perf_download_bytes']]) {
      if (env[name] != null && result[key] !== Number(env[name])) return `result has ${key} ${result[key]}, asked for ${env[name]}`
    }
    return null
  }
  if (scenario === 'ping') {
    for (const key of ['handshakePlusOneRTTMillis', 'pingRTTMilllis']) {
      if (typeof result[key] !== 'number' || !(result[key] >= 0)) return `result has no numeric ${key}`
    }
    return null
  }
  if (scenario === 'identify') {
    if (!Array.isArray(result.protocols)) return 'result has no protocols list'
    for (const want of ['/ipfs/ping/1.0.0', '/ipfs/id/1.0.0']) {
      if (!result.protocols.includes(want)) return `the listener's protocols lack ${want}`
    }
    if (typeof result.agentVersion !== 'string' || !listenerImpl.agent.test(result.agentVersion)) {
      return `agent version ${JSON.stringify(result.agentVersion)} is not ${listenerImpl.name}'s (${listenerImpl.agent})`
    }
    return null
  }
  return `no check for scenario ${scenario}`
}

/**
 * @param {{ dialer: string, listener: string, transport: string, security: string, muxer: string, scenario: string }} cell
 * @param {{ dialerImpl: import('./impls.mjs').Impl, listenerImpl: import('./impls.mjs').Impl, timeoutSeconds: number, graceMillis?: number, env?: Record<string, string> }} opts
 *   env: variables the scenario adds for both peers (perf: perf_upload_bytes, perf_download_bytes)
 */
export async function runCell (cell, { dialerImpl, listenerImpl, timeoutSeconds, graceMillis = GRACE_MILLIS, env: scenarioEnv = {} }) {
  const start = performance.now()
  const record = { ...cell, result: 'fail', reason: '', durationMillis: 0, listenerReadyMillis: null, metrics: null, error: '' }
  const env = {
    ...process.env,
    ...scenarioEnv,
    transport: cell.transport,
    security: cell.security,
    muxer: cell.muxer,
    scenario: cell.scenario,
    ip: '127.0.0.1',
    test_timeout_seconds: String(timeoutSeconds)
  }
  const peers = []
  let timer
  const deadline = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000 + graceMillis) })
  const timeoutReason = (what) => `timeout: ${what} within ${timeoutSeconds} s + ${graceMillis / 1000} s grace; process groups killed`

  try {
    const listener = new Peer('listener', listenerImpl.command(), { ...env, is_dialer: 'false' })
    peers.push(listener)
    const ready = await Promise.race([
      listener.firstLine(l => l.startsWith(READY_PREFIX) || l.startsWith(UNSUPPORTED_PREFIX)),
      deadline
    ])
    if (ready === 'timeout') {
      record.reason = timeoutReason('the listener printed no readiness line')
      record.error = listener.excerpt()
      return record
    }
    if (ready == null || ready.startsWith(UNSUPPORTED_PREFIX)) {
      const exit = await Promise.race([listener.exited, deadline])
      if (exit !== 'timeout' && exit.code === EXIT_UNSUPPORTED) {
        record.result = 'unsupported'
        record.reason = listener.unsupportedReason()
        return record
      }
      record.reason = exit === NOT_STARTED
        ? 'the listener could not be started'
        : `the listener ${exit === 'timeout' ? 'hung' : describeExit(exit)} before its readiness line`
      record.error = listener.excerpt()
      return record
    }
    record.listenerReadyMillis = Math.round(performance.now() - start)

    const dialer = new Peer('dialer', dialerImpl.command(), {
      ...env,
      is_dialer: 'true',
      listener_addr: ready.slice(READY_PREFIX.length).trim()
    })
    peers.push(dialer)
    const exit = await Promise.race([dialer.exited, deadline])
    if (exit === 'timeout') {
      record.reason = timeoutReason('the dialer did not finish')
      record.error = dialer.excerpt()
      return record
    }
    // Let readline hand over the last lines of stdout.
    if (await Promise.race([dialer.stdoutClosed, deadline]) === 'timeout') {
      record.reason = timeoutReason('the dialer exited but its stdout stayed open')
      return record
    }
    if (exit.code === EXIT_UNSUPPORTED) {
      record.result = 'unsupported'
      record.reason = dialer.unsupportedReason()
      return record
    }
    if (exit.code !== 0) {
      record.reason = `the dialer ${describeExit(exit)}`
      record.error = dialer.excerpt()
      return record
    }
    const result = lastJson(dialer.stdoutLines)
    record.metrics = result
    const problem = checkResult(cell.scenario, result, listenerImpl, scenarioEnv)
    if (problem != null) {
      record.reason = problem
      record.error = dialer.excerpt()
      return record
    }
    record.result = 'pass'
    return record
  } finally {
    clearTimeout(timer)
    for (const peer of peers) peer.kill()
    await Promise.all(peers.map(p => p.exited))
    record.durationMillis = Math.round(performance.now() - start)
  }
}
