// `npm run demo` end to end: scripts/demo.mjs (the build is already done by the time tests run) must exit 0
// within its minute, report every step done (none failed, none missing now that kad-dht and gossipsub are
// in the build) and leave no node process behind.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const STEPS = ['network formed', 'identify', 'ping', 'perf', 'dht: node 3 put a value', 'dht: node 4 provided a CID', 'dht: node 9 hung up on node 5', 'pubsub: node 6 published', 'stop: every node stopped']

/** Processes whose command line mentions `text` (the demo's nodes name their key files under its TMPDIR). */
function processesMentioning (text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n').filter(line => line.includes(text))
}

describe('npm run demo', function () {
  this.timeout(70_000)

  it('runs ten nodes, does every step and exits 0 with nothing left running', async () => {
    // a TMPDIR of its own, so that the node processes of this demo (and only these) can be found afterwards
    const tmp = mkdtempSync(join(tmpdir(), 'ts-libp2p-demo-test-'))
    const child = spawn(process.execPath, [join(ROOT, 'scripts/demo.mjs')], { cwd: ROOT, detached: true, env: { ...process.env, TMPDIR: tmp } })
    let out = ''
    child.stdout.on('data', (d) => { out += String(d) })
    child.stderr.on('data', (d) => { out += String(d) })
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} }, 65_000)
    const code = await new Promise<number | null>(resolve => child.once('close', (c) => { resolve(c) }))
    clearTimeout(timer)
    expect(code).to.equal(0, out)
    for (const step of STEPS) expect(out).to.match(new RegExp(`✔ ${step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), step)
    expect(out).to.not.include('✘')
    expect(out).to.not.include('MISSING')
    expect(out).to.match(/demo finished in [\d.]+ s: every step that ran succeeded/)
    // the plain-text progress view (stdout is not a terminal here)
    expect(out).to.match(/\[\s*[\d.]+ s\] 0:\d+p\/\d+rt\/\d+m/)
    const seconds = Number(/demo finished in ([\d.]+) s/.exec(out)?.[1])
    expect(seconds).to.be.below(60)
    expect(processesMentioning(tmp)).to.deep.equal([])
    rmSync(tmp, { recursive: true, force: true })
  })
})
