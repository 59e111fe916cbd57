import { anySignal } from '@ts-libp2p/utils'
/**
 * A matrix listener in a separate process: spawns `node <script> <args>` in
 * its own process group, waits for its readiness line (no sleeps), and
 * stops it by signalling the whole group, escalating to SIGKILL when it does
 * not exit in time.
 */
import { spawn } from 'node:child_process'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@ts-libp2p/peer-id'
import { CELL_TIMEOUT_MS, CHILD_EXIT_TIMEOUT_MS, CHILD_READY_TIMEOUT_MS, MAX_CHILD_LINE_BYTES } from './constants.js'
import { ChildProcessError } from './errors.js'
import type { DirectionResult } from './cell.js'
import type { PeerId } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ChildProcess } from 'node:child_process'

/** The readiness line a child listener prints on stdout, as one JSON object. */
export interface ReadyLine {
  ready: true
  /** The address to dial, with its `/p2p/` component. */
  multiaddr: string
  peerId: string
}

/** A running child listener. */
export interface ChildListener {
  /** Its process id (also its process group id). */
  pid: number
  multiaddr: Multiaddr
  peerId: PeerId
  /** Signals the process group with SIGTERM, then SIGKILL after CHILD_EXIT_TIMEOUT_MS; resolves with the exit code or signal. */
  stop(): Promise<number | string>
}

function exited (child: ChildProcess): Promise<number | string> {
  if (child.exitCode != null) return Promise.resolve(child.exitCode)
  if (child.signalCode != null) return Promise.resolve(child.signalCode)
  return new Promise(resolve => { child.once('exit', (code, signal) => { resolve(signal ?? code ?? -1) }) })
}

/** The line of a child's stderr that names the error (Node prints the source line first), else its last line. */
function errorLine (stderr: string): string {
  const lines = stderr.split('\n').map(line => line.trim()).filter(line => line !== '')
  return lines.find(line => /^\w*Error\b/.test(line)) ?? lines.at(-1) ?? ''
}

function killGroup (child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal)
  } catch {
    // the group is gone already
  }
}

async function stopChild (child: ChildProcess): Promise<number | string> {
  const done = exited(child)
  killGroup(child, 'SIGTERM')
  let timer: ReturnType<typeof setTimeout> | undefined
  const forced = new Promise<void>(resolve => {
    timer = setTimeout(() => { killGroup(child, 'SIGKILL'); resolve() }, CHILD_EXIT_TIMEOUT_MS)
  })
  try {
    await Promise.race([done, forced])
    return await done
  } finally {
    clearTimeout(timer)
  }
}

/** Waits CHILD_EXIT_TIMEOUT_MS for a child that should exit by itself, then stops its group. */
async function exitOrStop (child: ChildProcess): Promise<number | string> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<undefined>(resolve => { timer = setTimeout(resolve, CHILD_EXIT_TIMEOUT_MS, undefined) })
  try {
    return await Promise.race([exited(child), late]) ?? await stopChild(child)
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Spawns `script` under this Node binary with `args` in its own process
 * group and resolves with it and the first line it printed on stdout, parsed
 * as JSON. Rejects with a ChildProcessError (after killing the group) if it
 * exits first, prints something that is not JSON, or takes longer than
 * `timeoutMs`.
 */
async function spawnChild (script: string, args: string[], timeoutMs: number, outer?: AbortSignal): Promise<{ child: ChildProcess & { pid: number }, line: Record<string, unknown> }> {
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  if (child.pid == null) {
    await exited(child).catch(() => {})
    throw new ChildProcessError(`could not start ${script}`)
  }
  // the tail of its stderr, for error messages (bounded)
  let stderr = ''
  child.stderr?.on('data', (data: Buffer) => { stderr = (stderr + data.toString('utf8')).slice(-MAX_CHILD_LINE_BYTES) })
  const signal = anySignal([outer ?? new AbortController().signal, AbortSignal.timeout(timeoutMs)])
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = ''
      const cleanup = (): void => {
        child.stdout?.off('data', onData)
        child.off('close', onExit)
        signal.removeEventListener('abort', onAbort)
      }
      const onData = (data: Buffer): void => {
        buffered += data.toString('utf8')
        const end = buffered.indexOf('\n')
        if (end !== -1) { cleanup(); resolve(buffered.slice(0, end)) } else if (buffered.length > MAX_CHILD_LINE_BYTES) {
          cleanup(); reject(new ChildProcessError(`child printed more than ${MAX_CHILD_LINE_BYTES} bytes without a line end`))
        }
      }
      const onExit = (code: number | null, sig: string | null): void => {
        cleanup(); reject(new ChildProcessError(`child exited (${sig ?? code}) before its line; stderr: ${errorLine(stderr)}`))
      }
      const onAbort = (): void => {
        cleanup(); reject(new ChildProcessError(`child printed no line within ${timeoutMs} ms or was aborted`))
      }
      child.stdout?.on('data', onData)
      // 'close' rather than 'exit': its stderr has been read by then
      child.on('close', onExit)
      signal.addEventListener('abort', onAbort, { once: true })
    })
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      throw new ChildProcessError(`child printed ${JSON.stringify(line.slice(0, 200))} instead of its JSON line`)
    }
    if (parsed == null || typeof parsed !== 'object') throw new ChildProcessError(`child printed ${line.slice(0, 200)}, not a JSON object`)
    // keep draining stdout so the child never blocks on a full pipe
    child.stdout?.resume()
    return { child: child as ChildProcess & { pid: number }, line: parsed as Record<string, unknown> }
  } catch (err) {
    await stopChild(child)
    throw err
  } finally {
    signal.clear()
  }
}

/**
 * Starts the listener `script` with `args` in its own process group and
 * resolves once it printed its ReadyLine. Rejects with a ChildProcessError
 * (and kills the group) if it exits, prints anything else first, or is not
 * ready within CHILD_READY_TIMEOUT_MS.
 */
export async function startChildListener (script: string, args: string[], options: { signal?: AbortSignal } = {}): Promise<ChildListener> {
  const { child, line } = await spawnChild(script, args, CHILD_READY_TIMEOUT_MS, options.signal)
  const ready = line as Partial<ReadyLine>
  if (ready.ready !== true || typeof ready.multiaddr !== 'string' || typeof ready.peerId !== 'string') {
    await stopChild(child)
    throw new ChildProcessError(`child readiness line lacks ready/multiaddr/peerId: ${JSON.stringify(line).slice(0, 200)}`)
  }
  return {
    pid: child.pid,
    multiaddr: multiaddr(ready.multiaddr),
    peerId: peerIdFromString(ready.peerId),
    stop: async () => await stopChild(child)
  }
}

/** The one line a child dialler prints: its direction's result, or the error that ended it. */
export type DialerLine = { ok: true, result: DirectionResult } | { ok: false, error: { name: string, message: string } }

/**
 * Runs the dialler `script` with `args` (it dials, runs one direction of a
 * cell and prints a DialerLine) in its own process group, waits for that
 * line (at most CELL_TIMEOUT_MS) and for the child to exit, and resolves
 * with its DirectionResult. A failed direction in the child rejects with a
 * ChildProcessError naming the child's error.
 */
export async function runChildDialer (script: string, args: string[], options: { signal?: AbortSignal } = {}): Promise<DirectionResult> {
  const { child, line } = await spawnChild(script, args, CELL_TIMEOUT_MS, options.signal)
  const exit = await exitOrStop(child)
  const result = line as Partial<DialerLine>
  if (result.ok === true && result.result != null) {
    if (exit !== 0) throw new ChildProcessError(`child dialler exited with ${exit} after its result`)
    return result.result
  }
  if (result.ok === false && result.error != null) throw new ChildProcessError(`child dialler failed: ${result.error.name}: ${result.error.message}`)
  throw new ChildProcessError(`child dialler printed ${JSON.stringify(line).slice(0, 200)}, not a result`)
}
