#!/usr/bin/env node
// mDNS interop between our @ts-libp2p/mdns and go-libp2p's p2p/discovery/mdns (v0.51.0) and rust-libp2p's
// libp2p-mdns (libp2p 0.57, tokio).
//
//   node interop/mdns/run.mjs [--impl go,rust] [--timeout seconds] [--no-build]
//
// Needs Linux, root (network namespaces), the built workspace (`npm run build`), and go / cargo for the peers
// (an implementation whose toolchain is missing is reported as skipped). Multicast is only ever
// sent inside two network namespaces made here, joined by a veth pair with addresses from 198.18.0.0/15 (RFC 2544,
// reserved for network tests); they are removed on every exit path. Two rounds, each with fresh processes:
//   ts-discovers-<impl>: our node finds the other peer (its id and a dialable address), dials it, pings and
//                        identifies it; the other peer only listens and answers (it does not dial).
//   <impl>-discovers-ts: the other peer's mDNS reports our id and address, it connects and pings; ours does not dial.
// One JSON line per direction and implementation on stdout; exit 0 only when every direction of every
// implementation that ran passes (and at least one ran), 1 otherwise, 2 on a bad option or setup.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { CACHE_DIR, ROOT_DIR } from '../lib/impls.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const OUT_DIR = join(CACHE_DIR, 'mdns')
// the rust peer shares the matrix's cargo target dir (most dependencies are already built there) and its lock
const RUST_TARGET = join(CACHE_DIR, 'rust-target')

const IMPLS = {
  go: {
    dir: join(HERE, 'go'),
    tool: ['go', 'version'],
    bin: join(OUT_DIR, 'mdns-go'),
    build: (bin) => ({ cmd: 'go', args: ['build', '-trimpath', '-o', bin, '.'], lock: join(OUT_DIR, 'go-build.lock'), env: {} })
  },
  rust: {
    dir: join(HERE, 'rust'),
    tool: ['cargo', '--version'],
    bin: join(RUST_TARGET, 'release', 'ts-libp2p-interop-mdns-rust'),
    build: () => ({ cmd: 'cargo', args: ['build', '--release', '--locked'], lock: join(CACHE_DIR, 'logs', 'rust-build.lock'), env: { CARGO_TARGET_DIR: RUST_TARGET } })
  }
}

const args = process.argv.slice(2)
let timeout = 20
let build = true
let impls = ['go', 'rust']
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--timeout') timeout = Number(args[++i])
  else if (args[i] === '--impl') impls = String(args[++i]).split(',')
  else if (args[i] === '--no-build') build = false
  else {
    console.error(`unknown option ${args[i]}\nusage: node interop/mdns/run.mjs [--impl go,rust] [--timeout seconds] [--no-build]`)
    process.exit(2)
  }
}
if (impls.length === 0 || impls.some(i => IMPLS[i] == null)) {
  console.error(`--impl takes a comma-separated list of: ${Object.keys(IMPLS).join(', ')}`)
  process.exit(2)
}
if (!Number.isInteger(timeout) || timeout < 2 || timeout > 300) {
  console.error('--timeout must be an integer between 2 and 300')
  process.exit(2)
}
if (process.platform !== 'linux' || process.getuid?.() !== 0) {
  console.error('needs Linux and root: the peers run in network namespaces made for the test')
  process.exit(2)
}
if (!existsSync(join(ROOT_DIR, 'packages', 'mdns', 'dist', 'src', 'index.js'))) {
  console.error('the workspace is not built: run `npm run build` first')
  process.exit(2)
}

/** Files under dir (sorted), skipping build output. */
function filesUnder (dir) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'target') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...filesUnder(path))
    else out.push(path)
  }
  return out.sort()
}

/**
 * Builds a peer (niced, under flock) unless the hash of its inputs and of its toolchain's version matches its
 * stamp. Returns the build's milliseconds (0 when skipped), or null when the toolchain is missing.
 */
function buildPeer (name) {
  const impl = IMPLS[name]
  const version = spawnSync(impl.tool[0], impl.tool.slice(1), { encoding: 'utf8', timeout: 30_000 })
  if (version.status !== 0) return null
  const hash = createHash('sha256').update(version.stdout)
  for (const file of filesUnder(impl.dir)) hash.update(relative(impl.dir, file)).update('\0').update(readFileSync(file)).update('\0')
  const digest = hash.digest('hex')
  const stamp = join(OUT_DIR, `mdns-${name}.stamp`)
  if (existsSync(impl.bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return 0
  if (!build) throw new Error(`${impl.bin} is missing or stale and --no-build was given`)
  mkdirSync(OUT_DIR, { recursive: true })
  const step = impl.build(impl.bin)
  mkdirSync(dirname(step.lock), { recursive: true })
  const started = Date.now()
  const result = spawnSync('flock', [step.lock, 'nice', '-n', '15', step.cmd, ...step.args],
    { cwd: impl.dir, encoding: 'utf8', timeout: 1_200_000, env: { ...process.env, ...step.env }, maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) throw new Error(`${name} build failed: ${result.error?.message ?? result.stderr.slice(-3000)}`)
  writeFileSync(stamp, digest)
  return Date.now() - started
}

function ip (...argv) {
  const result = spawnSync('ip', argv, { encoding: 'utf8', timeout: 10_000 })
  if (result.status !== 0) throw new Error(`ip ${argv.join(' ')}: ${result.error?.message ?? result.stderr.trim()}`)
}

const nsA = `tsl2p-mdnsi-ts-${process.pid}`
const nsB = `tsl2p-mdnsi-ot-${process.pid}`
const subnet = `198.19.${process.pid % 250}`
const ipA = `${subnet}.1`
const ipB = `${subnet}.2`
const children = new Set()

function cleanup () {
  for (const child of children) {
    try { process.kill(-child.pid, 'SIGKILL') } catch {}
  }
  children.clear()
  for (const ns of [nsA, nsB]) spawnSync('ip', ['netns', 'del', ns], { timeout: 10_000 })
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { cleanup(); process.exit(1) })
}

function makeNamespaces () {
  ip('netns', 'add', nsA)
  ip('netns', 'add', nsB)
  const vA = `tmia${process.pid}`.slice(0, 15)
  const vB = `tmib${process.pid}`.slice(0, 15)
  ip('link', 'add', vA, 'netns', nsA, 'type', 'veth', 'peer', 'name', vB, 'netns', nsB)
  for (const [ns, dev, addr] of [[nsA, vA, ipA], [nsB, vB, ipB]]) {
    ip('-n', ns, 'link', 'set', 'lo', 'up')
    ip('-n', ns, 'link', 'set', dev, 'multicast', 'on')
    ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev)
    ip('-n', ns, 'link', 'set', dev, 'up')
    ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev)
  }
}

/** Starts a program in a namespace, in its own process group; `events` collects its JSON stdout lines. */
function start (ns, cmd, argv, label) {
  const child = spawn('ip', ['netns', 'exec', ns, 'nice', '-n', '5', cmd, ...argv], {
    detached: true, stdio: ['pipe', 'pipe', 'pipe'], cwd: HERE
  })
  children.add(child)
  const peer = { child, events: [], stderr: '', waiters: [] }
  child.stderr.on('data', (d) => { peer.stderr = (peer.stderr + d).slice(-4000) })
  createInterface({ input: child.stdout }).on('line', (line) => {
    let event
    try { event = JSON.parse(line) } catch { return }
    peer.events.push(event)
    for (const w of [...peer.waiters]) w()
  })
  child.on('exit', () => { for (const w of [...peer.waiters]) w() })
  child.on('error', (err) => { peer.stderr += `\n${label}: ${err.message}` })
  /** Resolves with the first event matching `test`, or null after `ms` or when the process ended. */
  peer.wait = (test, ms) => new Promise((resolve) => {
    const check = () => {
      const found = peer.events.find(test)
      if (found != null || child.exitCode != null || child.signalCode != null) done(found ?? null)
    }
    const timer = setTimeout(() => done(peer.events.find(test) ?? null), ms)
    const done = (value) => {
      clearTimeout(timer)
      peer.waiters = peer.waiters.filter(w => w !== check)
      resolve(value)
    }
    peer.waiters.push(check)
    check()
  })
  peer.stop = async () => {
    try { child.stdin.end() } catch {}
    const exited = new Promise((resolve) => {
      if (child.exitCode != null || child.signalCode != null) resolve()
      else child.once('exit', resolve)
    })
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL') } catch {} }, 3000)
    await exited
    clearTimeout(timer)
    children.delete(child)
  }
  return peer
}

const isTcpOn = (host) => (a) => a.startsWith(`/ip4/${host}/tcp/`)

/**
 * One round against `name` (go or rust): `dialer` ('ts' or the other) dials what it discovers, the other one only
 * answers and reports.
 */
async function round (name, dialer) {
  const started = Date.now()
  const seconds = String(timeout + 5)
  const ts = start(nsA, process.execPath, [join(HERE, 'ts-node.mjs'), ipA, seconds, dialer === 'ts' ? 'dial' : 'no-dial'], 'ts')
  const other = start(nsB, IMPLS[name].bin, [ipB, seconds, dialer === name ? 'dial' : 'no-dial'], name)
  const result = { impl: name, direction: dialer === 'ts' ? `ts-discovers-${name}` : `${name}-discovers-ts`, pass: false }
  try {
    const deadline = started + timeout * 1000
    const left = () => Math.max(0, deadline - Date.now())
    const [tsReady, otherReady] = await Promise.all([ts.wait(e => e.event === 'ready', left()), other.wait(e => e.event === 'ready', left())])
    if (tsReady == null || otherReady == null) {
      result.error = `${tsReady == null ? 'ts' : name} peer not ready`
      return result
    }
    const [seeker, sought, soughtIp] = dialer === 'ts' ? [ts, otherReady, ipB] : [other, tsReady, ipA]
    const found = await seeker.wait(e => e.event === 'found' && e.id === sought.id && e.addrs.some(isTcpOn(soughtIp)), left())
    if (found == null) {
      const other = seeker.events.find(e => e.event === 'found' && e.id === sought.id)
      result.error = other != null ? `found ${sought.id} without a tcp address on ${soughtIp}: ${other.addrs.join(',')}` : `${sought.id} not discovered`
      return result
    }
    result.discoveredMs = Date.now() - started
    result.peer = sought.id
    result.addrs = found.addrs
    const outcome = await seeker.wait(e => (e.event === 'connected' || e.event === 'dial-error' || e.event === 'connect-error') && e.id === sought.id, left())
    if (outcome?.event !== 'connected') {
      result.error = outcome?.error ?? 'no connection before the timeout'
      return result
    }
    result.connectedMs = Date.now() - started
    result.rttMs = outcome.rttMs
    if (dialer === 'ts') {
      result.agent = outcome.agent
      if (!(typeof outcome.agent === 'string' && outcome.agent.length > 0)) {
        result.error = 'identify gave no agent version'
        return result
      }
    }
    result.pass = true
    return result
  } finally {
    await Promise.all([ts.stop(), other.stop()])
    if (!result.pass) {
      result.tsEvents = ts.events.slice(-10)
      result[`${name}Events`] = other.events.slice(-10)
      result.tsStderr = ts.stderr.slice(-1500)
      result[`${name}Stderr`] = other.stderr.slice(-1500)
    }
  }
}

let code = 1
try {
  const ready = []
  for (const name of impls) {
    const ms = buildPeer(name)
    if (ms == null) {
      console.log(JSON.stringify({ impl: name, skipped: `${IMPLS[name].tool[0]} is not installed` }))
      continue
    }
    if (ms > 0) console.error(`built the ${name} peer in ${ms} ms`)
    ready.push(name)
  }
  makeNamespaces()
  const results = []
  for (const name of ready) {
    for (const dialer of ['ts', name]) {
      const result = await round(name, dialer)
      console.log(JSON.stringify(result))
      results.push(result)
    }
  }
  code = results.length > 0 && results.every(r => r.pass) ? 0 : 1
} catch (err) {
  console.error(err.message)
  code = 2
} finally {
  cleanup()
}
process.exit(code)
