// Runs every example under examples/ as a user would (one command each) and checks that it exits 0 and
// printed what it is about. The official js-libp2p example runs on the Node 24 binary (official js-libp2p 3
// needs Promise.withResolvers).
import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const NODE24 = join(ROOT, 'node_modules/node24/bin/node')

const EXPECTED: Record<string, { node?: string, output: RegExp }> = {
  'custom-stack': { output: /got "HELLO FROM A THREE-PACKAGE STACK"/ },
  'dht-content-routing': { output: /node 4 found provider node 1[\s\S]*hash matches the CID[\s\S]*node 3 read \/example\/greeting: "hello from node 2"/ },
  pubsub: { output: /mesh formed[\s\S]*a received: d: and hello from d[\s\S]*d received: a: hello from a/ },
  'official-libp2p': { node: NODE24, output: /A connected to B with \/noise from @ts-libp2p\/noise[\s\S]*A pinged B[\s\S]*A identified B: js-libp2p/ }
}

async function runExample (node: string, file: string, timeout: number): Promise<{ code: number | null, output: string }> {
  const child = spawn(node, [file], { cwd: ROOT, detached: true })
  let output = ''
  child.stdout.on('data', (d) => { output += String(d) })
  child.stderr.on('data', (d) => { output += String(d) })
  const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} }, timeout)
  const code = await new Promise<number | null>(resolve => child.once('close', (c) => { resolve(c) }))
  clearTimeout(timer)
  return { code, output }
}

describe('examples', function () {
  this.timeout(40_000)

  it('has an expectation here for every example directory', () => {
    const dirs = readdirSync(join(ROOT, 'examples'), { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort()
    expect(dirs).to.deep.equal(Object.keys(EXPECTED).sort())
  })

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} runs with one command and exits 0`, async () => {
      const node = expected.node ?? process.execPath
      expect(existsSync(node), `${node} (installed by npm ci)`).to.equal(true)
      const { code, output } = await runExample(node, join(ROOT, 'examples', name, 'index.js'), 30_000)
      expect(code).to.equal(0, output)
      expect(output).to.match(expected.output)
    })
  }
})
