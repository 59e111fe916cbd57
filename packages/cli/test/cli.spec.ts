import { PassThrough } from 'node:stream'
import { expect } from 'chai'
import { COMMANDS, runCli } from '../src/cli.js'

function io (): { io: any, out: () => string, err: () => string } {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d) => { out += String(d) })
  stderr.on('data', (d) => { err += String(d) })
  return { io: { stdin: new PassThrough(), stdout, stderr, env: {}, cwd: '/' }, out: () => out, err: () => err }
}

describe('cli', () => {
  it('lists every command in the main help and exits 2 without a command', async () => {
    const t = io()
    expect(await runCli([], { io: t.io })).to.equal(2)
    for (const c of COMMANDS) expect(t.out()).to.include(`  ${c.name}`)
    const h = io()
    expect(await runCli(['--help'], { io: h.io })).to.equal(0)
  })

  it('has --help on every command', async () => {
    for (const c of COMMANDS) {
      const t = io()
      expect(await runCli([c.name, '--help'], { io: t.io })).to.equal(0)
      expect(t.out()).to.match(new RegExp(`^Usage: ts-libp2p ${c.name}`))
      const h = io()
      expect(await runCli(['help', c.name], { io: h.io })).to.equal(0)
      expect(h.out()).to.equal(t.out())
    }
  })

  it('exits 2 with a message for an unknown command or flag', async () => {
    const t = io()
    expect(await runCli(['frobnicate'], { io: t.io })).to.equal(2)
    expect(t.err()).to.match(/unknown command "frobnicate"/)
    const f = io()
    expect(await runCli(['ping', '--nope', '/ip4/127.0.0.1/tcp/1'], { io: f.io })).to.equal(2)
    expect(f.err()).to.match(/--nope/)
    const j = io()
    expect(await runCli(['ping', '--json', '--count', 'many', '/ip4/127.0.0.1/tcp/1'], { io: j.io })).to.equal(2)
    expect(JSON.parse(j.err())).to.deep.include({ event: 'error' })
  })

  it('prints its version', async () => {
    const t = io()
    expect(await runCli(['--version'], { io: t.io })).to.equal(0)
    expect(t.out()).to.match(/^ts-libp2p \d+\.\d+\.\d+/)
  })
})

describe('bin', () => {
  it('the package\'s executable (bin/ts-libp2p.js, mode 755) runs the command line', async () => {
    const { execFileSync } = await import('node:child_process')
    const { statSync } = await import('node:fs')
    const { fileURLToPath } = await import('node:url')
    const shim = fileURLToPath(new URL('../../bin/ts-libp2p.js', import.meta.url))
    expect(statSync(shim).mode & 0o111).to.not.equal(0)
    expect(execFileSync(shim, ['--version'], { encoding: 'utf8' })).to.match(/^ts-libp2p \d/)
  })
})
