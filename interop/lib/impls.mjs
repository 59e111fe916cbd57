// The implementations of the matrix: where each peer lives, how it is built, how it is run.
// Adding an implementation (our `ts` peer) is one entry in IMPLS.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const INTEROP_DIR = dirname(dirname(fileURLToPath(import.meta.url)))
export const ROOT_DIR = dirname(INTEROP_DIR)

/** Builds and caches live outside the clone. */
export const CACHE_DIR = process.env.TS_LIBP2P_INTEROP_CACHE ??
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ts-libp2p-interop')

/** Official js-libp2p needs Node >= 22; the root installs Node 24 as a package. */
export const NODE24 = join(ROOT_DIR, 'node_modules', 'node24', 'bin', 'node')
/** The js peer's copy of NODE24 (see the js entry). */
const JS_NODE = join(CACHE_DIR, 'js-node', 'node')

const peerDir = (name) => join(INTEROP_DIR, 'peers', name)

/**
 * @typedef {object} BuildStep
 * @property {string} cmd
 * @property {string[]} args
 * @property {string} [cwd]
 * @property {Record<string, string>} [env]
 *
 * @typedef {object} Impl
 * @property {string} name             the name used in results: ts, js, go, rust, python
 * @property {string} dir              the peer's sources
 * @property {string} marker           a file whose absence means "no peer yet": the impl is skipped
 * @property {string[]} tools          commands that must be on PATH to build or run it
 * @property {() => string[]} inputs   files whose content decides whether a build is up to date
 * @property {string} stamp            where the hash of the last successful build's inputs is kept
 * @property {() => BuildStep[]} build steps to (re)build; none if the peer runs from source
 * @property {() => { cmd: string, args: string[], cwd?: string }} command  how to start a peer
 * @property {RegExp} agent            what its identify agent version looks like
 */

/** Files under dir (recursively), skipping build outputs and dependencies. */
function filesUnder (dir, skip = ['node_modules', 'target', '__pycache__']) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...filesUnder(path, skip))
    else out.push(path)
  }
  return out.sort()
}

/** @type {Impl[]} */
export const IMPLS = [
  {
    name: 'ts',
    dir: peerDir('ts'),
    marker: join(peerDir('ts'), 'index.js'),
    tools: [],
    inputs: () => [],
    stamp: join(CACHE_DIR, 'ts.stamp'),
    build: () => [],
    command: () => ({ cmd: process.execPath, args: [join(peerDir('ts'), 'index.js')] }),
    agent: /^ts-libp2p\//
  },
  {
    name: 'js',
    dir: peerDir('js'),
    marker: join(peerDir('js'), 'index.js'),
    tools: ['npm', NODE24],
    inputs: () => [join(peerDir('js'), 'package.json'), join(peerDir('js'), 'package-lock.json')],
    // Inside the node_modules it describes, so that a fresh clone installs again.
    stamp: join(peerDir('js'), 'node_modules', '.interop-stamp'),
    // The peer runs on a copy of the root's Node 24 binary: a root `npm install` rewrites that
    // binary, and a spawn during the rewrite fails with ETXTBSY.
    build: () => [
      // staged: a plain `npm ci` empties node_modules under the js cells of another run (see staged-install.mjs)
      { cmd: process.execPath, args: [join(ROOT_DIR, 'interop', 'lib', 'staged-install.mjs'), peerDir('js')] },
      { cmd: 'install', args: ['-D', '-m', '755', NODE24, JS_NODE] }
    ],
    command: () => ({ cmd: JS_NODE, args: [join(peerDir('js'), 'index.js')] }),
    agent: /^js-libp2p\//
  },
  {
    name: 'go',
    dir: peerDir('go'),
    marker: join(peerDir('go'), 'main.go'),
    tools: ['go'],
    inputs: () => filesUnder(peerDir('go')),
    stamp: join(CACHE_DIR, 'go', 'peer.stamp'),
    build: () => [{
      cmd: 'go',
      args: ['build', '-trimpath', '-o', join(CACHE_DIR, 'go', 'peer'), '.'],
      cwd: peerDir('go')
    }],
    command: () => ({ cmd: join(CACHE_DIR, 'go', 'peer'), args: [] }),
    agent: /^go-libp2p\//
  },
  {
    name: 'rust',
    dir: peerDir('rust'),
    marker: join(peerDir('rust'), 'Cargo.toml'),
    tools: ['cargo'],
    inputs: () => filesUnder(peerDir('rust')),
    stamp: join(CACHE_DIR, 'rust-target', 'peer.stamp'),
    build: () => [{
      cmd: 'cargo',
      args: ['build', '--release', '--locked'],
      cwd: peerDir('rust'),
      env: { CARGO_TARGET_DIR: join(CACHE_DIR, 'rust-target') }
    }],
    command: () => ({ cmd: join(CACHE_DIR, 'rust-target', 'release', 'interop-peer-rust'), args: [] }),
    agent: /^rust-libp2p\//
  },
  {
    name: 'python',
    dir: peerDir('python'),
    marker: join(peerDir('python'), 'peer.py'),
    tools: ['python3'],
    inputs: () => [join(peerDir('python'), 'requirements.txt')],
    stamp: join(CACHE_DIR, 'python-venv', 'peer.stamp'),
    build: () => [
      { cmd: 'python3', args: ['-m', 'venv', '--clear', join(CACHE_DIR, 'python-venv')] },
      {
        cmd: join(CACHE_DIR, 'python-venv', 'bin', 'pip'),
        args: ['install', '--quiet', '--disable-pip-version-check', '-r', join(peerDir('python'), 'requirements.txt')]
      }
    ],
    command: () => ({ cmd: join(CACHE_DIR, 'python-venv', 'bin', 'python'), args: [join(peerDir('python'), 'peer.py')] }),
    agent: /^py-libp2p\//
  }
]

/** Hash of an implementation's build inputs and of the tool versions that build it. */
export function inputsHash (impl, toolVersions = '') {
  const hash = createHash('sha256').update(toolVersions)
  for (const file of impl.inputs()) {
    hash.update(relative(impl.dir, file)).update('\0')
    hash.update(existsSync(file) && statSync(file).isFile() ? readFileSync(file) : 'missing').update('\0')
  }
  return hash.digest('hex')
}
