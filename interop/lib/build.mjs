// Builds the peers that a run needs, once: a build is skipped while the hash of its inputs
// (and of the tool versions) matches the stamp of its last successful build.
import { execFile, spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { promisify } from 'node:util'
import { CACHE_DIR, inputsHash, ROOT_DIR } from './impls.mjs'

const run = promisify(execFile)

/** The version line of a tool on PATH (or at an absolute path), or null when it is missing. */
async function toolVersion (tool) {
  if (isAbsolute(tool) && !existsSync(tool)) return null
  try {
    const { stdout, stderr } = await run(tool, ['--version'], { timeout: 30_000 })
    return (stdout || stderr).trim().split('\n')[0]
  } catch {
    // `go` has no --version flag.
    try {
      const { stdout } = await run(tool, ['version'], { timeout: 30_000 })
      return stdout.trim()
    } catch {
      return null
    }
  }
}

/**
 * Runs one build step at low priority (the machine is shared), its output appended to log.
 * Steps of one implementation hold an exclusive lock (flock(1), when installed), so that two
 * runs at once (e.g. the matrix and a benchmark) do not build into the same directory together.
 */
function runStep (step, log, lockFile) {
  return new Promise((resolve, reject) => {
    log.write(`\n$ ${step.cmd} ${step.args.join(' ')}\n`)
    const niced = ['nice', '-n', '15', step.cmd, ...step.args]
    const argv = lockFile != null ? ['flock', lockFile, ...niced] : niced
    const child = spawn(argv[0], argv.slice(1), {
      cwd: step.cwd,
      env: { ...process.env, ...step.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    child.stdout.pipe(log, { end: false })
    child.stderr.pipe(log, { end: false })
    child.on('error', reject)
    child.on('close', (code) => code === 0 ? resolve() : reject(new Error(`${step.cmd} exited with ${code}`)))
  })
}

function tail (file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

/**
 * Readies each implementation. Returns, per name, { state, reason, buildMillis }:
 * `ready`, `absent` (no peer yet, a missing tool, or not built with --no-build: its cells are
 * skipped) or `broken` (its build failed: its cells fail).
 * @param {import('./impls.mjs').Impl[]} impls
 */
export async function prepare (impls, { build = true, say = console.log } = {}) {
  const status = {}
  for (const impl of impls) {
    if (!existsSync(impl.marker)) {
      status[impl.name] = { state: 'absent', reason: `no peer yet (${relative(ROOT_DIR, impl.marker)} does not exist)` }
      continue
    }
    const versions = []
    let missing = null
    for (const tool of impl.tools) {
      const v = await toolVersion(tool)
      if (v == null) { missing = tool; break }
      versions.push(v)
    }
    if (missing != null) {
      status[impl.name] = { state: 'absent', reason: `${missing} is not installed` }
      continue
    }
    const hash = inputsHash(impl, versions.join('\n'))
    const upToDate = existsSync(impl.stamp) && readFileSync(impl.stamp, 'utf8') === hash &&
      existsSync(impl.command().cmd)
    if (upToDate || impl.build().length === 0) {
      status[impl.name] = { state: 'ready', reason: upToDate ? 'up to date' : 'runs from source', buildMillis: 0 }
      continue
    }
    if (!build) {
      status[impl.name] = { state: 'absent', reason: 'not built, and --no-build was given' }
      continue
    }
    mkdirSync(join(CACHE_DIR, 'logs'), { recursive: true })
    const logFile = join(CACHE_DIR, 'logs', `${impl.name}-build.log`)
    const log = createWriteStream(logFile)
    say(`building ${impl.name} (log: ${logFile}) ...`)
    const start = Date.now()
    try {
      const lockFile = await toolVersion('flock') != null ? join(CACHE_DIR, 'logs', `${impl.name}-build.lock`) : null
      for (const step of impl.build()) await runStep(step, log, lockFile)
      mkdirSync(dirname(impl.stamp), { recursive: true })
      writeFileSync(impl.stamp, hash)
      const buildMillis = Date.now() - start
      say(`built ${impl.name} in ${(buildMillis / 1000).toFixed(1)} s`)
      status[impl.name] = { state: 'ready', reason: 'built', buildMillis }
    } catch (err) {
      await new Promise(resolve => log.end(resolve))
      status[impl.name] = { state: 'broken', reason: `build failed: ${err.message}\n${tail(logFile)}` }
      say(`build of ${impl.name} failed: ${err.message} (log: ${logFile})`)
      continue
    }
    await new Promise(resolve => log.end(resolve))
  }
  return status
}
