import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { NotInRepositoryError } from '../errors.js'
import type { Command } from '../command.js'

/**
 * The ts-libp2p checkout that holds `cwd`: the nearest ancestor whose package.json is the private root
 * `ts-libp2p` with an `interop/run` script. Undefined outside one (where the installed package lives does
 * not matter: the wrappers run the checkout the user is working in).
 */
export function findRepository (cwd: string): string | undefined {
  let dir = resolve(cwd)
  while (true) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      if (pkg.name === 'ts-libp2p' && pkg.private === true && existsSync(join(dir, 'interop', 'run'))) return dir
    } catch {}
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function repoScript (name: string, summary: string, usage: string, what: string, command: (repo: string, args: string[]) => [string, string[]]): Command {
  return {
    name,
    summary,
    usage: [usage],
    description: `A thin wrapper over ${what} in a ts-libp2p checkout: every argument is passed through, and the\n` +
      'exit code is the script\'s. It works only inside a clone of the repository (the scripts and peers are not\n' +
      'part of the published package).',
    options: {},
    optionsHelp: ['(arguments are passed to the script; `-- --help` shows its own help)'],
    passThrough: true,
    async run ({ io, positionals, signal }) {
      const repo = findRepository(io.cwd)
      if (repo == null) throw new NotInRepositoryError(`ts-libp2p ${name} runs ${what}, which only exists in a clone of the ts-libp2p repository: run it from inside one`)
      const [file, args] = command(repo, positionals)
      return await new Promise<number>((resolvePromise, reject) => {
        const child = spawn(file, args, { cwd: repo, stdio: ['inherit', 'pipe', 'pipe'], env: io.env })
        child.stdout.pipe(io.stdout, { end: false })
        child.stderr.pipe(io.stderr, { end: false })
        const onAbort = (): void => { child.kill('SIGINT') }
        signal.addEventListener('abort', onAbort, { once: true })
        child.once('error', reject)
        child.once('close', (code, sig) => {
          signal.removeEventListener('abort', onAbort)
          resolvePromise(code ?? (sig != null ? 128 + 2 : 1))
        })
      })
    }
  }
}

/** `ts-libp2p interop ...`: `node interop/run ...` in the checkout. */
export const interopCommand = repoScript('interop', 'Run the interop matrix against go, rust, python and official js peers (repository only)',
  'interop [arguments for interop/run]', '`node interop/run`', (repo, args) => [process.execPath, [join(repo, 'interop', 'run'), ...args]])

/** `ts-libp2p bench ...`: `npm run bench -- ...` in the checkout. */
export const benchCommand = repoScript('bench', 'Run the benchmarks against the other implementations (repository only)',
  'bench [arguments for the bench script]', '`npm run bench`', (_repo, args) => ['npm', ['run', 'bench', '--', ...args]])
