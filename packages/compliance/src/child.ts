/**
 * A matrix listener in a separate process: spawns `node <script> <args>` in
 * its own process group, waits for its readiness line (no sleeps), and
 * stops it by signalling the whole group, escalating to SIGKILL when it does
 * not exit in time.
 */
import { spawn } from 'node:child_process'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@ts-libp2p/peer-id'
import { CHILD_EXIT_TIMEOUT_MS, CHILD_READY_TIMEOUT_MS, MAX_CHILD_LINE_BYTES } from './constants.js'
import { ChildListenerError } from './errors.js'
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

/**
 * Starts `script` under this Node binary with `args`, in its own process
 * group, and resolves once it printed its ReadyLine. Rejects with a
 * ChildListenerError (and kills the group) if it exits, prints anything
 * else first, or is not ready within CHILD_READY_TIMEOUT_MS.
 */
export async function startChildListener (script: string, args: string[], options: { signal?: AbortSignal } = {}): Promise<ChildListener> {
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  if (child.pid == null) {
    await exited(child).catch(() => {})
    throw new ChildListenerError(`could not start ${script}`)
  }
  // the tail of its stderr, for error messages (bounded)
  let stderr = ''
  child.stderr?.on('data', (data: Buffer) => { stderr = (stderr + data.toString('utf8')).slice(-MAX_CHILD_LINE_BYTES) })
  const signal = AbortSignal.any([options.signal ?? new AbortController().signal, AbortSignal.timeout(CHILD_READY_TIMEOUT_MS)])
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
          cleanup(); reject(new ChildListenerError(`child printed more than ${MAX_CHILD_LINE_BYTES} bytes without a line end`))
        }
      }
      const onExit = (code: number | null, sig: string | null): void => {
        cleanup(); reject(new ChildListenerError(`child exited (${sig ?? code}) before its readiness line; stderr: ${errorLine(stderr)}`))
      }
      const onAbort = (): void => {
        cleanup(); reject(new ChildListenerError(`child not ready within ${CHILD_READY_TIMEOUT_MS} ms or aborted`))
      }
      child.stdout?.on('data', onData)
      // 'close' rather than 'exit': its stderr has been read by then
      child.on('close', onExit)
      signal.addEventListener('abort', onAbort, { once: true })
    })
    let ready: Partial<ReadyLine>
    try {
      ready = JSON.parse(line)
    } catch {
      throw new ChildListenerError(`child printed ${JSON.stringify(line.slice(0, 200))} instead of its readiness line`)
    }
    if (ready.ready !== true || typeof ready.multiaddr !== 'string' || typeof ready.peerId !== 'string') {
      throw new ChildListenerError(`child readiness line lacks ready/multiaddr/peerId: ${line.slice(0, 200)}`)
    }
    // keep draining stdout so the child never blocks on a full pipe
    child.stdout?.resume()
    return {
      pid: child.pid,
      multiaddr: multiaddr(ready.multiaddr),
      peerId: peerIdFromString(ready.peerId),
      stop: async () => await stopChild(child)
    }
  } catch (err) {
    await stopChild(child)
    throw err
  }
}
