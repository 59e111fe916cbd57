/**
 * Two network namespaces joined by one emulated link, for fault tests that run
 * real node processes on each side: one-way delay, random loss and a cut that
 * the test changes while traffic flows (partition, then heal). The link is
 * kept by scripts/netem-link.py (python3, standard library): kernel `tc netem`
 * on a veth pair where the kernel has it, otherwise a userspace forwarder
 * between two TUN devices. That process owns the namespaces: it deletes them
 * when {@link NetnsLink.close} ends it, and also when this process dies (its
 * stdin closes and it has PR_SET_PDEATHSIG), so a failed or killed test run
 * leaves nothing behind. Root only; see {@link netnsUnavailable}.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'

/** The path of the link emulator script. */
export const NETEM_LINK_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'netem-link.py')

/** Namespaces made by {@link NetnsLink} start with this, then the pid of the process that made them. */
export const NETNS_PREFIX = 'tsl-'

const COMMAND_TIMEOUT_MS = 5_000
const START_TIMEOUT_MS = 10_000

/** The link's shaping; each direction gets the delay and the loss. */
export interface LinkShape {
  /** One-way delay in ms (a round trip takes twice this). */
  delay?: number
  /** Percentage of packets dropped at random, each direction. */
  loss?: number
  /** Drop every packet (a partition) until set back to false. */
  cut?: boolean
}

export interface NetnsLinkInit extends LinkShape {
  /** `kernel`: veth + tc netem (fails without netem); `userspace`: TUN forwarder; `auto` (default): kernel if it works. */
  mode?: 'auto' | 'kernel' | 'userspace'
  /** Side a's address with prefix length (default 10.77.0.1/24). */
  addressA?: string
  /** Side b's address with prefix length (default 10.77.0.2/24). */
  addressB?: string
  mtu?: number
  /** Seed of the loss decisions (userspace mode). */
  seed?: number
}

/** Packet counters of one direction (userspace mode). */
export interface LinkDirectionStats { forwarded: number, lost: number, cut: number, overflow: number, queued: number, writeErrors: number }

/** What the emulator reports: the shaping in force and, in userspace mode, per-direction counters (`ab`: a to b). */
export interface LinkStats { mode: 'kernel' | 'userspace', delay: number, loss: number, cut: boolean, stats: { ab?: LinkDirectionStats, ba?: LinkDirectionStats } }

/** The emulator failed to start or refused a command. */
export class NetnsLinkError extends Error {
  static override name = 'NetnsLinkError'
  override name = 'NetnsLinkError'
}

/**
 * Why namespaces with an emulated link cannot be made here, or undefined when
 * they can (root, /dev/net/tun or tc netem, `ip` and python3 present).
 */
export function netnsUnavailable (): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (process.getuid?.() !== 0) return 'network namespaces need root'
  for (const [command, args] of [['ip', ['-V']], ['python3', ['-V']]] as const) {
    const res = spawnSync(command, args, { stdio: 'ignore' })
    if (res.error != null || res.status !== 0) return `${command} is not available`
  }
  if (!fs.existsSync('/dev/net/tun')) return 'no /dev/net/tun (and the emulator falls back to it when the kernel has no netem)'
  return undefined
}

let links = 0

/**
 * Deletes namespaces named by {@link NetnsLink} for processes that no longer
 * exist (left by a run killed before its emulator could clean up).
 */
export function removeStaleNamespaces (): string[] {
  const res = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  const removed: string[] = []
  for (const line of (res.stdout ?? '').split('\n')) {
    const name = line.split(' ')[0]
    const owner = name.startsWith(NETNS_PREFIX) ? Number(name.slice(NETNS_PREFIX.length).split('-')[0]) : NaN
    if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue
    spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' })
    removed.push(name)
  }
  return removed
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err: any) {
    return err.code === 'EPERM'
  }
}

/** Two fresh network namespaces (a and b) joined by one emulated link. */
export class NetnsLink {
  readonly mode: 'kernel' | 'userspace'
  /** Namespace names, unique to this process and link. */
  readonly nsA: string
  readonly nsB: string
  /** Side addresses without prefix length. */
  readonly addressA: string
  readonly addressB: string
  readonly #child: ChildProcess
  readonly #replies: Array<(reply: any) => void> = []
  readonly #exited: Promise<void>
  #stderr = ''
  #broken: string | undefined

  private constructor (child: ChildProcess, ready: any, nsA: string, nsB: string, addressA: string, addressB: string, lines: readline.Interface) {
    this.#child = child
    this.mode = ready.mode
    this.nsA = nsA
    this.nsB = nsB
    this.addressA = addressA
    this.addressB = addressB
    this.#exited = new Promise(resolve => { child.once('exit', () => { resolve() }) })
    lines.on('line', (text) => {
      let reply: any
      try { reply = JSON.parse(text) } catch { return }
      this.#replies.shift()?.(reply)
    })
    child.once('exit', () => {
      for (const reply of this.#replies.splice(0)) reply({ ok: false, error: `the link emulator exited; stderr: ${this.#stderr}` })
    })
    child.stderr?.on('data', (d) => { this.#stderr = (this.#stderr + String(d)).slice(-2000) })
  }

  /** Makes the namespaces and the link, shaped as `init` says; rejects with {@link NetnsLinkError} when it cannot. */
  static async open (init: NetnsLinkInit = {}): Promise<NetnsLink> {
    removeStaleNamespaces()
    const tag = `${NETNS_PREFIX}${process.pid}-${links++}-${Math.random().toString(36).slice(2, 6)}`
    const nsA = `${tag}-a`
    const nsB = `${tag}-b`
    const addrA = init.addressA ?? '10.77.0.1/24'
    const addrB = init.addressB ?? '10.77.0.2/24'
    const args = [NETEM_LINK_SCRIPT, '--create-ns', '--ns-a', nsA, '--ns-b', nsB, '--addr-a', addrA, '--addr-b', addrB, '--mode', init.mode ?? 'auto',
      '--delay', String(init.delay ?? 0), '--loss', String(init.loss ?? 0)]
    if (init.cut === true) args.push('--cut')
    if (init.mtu != null) args.push('--mtu', String(init.mtu))
    if (init.seed != null) args.push('--seed', String(init.seed))
    const child = spawn('python3', args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => { stderr = (stderr + String(d)).slice(-2000) })
    const lines = readline.createInterface({ input: child.stdout })
    const ready = await new Promise<any>((resolve) => {
      const timer = setTimeout(() => { resolve({ ready: false, error: `not ready within ${START_TIMEOUT_MS} ms` }) }, START_TIMEOUT_MS)
      const done = (value: any): void => { clearTimeout(timer); lines.off('line', onLine); resolve(value) }
      const onLine = (text: string): void => { try { done(JSON.parse(text)) } catch {} }
      lines.on('line', onLine)
      child.once('error', (err) => { done({ ready: false, error: err.message }) })
      child.once('exit', (code) => { done({ ready: false, error: `exited with ${code}` }) })
    })
    if (ready.ready !== true) {
      child.stdin.end()
      if (child.exitCode == null && child.signalCode == null) child.kill('SIGTERM')
      throw new NetnsLinkError(`cannot make the namespaces and link: ${ready.error}; stderr: ${stderr}`)
    }
    return new NetnsLink(child, ready, nsA, nsB, addrA.split('/')[0], addrB.split('/')[0], lines)
  }

  /** The command prefix that runs a program in side `side`'s namespace. */
  exec (side: 'a' | 'b'): string[] {
    return ['ip', 'netns', 'exec', side === 'a' ? this.nsA : this.nsB]
  }

  /** TCP segments retransmitted so far in side `side`'s namespace (`RetransSegs` of its /proc/net/snmp). */
  tcpRetransmits (side: 'a' | 'b'): number {
    const res = spawnSync(this.exec(side)[0], [...this.exec(side).slice(1), 'cat', '/proc/net/snmp'], { encoding: 'utf8' })
    const [names, values] = (res.stdout ?? '').split('\n').filter(l => l.startsWith('Tcp:')).map(l => l.trim().split(/\s+/))
    const i = names?.indexOf('RetransSegs') ?? -1
    if (i < 0 || values?.[i] == null) throw new NetnsLinkError(`no TCP counters in ${side === 'a' ? this.nsA : this.nsB}: ${res.stderr ?? ''}`)
    return Number(values[i])
  }

  /** Changes the shaping (only the fields given); resolves once it is in force. */
  async set (shape: LinkShape): Promise<LinkShape> {
    const words: string[] = []
    if (shape.delay != null) words.push(`delay=${shape.delay}`)
    if (shape.loss != null) words.push(`loss=${shape.loss}`)
    if (shape.cut != null) words.push(`cut=${shape.cut ? 1 : 0}`)
    const reply = await this.#command(`set ${words.join(' ')}`)
    return { delay: reply.delay, loss: reply.loss, cut: reply.cut }
  }

  /** Drops every packet both ways until {@link heal}. */
  async cut (): Promise<void> { await this.set({ cut: true }) }

  /** Ends a cut; delay and loss stay as they were. */
  async heal (): Promise<void> { await this.set({ cut: false }) }

  async stats (): Promise<LinkStats> {
    const reply = await this.#command('stats')
    return { mode: reply.mode, delay: reply.delay, loss: reply.loss, cut: reply.cut, stats: reply.stats }
  }

  /** Ends the emulator, which removes the link and both namespaces; idempotent. */
  async close (): Promise<void> {
    if (this.#child.exitCode == null && this.#child.signalCode == null) {
      this.#child.stdin?.end()
      const timer = setTimeout(() => { this.#child.kill('SIGKILL') }, 5_000)
      await this.#exited
      clearTimeout(timer)
    }
    // if it had to be killed, it could not clean up: do it here
    for (const ns of [this.nsA, this.nsB]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
  }

  async #command (line: string): Promise<any> {
    if (this.#child.exitCode != null || this.#child.signalCode != null) throw new NetnsLinkError(`the link emulator has exited; stderr: ${this.#stderr}`)
    if (this.#broken != null) throw new NetnsLinkError(this.#broken)
    const reply = await new Promise<any>((resolve) => {
      const timer = setTimeout(() => {
        // a late reply would be taken for the next command's: no more commands
        this.#broken = `the link emulator did not answer "${line}" within ${COMMAND_TIMEOUT_MS} ms`
        resolve({ ok: false, error: this.#broken })
      }, COMMAND_TIMEOUT_MS)
      this.#replies.push((r) => { clearTimeout(timer); resolve(r) })
      this.#child.stdin?.write(`${line}\n`)
    })
    if (reply.ok !== true) throw new NetnsLinkError(`link command "${line}" failed: ${reply.error}`)
    return reply
  }
}
