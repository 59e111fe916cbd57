/**
 * A child process that reports on stdout one JSON value a line (test
 * fixtures run in other processes or network namespaces). Lines that are not
 * JSON are ignored; the last lines of stderr are kept for error messages.
 */
import { spawn } from 'node:child_process'
import readline from 'node:readline'
import type { ChildProcess } from 'node:child_process'

export class JsonChild {
  readonly process: ChildProcess
  /** Every JSON line so far, in order. */
  readonly lines: any[] = []
  readonly #waiters: Array<{ match: (line: any) => boolean, from: number, resolve: (line: any) => void }> = []
  #stderr = ''

  /** Runs `command` (e.g. `[...link.exec('a'), process.execPath, script, ...args]`) with a stdin pipe; closing it tells a fixture to end. */
  constructor (command: string[], env?: NodeJS.ProcessEnv) {
    this.process = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env })
    this.process.stdin?.on('error', () => {}) // the child may be gone before we write
    readline.createInterface({ input: this.process.stdout as NodeJS.ReadableStream }).on('line', (text) => {
      let line: any
      try { line = JSON.parse(text) } catch { return }
      this.lines.push(line)
      const index = this.lines.length - 1
      for (const w of [...this.#waiters]) {
        if (index >= w.from && w.match(line)) { this.#waiters.splice(this.#waiters.indexOf(w), 1); w.resolve(line) }
      }
    })
    this.process.stderr?.on('data', (d) => { this.#stderr = (this.#stderr + String(d)).slice(-4000) })
  }

  /** The last lines of stderr. */
  get stderr (): string { return this.#stderr }

  /** Writes one line to the child's stdin. */
  send (value: unknown): void {
    this.process.stdin?.write((typeof value === 'string' ? value : JSON.stringify(value)) + '\n')
  }

  /** The first line at index `from` or later that matches, waiting up to `ms` for it. */
  async next (match: (line: any) => boolean, ms: number, from = 0): Promise<any> {
    const found = this.lines.slice(from).find(match)
    if (found != null) return found
    return await new Promise((resolve, reject) => {
      const waiter = { match, from, resolve: (line: any) => { clearTimeout(timer); resolve(line) } }
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
        reject(new Error(`no matching line within ${ms} ms; last lines: ${JSON.stringify(this.lines.slice(-6))}; stderr: ${this.#stderr}`))
      }, ms)
      this.#waiters.push(waiter)
    })
  }

  /** Ends the child (stdin closed, then `signal`) and waits for it to exit. */
  async stop (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.process.exitCode != null || this.process.signalCode != null) return
    const exited = new Promise(resolve => { this.process.once('exit', resolve) })
    this.process.stdin?.end()
    this.process.kill(signal)
    await exited
  }
}
