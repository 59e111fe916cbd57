import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { InvalidParametersError } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { mdns } from '../src/index.js'
import { mdnsOptions } from '../src/mdns.js'
import { MDNS_IPV4_GROUP, MDNS_PORT, QUERY_INTERVAL, SERVICE_TAG } from '../src/constants.js'
import type { ChildProcess } from 'node:child_process'

describe('mdns options', () => {
  it('defaults to the spec service, the mDNS group and port, a 10 s interval and a random peer name', () => {
    const options = mdnsOptions()
    expect(options).to.include({ serviceTag: SERVICE_TAG, group: MDNS_IPV4_GROUP, port: MDNS_PORT, interval: QUERY_INTERVAL, broadcast: true })
    expect(options.peerName).to.match(/^[a-z0-9]{32}$/)
    expect(mdnsOptions().peerName).to.not.equal(options.peerName)
  })

  it('rejects invalid options when the factory is called', () => {
    expect(() => mdns({ interval: 0 })).to.throw(InvalidParametersError)
    expect(() => mdns({ interval: Infinity })).to.throw(InvalidParametersError)
    expect(() => mdns({ peerName: 'has.dot' })).to.throw(InvalidParametersError)
    expect(() => mdns({ peerName: 'x'.repeat(64) })).to.throw(InvalidParametersError)
    expect(() => mdns({ serviceTag: 'bad tag' })).to.throw(InvalidParametersError)
    expect(() => mdns({ port: 70000 })).to.throw(InvalidParametersError)
    expect(mdns({ peerName: 'mypeer', interval: 500 })).to.be.a('function')
  })
})

/** A child process run in a namespace, with its stdout lines so far and a way to wait for one. */
class Child {
  readonly lines: string[] = []
  readonly proc: ChildProcess
  stderr = ''
  #waiters: Array<() => void> = []

  constructor (ns: string, script: string, args: string[], env: Record<string, string> = {}) {
    this.proc = spawn('ip', ['netns', 'exec', ns, process.execPath, fileURLToPath(new URL(`fixtures/${script}`, import.meta.url)), ...args], {
      detached: true,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      this.lines.push(line)
      for (const w of this.#waiters) w()
    })
    this.proc.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString() })
    this.proc.on('exit', () => { for (const w of this.#waiters) w() })
  }

  /** Resolves with the first line matching, or rejects when the process exits or `ms` pass. */
  async line (match: (line: string) => boolean, ms: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.lines.find(match)
        if (found != null) { done(); resolve(found); return }
        if (this.proc.exitCode != null || this.proc.signalCode != null) { done(); reject(new Error(`exited before ${what}: ${this.stderr}`)) }
      }
      const timer = setTimeout(() => { done(); reject(new Error(`not within ${ms} ms: ${what}; output: ${this.lines.join(' | ')} ${this.stderr}`)) }, ms)
      const done = (): void => { clearTimeout(timer); this.#waiters = this.#waiters.filter(w => w !== check) }
      this.#waiters.push(check)
      check()
    })
  }

  get alive (): boolean {
    return this.proc.exitCode == null && this.proc.signalCode == null
  }

  /**
   * Ends stdin (a node stops and its process ends by itself); kills the process group if it has not exited
   * within 3 s. Resolves true if the process exited by itself with code 0.
   */
  async end (): Promise<boolean> {
    if (!this.alive) return this.proc.exitCode === 0
    const exited = new Promise<void>(resolve => this.proc.once('exit', () => { resolve() }))
    this.proc.stdin!.end()
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      try { process.kill(-this.proc.pid!, 'SIGKILL') } catch {}
    }, 3_000)
    await exited
    clearTimeout(timer)
    return !killed && this.proc.exitCode === 0
  }
}

function ip (...args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.error?.message ?? result.stderr}`)
}

// Multicast is only ever sent inside two namespaces made here, joined by a veth pair, with addresses from
// 198.18.0.0/15 (reserved for network tests, RFC 2544); they are removed afterwards, also on failure.
describe('mdns between two network namespaces', function () {
  this.timeout(30_000)
  const nsA = `tsl2p-mdns-a-${process.pid}`
  const nsB = `tsl2p-mdns-b-${process.pid}`
  const subnet = `198.18.${process.pid % 250}`
  const ipA = `${subnet}.1`
  const ipB = `${subnet}.2`
  const children: Child[] = []
  let made = false

  const cleanup = (): void => {
    for (const ns of [nsA, nsB]) spawnSync('ip', ['netns', 'del', ns])
  }

  before(function () {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) {
      console.log('    skipping: network namespaces need Linux and root (multicast is never sent on real interfaces)')
      this.skip()
    }
    try {
      ip('netns', 'add', nsA)
      made = true
      ip('netns', 'add', nsB)
      const vA = `tma${process.pid}`.slice(0, 15)
      const vB = `tmb${process.pid}`.slice(0, 15)
      ip('link', 'add', vA, 'netns', nsA, 'type', 'veth', 'peer', 'name', vB, 'netns', nsB)
      for (const [ns, dev, addr] of [[nsA, vA, ipA], [nsB, vB, ipB]]) {
        ip('-n', ns, 'link', 'set', 'lo', 'up')
        ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev)
        ip('-n', ns, 'link', 'set', dev, 'up')
        ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev)
      }
    } catch (err: any) {
      cleanup()
      made = false
      console.log(`    skipping: could not make network namespaces (${err.message})`)
      this.skip()
    }
  })

  afterEach(async () => {
    await Promise.all(children.splice(0).map(async c => { await c.end() }))
  })

  after(() => {
    if (made) cleanup()
  })

  it('two nodes find each other (surviving malformed packets), and connect over tcp + noise + yamux', async () => {
    // A logs what mdns does to stderr, so the test sees the malformed packets being ignored
    const a = new Child(nsA, 'node.js', [ipA, '1000'], { DEBUG: '*mdns' })
    children.push(a)
    const idA = (await a.line(l => l.startsWith('ready '), 10_000, 'A ready')).split(' ')[1]

    // hostile packets, to A over multicast loopback and across the veth
    const garbage = new Child(nsB, 'garbage.js', [ipB])
    children.push(garbage)
    await garbage.line(l => l.startsWith('sent '), 10_000, 'garbage sent')

    const b = new Child(nsB, 'node.js', [ipB, '1000'])
    children.push(b)
    const idB = (await b.line(l => l.startsWith('ready '), 10_000, 'B ready')).split(' ')[1]

    const foundB = await a.line(l => l.startsWith(`discovered ${idB} `), 10_000, 'A discovers B')
    const foundA = await b.line(l => l.startsWith(`discovered ${idA} `), 10_000, 'B discovers A')
    expect(foundB.split(' ')[2].split(',')).to.satisfy((addrs: string[]) => addrs.some(x => x.startsWith(`/ip4/${ipB}/tcp/`) && x.endsWith(`/p2p/${idB}`)))
    expect(foundA.split(' ')[2].split(',')).to.satisfy((addrs: string[]) => addrs.some(x => x.startsWith(`/ip4/${ipA}/tcp/`) && x.endsWith(`/p2p/${idA}`)))

    await a.line(l => l === `connected ${idB}`, 10_000, 'A connected to B')
    await b.line(l => l === `connected ${idA}`, 10_000, 'B connected to A')
    expect(a.alive && b.alive).to.equal(true)
    expect(a.stderr).to.match(/ignoring packet from \S+ - not a DNS message/)
    expect(a.lines.some(l => l.startsWith(`discovered ${idA}`))).to.equal(false)
    expect(b.lines.some(l => l.startsWith(`discovered ${idB}`))).to.equal(false)

    // a plain mDNS client in B's namespace gets answers from A across the link: the peer, the meta query, and
    // the TXT records when it asks for A's instance name directly
    const probe = new Child(nsB, 'probe.js', [ipB, idA])
    children.push(probe)
    await probe.line(l => l.startsWith(`peer ${idA} /ip4/${ipA}/tcp/`), 10_000, 'probe hears A')
    await probe.line(l => l === 'meta _p2p._udp.local', 10_000, 'probe gets the meta answer')
    await probe.line(l => l === 'txt 1', 10_000, 'probe gets the TXT records as answers to a direct TXT query')

    // stop() leaves no socket or timer behind: each process ends by itself once its node has stopped
    expect(await a.end()).to.equal(true)
    expect(await b.end()).to.equal(true)
    expect(a.lines.at(-1)).to.equal('stopped')
  })

  it('announces a peer once per interval, and a node with broadcast off finds others but is not found', async () => {
    // A queries every 300 ms, and so answers about once a second; B announces per 3 s interval and never answers
    const a = new Child(nsA, 'node.js', [ipA, '300'])
    children.push(a)
    const idA = (await a.line(l => l.startsWith('ready '), 10_000, 'A ready')).split(' ')[1]
    const b = new Child(nsB, 'node.js', [ipB, '3000', 'false'])
    children.push(b)
    const idB = (await b.line(l => l.startsWith('ready '), 10_000, 'B ready')).split(' ')[1]

    await b.line(l => l.startsWith(`discovered ${idA} `), 10_000, 'B discovers A')
    await b.line(l => b.lines.filter(x => x.startsWith(`discovered ${idA} `)).length >= 2, 10_000, 'B announces A again next interval')
    const times = b.lines.filter(l => l.startsWith(`discovered ${idA} `)).map(l => Number(l.split(' ')[3]))
    // A's responses come about every second, but B announces A only once per 3 s interval
    expect(times[1] - times[0]).to.be.at.least(1_500)
    // over those seconds A queried about ten times; B, not broadcasting, never answered
    expect(a.lines.some(l => l.startsWith(`discovered ${idB}`))).to.equal(false)
  })

  it('a stop during start leaves nothing open, and the discovery starts again', async () => {
    const race = new Child(nsA, 'race.js', [ipA])
    children.push(race)
    expect(await race.line(l => l.startsWith('done '), 10_000, 'race done')).to.equal('done false true')
    // the process ends by itself: no socket or timer left
    expect(await race.end()).to.equal(true)
  })
})
