// Child processes of the benchmark run: each in its own process group (so that whatever it starts dies
// with it), output captured line by line (bounded), killed as a group when done or when the run is
// interrupted. Priority: the runner lowers its own (os.setPriority), children inherit it.
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { setPriority } from 'node:os'
import { createInterface } from 'node:readline'

const MAX_LINES = 5000
const MAX_STDERR = 64 * 1024

/**
 * CPU milliseconds used so far by this process's terminated, reaped children (and their reaped descendants):
 * cutime + cstime of /proc/self/stat (Linux; clock ticks of 10 ms). The difference around a cell whose processes
 * were all reaped is their CPU time. Null where /proc is not available.
 */
export function childrenCpuMs () {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return null
  }
}

/** Every child still running. */
const live = new Set()

/** Kills every live child's process group. */
export function killAll () {
  for (const child of live) child.kill()
}

let installed = false
/** Lowers this process's priority (children inherit it) and kills children on exit or Ctrl-C. */
export function installCleanup (niceness = 10) {
  if (installed) return
  installed = true
  try { setPriority(niceness) } catch {}
  process.on('exit', killAll)
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => { killAll(); process.exit(130) })
  }
}

/**
 * Starts a Child, retrying when the binary cannot be executed for a moment (ETXTBSY: an `npm install` elsewhere
 * is rewriting the root's node24 binary) - up to `attempts` times, 3 s apart.
 */
export async function startChild (cmd, args, opts, attempts = 5) {
  for (let i = 1; ; i++) {
    const child = new Child(cmd, args, opts)
    const early = await Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve(null), 200))])
    if (early?.error == null || i >= attempts || !['ETXTBSY', 'EBUSY'].includes(early.error.code)) return child
    await new Promise((resolve) => setTimeout(resolve, 3000))
  }
}

/** A child process in its own process group. */
export class Child {
  /**
   * @param {string} cmd
   * @param {string[]} args
   * @param {{ env?: Record<string, string>, cwd?: string, stdin?: boolean }} [opts]
   */
  constructor (cmd, args, { env = process.env, cwd, stdin = false } = {}) {
    this.cmd = [cmd, ...args].join(' ')
    this.lines = []
    this.stderr = ''
    this.events = new EventEmitter()
    try {
      this.child = spawn(cmd, args, { env, cwd, detached: true, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] })
    } catch (err) {
      // some failures (ETXTBSY) throw here instead of emitting 'error'
      this.child = { pid: undefined, stdin: null }
      this.stderr = `spawn failed: ${err.message}\n`
      this.exited = Promise.resolve({ code: null, signal: null, error: err })
      this.stdoutClosed = Promise.resolve()
      return
    }
    live.add(this)
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => { this.stderr += `spawn failed: ${err.message}\n`; resolve({ code: null, signal: null, error: err }) })
      this.child.once('exit', (code, signal) => resolve({ code, signal }))
    }).finally(() => live.delete(this))
    this.child.stderr.setEncoding('utf8').on('data', (d) => { this.stderr = (this.stderr + d).slice(-MAX_STDERR) })
    const rl = createInterface({ input: this.child.stdout })
    rl.on('line', (line) => {
      if (this.lines.length < MAX_LINES) this.lines.push(line)
      this.events.emit('line', line)
    })
    this.stdoutClosed = new Promise((resolve) => rl.once('close', resolve))
  }

  /** Writes a line to the child's stdin (when started with stdin: true). */
  send (line) {
    this.child.stdin?.write(line + '\n')
  }

  /** The first stdout line that `match` accepts (searching lines already seen), or null when stdout ends. */
  firstLine (match, timeoutMs = 60_000) {
    const seen = this.lines.find(match)
    if (seen != null) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const onLine = (line) => { if (match(line)) done(line) }
      const timer = setTimeout(() => done(undefined, new Error(`no expected line from ${this.cmd} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-800)}`)), timeoutMs)
      const done = (line, err) => {
        clearTimeout(timer)
        this.events.off('line', onLine)
        if (err != null) reject(err)
        else resolve(line)
      }
      this.events.on('line', onLine)
      this.stdoutClosed.then(() => done(this.lines.find(match) ?? null))
    })
  }

  /** The next stdout line that `match` accepts (ignoring lines already seen). */
  nextLine (match, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const onLine = (line) => { if (match(line)) done(line) }
      const timer = setTimeout(() => done(undefined, new Error(`no expected line from ${this.cmd} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-800)}`)), timeoutMs)
      const done = (line, err) => {
        clearTimeout(timer)
        this.events.off('line', onLine)
        if (err != null) reject(err)
        else resolve(line)
      }
      this.events.on('line', onLine)
      this.stdoutClosed.then(() => done(null))
    })
  }

  /** Waits for the exit, killing the group after timeoutMs. */
  async wait (timeoutMs) {
    let timer
    const res = await Promise.race([
      this.exited,
      new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs) })
    ])
    clearTimeout(timer)
    if (res === 'timeout') {
      this.kill()
      throw new Error(`${this.cmd} did not finish within ${timeoutMs} ms; stderr: ${this.stderr.slice(-800)}`)
    }
    await this.stdoutClosed
    return res
  }

  /** The last stdout line that parses as a JSON object. */
  lastJson () {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const line = this.lines[i].trim()
      if (!line.startsWith('{')) continue
      try { return JSON.parse(line) } catch {}
    }
    return null
  }

  /** SIGKILLs the whole process group. */
  kill () {
    if (this.child.pid == null) return
    try { process.kill(-this.child.pid, 'SIGKILL') } catch (err) { if (err.code !== 'ESRCH') throw err }
  }

  /** Kills the group and waits for the exit. */
  async stop () {
    this.kill()
    await this.exited
  }
}
