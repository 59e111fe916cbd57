// What a result set was measured on: the machine, its load, and the version of every implementation.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { cpus, freemem, hostname, loadavg, platform, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const NODE24 = join(ROOT, 'node_modules', 'node24', 'bin', 'node')

const readJson = (path) => { try { return JSON.parse(readFileSync(path, 'utf8')) } catch { return null } }
const version = (dir, pkg) => readJson(join(dir, 'node_modules', pkg, 'package.json'))?.version ?? null

function tool (cmd, args) {
  try { return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0] } catch { return null }
}

/** Machine description and load (the load is sampled again at the end of a run). */
export function machine () {
  const list = cpus()
  return {
    hostname: hostname(),
    platform: `${platform()} ${release()}`,
    cpuModel: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    loadAverage: loadavg().map(x => Number(x.toFixed(2)))
  }
}

/** Versions of the runtimes and of every implementation measured. */
export function versions () {
  const ours = {}
  for (const name of readdirSync(join(ROOT, 'packages'))) {
    const pkg = readJson(join(ROOT, 'packages', name, 'package.json'))
    if (pkg?.name?.startsWith('@ts-libp2p/')) ours[pkg.name] = pkg.version
  }
  const official = {}
  for (const pkg of ['libp2p', '@libp2p/tcp', '@libp2p/websockets', '@chainsafe/libp2p-noise', '@libp2p/tls', '@chainsafe/libp2p-yamux',
    '@libp2p/mplex', '@libp2p/multistream-select', '@libp2p/peer-id', '@libp2p/identify', '@libp2p/crypto']) {
    official[pkg] = version(ROOT, pkg)
  }
  const jsPeer = join(ROOT, 'interop', 'peers', 'js')
  const interopJs = {}
  for (const pkg of Object.keys(readJson(join(jsPeer, 'package.json'))?.dependencies ?? {})) interopJs[pkg] = version(jsPeer, pkg)
  const goMod = (() => { try { return readFileSync(join(ROOT, 'interop', 'peers', 'go', 'go.mod'), 'utf8') } catch { return '' } })()
  const cargoLock = (() => { try { return readFileSync(join(ROOT, 'interop', 'peers', 'rust', 'Cargo.lock'), 'utf8') } catch { return '' } })()
  const crate = (name) => new RegExp(`name = "${name}"\\nversion = "([^"]+)"`).exec(cargoLock)?.[1] ?? null
  return {
    node: process.version,
    node24: existsSync(NODE24) ? tool(NODE24, ['--version']) : null,
    go: tool('go', ['version']),
    rustc: tool('rustc', ['--version']),
    ts: ours,
    jsInProcessAndNodePair: official,
    jsInteropPeer: interopJs,
    goInteropPeer: {
      'github.com/libp2p/go-libp2p': /github\.com\/libp2p\/go-libp2p v(\S+)/.exec(goMod)?.[1] ?? null,
      'github.com/libp2p/go-mplex': /github\.com\/libp2p\/go-mplex v(\S+)/.exec(goMod)?.[1] ?? null
    },
    rustInteropPeer: { libp2p: crate('libp2p'), 'libp2p-yamux': crate('libp2p-yamux'), 'libp2p-noise': crate('libp2p-noise'), 'libp2p-mplex': crate('libp2p-mplex') },
    tinybench: version(ROOT, 'tinybench'),
    '@noble/ciphers': version(ROOT, '@noble/ciphers')
  }
}
